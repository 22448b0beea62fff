/**
 * The files a step writes through `GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_STATE`, `GITHUB_PATH`
 * and `GITHUB_STEP_SUMMARY`, read as the runner reads them (actions/runner `FileCommandManager`).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * `EnvFileKeyValuePairs`: `NAME=VALUE` lines and `NAME<<DELIMITER` … `DELIMITER` blocks, split at
 * `\n` only (a `\r` stays in the value). Whichever of `=` and `<<` comes first decides the form.
 * Throws with the runner's message on a malformed file.
 */
export function readKeyValueFile(text: string): [name: string, value: string][] {
  const pairs: [string, string][] = [];
  let index = 0;
  const readLine = (): { line: string; newline: boolean } | undefined => {
    if (index >= text.length) return undefined;
    const lf = text.indexOf('\n', index);
    const start = index;
    if (lf < 0) {
      index = text.length;
      return { line: text.slice(start), newline: false };
    }
    index = lf + 1;
    return { line: text.slice(start, lf), newline: true };
  };
  for (let next = readLine(); next; next = readLine()) {
    const { line } = next;
    if (line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      pairs.push([line.slice(0, equals), line.slice(equals + 1)]);
    } else if (heredoc >= 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (name === '' || delimiter === '') {
        throw new Error(`Invalid format '${line}'. Name must not be empty and delimiter must not be empty`);
      }
      const start = index;
      let end = index;
      let value = readLine();
      while (value?.line !== delimiter) {
        if (!value) throw new Error(`Invalid value. Matching delimiter not found '${delimiter}'`);
        if (!value.newline) throw new Error('Invalid value. EOF marker missing new line.');
        end = index - 1;
        value = readLine();
      }
      pairs.push([name, end > start ? text.slice(start, end) : '']);
    } else {
      throw new Error(`Invalid format '${line}'`);
    }
  }
  return pairs;
}

/** The pairs of a key/value file as a record (a later name wins). */
export function parseFileCommands(text: string): Record<string, string> {
  return Object.fromEntries(readKeyValueFile(text));
}

/** `AddPathFileCommand`: one directory per line (`\n`, `\r` or `\r\n`), empty lines ignored. */
export function readPathFile(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line !== '');
}

/** Environment variables and outputs need a name (the runner's `ArgUtil.NotNullOrEmpty`). */
function named(pairs: [string, string][]): [string, string][] {
  if (pairs.some(([name]) => name === ''))
    throw new Error("Value cannot be null or empty. (Parameter 'name')");
  return pairs;
}

/** The step summary size the runner accepts (`CreateStepSummaryCommand.AttachmentSizeLimit`). */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface StepFilePaths {
  GITHUB_PATH: string;
  GITHUB_ENV: string;
  GITHUB_STEP_SUMMARY: string;
  GITHUB_STATE: string;
  GITHUB_OUTPUT: string;
}

/** What a step wrote to its files, or the runner's error for each file it could not process. */
export interface StepFileResults {
  path: string[];
  env: [string, string][];
  summary: string;
  state: [string, string][];
  outputs: [string, string][];
  /** `Unable to process file command '<name>' successfully.` and the reason; the step fails. */
  errors: string[];
  /** Errors the runner reports without failing the step (a step summary over the size limit). */
  annotations: string[];
}

/**
 * One step's file commands: fresh empty files under `RUNNER_TEMP/_runner_file_commands` (named as
 * the runner names them), read back once the step ends.
 */
export class StepFiles {
  private constructor(readonly paths: StepFilePaths) {}

  static async create(runnerTemp: string): Promise<StepFiles> {
    const dir = join(runnerTemp, '_runner_file_commands');
    await mkdir(dir, { recursive: true });
    const suffix = randomUUID();
    const paths: StepFilePaths = {
      GITHUB_PATH: join(dir, `add_path_${suffix}`),
      GITHUB_ENV: join(dir, `set_env_${suffix}`),
      GITHUB_STEP_SUMMARY: join(dir, `step_summary_${suffix}`),
      GITHUB_STATE: join(dir, `save_state_${suffix}`),
      GITHUB_OUTPUT: join(dir, `set_output_${suffix}`),
    };
    for (const file of Object.values(paths)) await writeFile(file, '');
    return new StepFiles(paths);
  }

  async read(): Promise<StepFileResults> {
    const results: StepFileResults = {
      path: [],
      env: [],
      summary: '',
      state: [],
      outputs: [],
      errors: [],
      annotations: [],
    };
    const read = async (file: string) => readFile(file, 'utf8').catch(() => '');
    const attempt = async (name: string, body: () => Promise<void>) => {
      try {
        await body();
      } catch (error) {
        results.errors.push(
          `Unable to process file command '${name}' successfully.`,
          (error as Error).message,
        );
      }
    };
    await attempt('path', async () => {
      results.path = readPathFile(await read(this.paths.GITHUB_PATH));
    });
    await attempt('env', async () => {
      results.env = named(readKeyValueFile(await read(this.paths.GITHUB_ENV)));
    });
    const summary = await read(this.paths.GITHUB_STEP_SUMMARY);
    const size = Buffer.byteLength(summary);
    if (size > STEP_SUMMARY_LIMIT) {
      results.annotations.push(
        `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of ${STEP_SUMMARY_LIMIT / 1024}k, got ${Math.floor(size / 1024)}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary`,
      );
    } else {
      results.summary = summary;
    }
    await attempt('state', async () => {
      results.state = readKeyValueFile(await read(this.paths.GITHUB_STATE));
    });
    await attempt('output', async () => {
      results.outputs = named(readKeyValueFile(await read(this.paths.GITHUB_OUTPUT)));
    });
    return results;
  }

  async remove(): Promise<void> {
    for (const file of Object.values(this.paths)) await rm(file, { force: true });
  }
}
