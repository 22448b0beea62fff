/**
 * A `run:` step as the runner runs it on Linux (actions/runner `ScriptHandler`): the script written
 * to `RUNNER_TEMP/<uuid>.sh`, run by `bash -e {0}` (or `sh -e {0}` without bash) when no shell is
 * given, `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`, `sh -e {0}` for `sh`, a
 * custom `command … {0}` as written; `shell` and `working-directory` fall back to `defaults.run`
 * (the job's, else the workflow's); the working directory is resolved in the workspace.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants as fs } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { evaluateString, runStepProcess, StepFiles } from '@gatehouse/runner-harness';
import { type PhaseOutcome, processEffects, processEnvironment, type StepRuntime } from './step-runtime';

const ARGUMENTS: Record<string, string> = {
  bash: '--noprofile --norc -e -o pipefail {0}',
  sh: '-e {0}',
  python: '{0}',
  pwsh: `-command ". '{0}'"`,
  powershell: `-command ". '{0}'"`,
};
const EXTENSIONS: Record<string, string> = {
  bash: '.sh',
  sh: '.sh',
  python: '.py',
  pwsh: '.ps1',
  powershell: '.ps1',
};

/** `WhichUtil.Which`: the first executable of that name on PATH. */
function which(command: string, path: string | undefined): string | undefined {
  if (isAbsolute(command)) return command;
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, fs.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Splits the argument string as .NET splits a command line (double quotes group, `\"` escapes). */
function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '"') {
      current += '"';
      started = true;
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      started = true;
    } else if (/\s/.test(c) && !quoted) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

interface ShellChoice {
  command: string;
  path: string;
  format: string;
}

function chooseShell(shell: string | undefined, path: string | undefined): ShellChoice {
  if (!shell) {
    const bash = which('bash', path);
    const found = bash ?? which('sh', path);
    if (!found) throw new Error("Unable to locate executable file: 'sh'.");
    return { command: 'sh', path: found, format: '-e {0}' };
  }
  const space = shell.indexOf(' ');
  const command = space < 0 ? shell : shell.slice(0, space);
  const found = which(command, path);
  if (!found) {
    throw new Error(
      `Unable to locate executable file: ${command}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable.`,
    );
  }
  const given = space < 0 ? '' : shell.slice(space + 1).trimStart();
  return { command, path: found, format: given || ARGUMENTS[command] || '' };
}

export interface ScriptRequest {
  run: TemplateToken;
  shell?: TemplateToken;
  workingDirectory?: TemplateToken;
}

export async function runScript(
  runtime: StepRuntime,
  request: ScriptRequest,
): Promise<PhaseOutcome & { script: string }> {
  const { output, scope, job } = runtime;
  const script = evaluateString(request.run, scope, 'run');
  const shellInput = request.shell ? evaluateString(request.shell, scope, 'shell') : undefined;
  const shell = shellInput || job.defaults.shell;
  const workingInput = request.workingDirectory
    ? evaluateString(request.workingDirectory, scope, 'working-directory')
    : undefined;
  const workingDirectory = resolve(job.workspace, workingInput ?? job.defaults.workingDirectory ?? '');

  const files = await StepFiles.create(job.temp);
  const github = {
    ...runtime.github,
    env: files.paths.GITHUB_ENV,
    path: files.paths.GITHUB_PATH,
    output: files.paths.GITHUB_OUTPUT,
    state: files.paths.GITHUB_STATE,
    step_summary: files.paths.GITHUB_STEP_SUMMARY,
  };
  const env = processEnvironment(runtime, github);
  const firstLine = script.replace(/^[ \t\r\n]+/, '').split(/[\r\n]/)[0] ?? '';
  output.runnerLine(`##[group]Run ${firstLine}`);
  for (const line of script.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n')) {
    output.runnerLine(`\u001b[36;1m${line}\u001b[0m`);
  }
  const choice = chooseShell(shell, env.PATH);
  if (!choice.format.includes('{0}')) {
    throw new Error(
      "Invalid shell option. Shell must be a valid built-in (bash, sh, cmd, powershell, pwsh) or a format string containing '{0}'",
    );
  }
  output.runnerLine(`shell: ${choice.path} ${choice.format}`);
  if (Object.keys(runtime.env).length > 0) {
    output.runnerLine('env:');
    for (const [key, value] of Object.entries(runtime.env)) output.runnerLine(`  ${key}: ${value}`);
  }
  output.runnerLine('##[endgroup]');

  const scriptPath = join(job.temp, `${randomUUID()}${EXTENSIONS[choice.command] ?? ''}`);
  await writeFile(scriptPath, script);
  const args = splitArguments(choice.format.replace('{0}', scriptPath.replace(/"/g, '\\"')));
  const result = await runStepProcess({
    file: choice.path,
    args,
    cwd: workingDirectory,
    env,
    output,
    cancel: runtime.cancel,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
    throw new Error(
      `An error occurred trying to start process '${choice.path}' with working directory '${workingDirectory}'. No such file or directory`,
    );
  });
  runtime.onProcessGroup(result.processGroup);
  const exitCode = result.exitCode ?? 128 + (result.signal ? (constants.signals[result.signal] ?? 0) : 0);
  if (exitCode !== 0) output.annotate('error', `Process completed with exit code ${exitCode}.`);
  const effects = processEffects(await files.read(), output);
  return { failed: exitCode !== 0 || output.failed, effects, script };
}
