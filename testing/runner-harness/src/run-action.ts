import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { applyMasks, parseFileCommands, parseWorkflowCommands, type WorkflowCommands } from './file-commands';

/**
 * Runs a built action as the GitHub runner does: inputs as `INPUT_<NAME>` with defaults from
 * `action.yml`, the runner's file commands, a real event payload, and `pre`/`main`/`post` in order.
 * Test and demo tool only; never bundled into an action.
 */
export interface GithubContext {
  eventName: string;
  event: object;
  ref: string;
  refName?: string;
  sha: string;
  repository: string;
  apiUrl: string;
  serverUrl: string;
  workspace: string;
  runId: string;
  runAttempt: string;
  actor: string;
  token: string;
  job: string;
  workflow: string;
}

export interface RunActionOptions {
  /** Folder holding `action.yml` and `dist/`. */
  actionDir: string;
  inputs?: Record<string, string | number | boolean | undefined>;
  github?: Partial<GithubContext>;
  /** Shared by the steps of one job, so result records carry from step to step. */
  runnerTemp?: string;
  /** Extra environment for the step (e.g. `AWS_ENDPOINT_URL_SSM`). */
  env?: Record<string, string | undefined>;
  /** Send SIGINT to `main` after this long, as the runner does when a job is cancelled. */
  cancelAfterMs?: number;
  timeoutMs?: number;
}

export interface PhaseRun {
  phase: 'pre' | 'main' | 'post';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ActionRun extends WorkflowCommands {
  /** True when every phase that ran exited 0. */
  succeeded: boolean;
  phases: PhaseRun[];
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
  /** Raw stdout of all phases, as the action printed it (before masking). */
  stdout: string;
  stderr: string;
  /** The log as the runner would show it: masked values replaced by `***`. */
  log: string;
  runnerTemp: string;
  /** Exit code of `main`. */
  exitCode: number | null;
}

interface ActionManifest {
  inputs?: Record<string, { default?: string | number | boolean; required?: boolean }>;
  runs: { using: string; main: string; pre?: string; post?: string };
}

export async function readManifest(actionDir: string): Promise<ActionManifest> {
  return parseYaml(await readFile(join(actionDir, 'action.yml'), 'utf8')) as ActionManifest;
}

/** The runner's name for an input's variable: uppercased, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

const DEFAULT_CONTEXT: Omit<GithubContext, 'workspace'> = {
  eventName: 'push',
  event: {},
  ref: 'refs/heads/main',
  sha: '0000000000000000000000000000000000000000',
  repository: 'example/service',
  apiUrl: 'http://127.0.0.1:9/api',
  serverUrl: 'https://github.com',
  runId: '1000',
  runAttempt: '1',
  actor: 'octocat',
  token: '',
  job: 'deploy',
  workflow: 'deploy',
};

/** Evaluates the few expressions that action defaults use (`${{ github.token }}` and friends). */
function evaluateDefault(value: string, github: GithubContext, runnerTemp: string): string {
  return value.replace(/\$\{\{\s*([a-z_.]+)\s*\}\}/gi, (_, expr: string) => {
    const [scope, key] = expr.split('.');
    if (scope === 'runner' && key === 'temp') return runnerTemp;
    if (scope === 'github' && key) {
      const map: Record<string, string> = {
        token: github.token,
        repository: github.repository,
        sha: github.sha,
        ref: github.ref,
        ref_name: github.refName ?? '',
        event_name: github.eventName,
        run_id: github.runId,
        actor: github.actor,
        workspace: github.workspace,
        server_url: github.serverUrl,
        api_url: github.apiUrl,
      };
      if (key in map) return map[key]!;
    }
    throw new Error(`runner-harness cannot evaluate \${{ ${expr} }} in an input default`);
  });
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const actionDir = resolve(options.actionDir);
  const manifest = await readManifest(actionDir);
  const runnerTemp = options.runnerTemp ?? (await mkdtemp(join(tmpdir(), 'gatehouse-runner-')));
  const stepDir = await mkdtemp(join(runnerTemp, '_step-'));
  const github: GithubContext = {
    ...DEFAULT_CONTEXT,
    workspace: stepDir,
    ...options.github,
  } as GithubContext;
  const refName = github.refName ?? github.ref.replace(/^refs\/(heads|tags)\//, '');

  const files = {
    GITHUB_OUTPUT: join(stepDir, 'output'),
    GITHUB_STEP_SUMMARY: join(stepDir, 'summary'),
    GITHUB_ENV: join(stepDir, 'env'),
    GITHUB_STATE: join(stepDir, 'state'),
    GITHUB_PATH: join(stepDir, 'path'),
    GITHUB_EVENT_PATH: join(stepDir, 'event.json'),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  await writeFile(files.GITHUB_EVENT_PATH, JSON.stringify(github.event, null, 2));

  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(manifest.inputs ?? {})) {
    if (spec.default !== undefined) {
      inputEnv[inputEnvName(name)] = evaluateDefault(String(spec.default), github, runnerTemp);
    }
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!(name in (manifest.inputs ?? {}))) {
      throw new Error(`runner-harness: input '${name}' is not declared in ${actionDir}/action.yml`);
    }
    if (value !== undefined) inputEnv[inputEnvName(name)] = String(value);
  }

  // The runner's own environment, minus anything a previous step or the test process set.
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key) && key !== 'CI',
    ),
  );
  const env: Record<string, string | undefined> = {
    ...baseEnv,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: github.eventName,
    GITHUB_REF: github.ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: github.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_SHA: github.sha,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository.split('/')[0],
    GITHUB_API_URL: github.apiUrl,
    GITHUB_SERVER_URL: github.serverUrl,
    GITHUB_GRAPHQL_URL: `${github.apiUrl}/graphql`,
    GITHUB_WORKSPACE: github.workspace,
    GITHUB_RUN_ID: github.runId,
    GITHUB_RUN_NUMBER: github.runId,
    GITHUB_RUN_ATTEMPT: github.runAttempt,
    GITHUB_ACTOR: github.actor,
    GITHUB_JOB: github.job,
    GITHUB_WORKFLOW: github.workflow,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    ...files,
    ...inputEnv,
    ...options.env,
  };

  const phases: PhaseRun[] = [];
  const runPhase = async (phase: PhaseRun['phase'], script: string, extraEnv: Record<string, string>) => {
    const result = await spawnPhase(
      phase,
      join(actionDir, script),
      { ...env, ...extraEnv },
      github.workspace,
      phase === 'main' ? options.cancelAfterMs : undefined,
      options.timeoutMs ?? 120_000,
    );
    phases.push(result);
    return result;
  };

  if (manifest.runs.pre) await runPhase('pre', manifest.runs.pre, {});
  const preFailed = phases.some((p) => p.exitCode !== 0);
  if (!preFailed) await runPhase('main', manifest.runs.main, {});
  const state = parseFileCommands(await readFile(files.GITHUB_STATE, 'utf8'));
  if (manifest.runs.post) {
    // `post-if` defaults to always(): the post step runs after failure and cancellation too.
    const stateEnv = Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
    await runPhase('post', manifest.runs.post, stateEnv);
  }

  const stdout = phases.map((p) => p.stdout).join('');
  const stderr = phases.map((p) => p.stderr).join('');
  const commands = parseWorkflowCommands(stdout);
  const main = phases.find((p) => p.phase === 'main');
  return {
    ...commands,
    succeeded: phases.every((p) => p.exitCode === 0),
    phases,
    outputs: parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8')),
    state,
    exportedEnv: parseFileCommands(await readFile(files.GITHUB_ENV, 'utf8')),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    stdout,
    stderr,
    log: applyMasks(stdout + stderr, commands.masks),
    runnerTemp,
    exitCode: main?.exitCode ?? null,
  };
}

function spawnPhase(
  phase: PhaseRun['phase'],
  script: string,
  env: Record<string, string | undefined>,
  cwd: string,
  cancelAfterMs: number | undefined,
  timeoutMs: number,
): Promise<PhaseRun> {
  const started = performance.now();
  return new Promise((resolvePhase, reject) => {
    const child = spawn(process.execPath, [script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timers: NodeJS.Timeout[] = [];
    if (cancelAfterMs !== undefined) {
      // The runner sends SIGINT on cancellation, then SIGTERM if the step is still running.
      timers.push(setTimeout(() => child.kill('SIGINT'), cancelAfterMs));
      timers.push(setTimeout(() => child.kill('SIGTERM'), cancelAfterMs + 7500));
    }
    timers.push(
      setTimeout(() => {
        child.kill('SIGKILL');
        stderr += `\nrunner-harness: ${phase} timed out after ${timeoutMs} ms\n`;
      }, timeoutMs),
    );
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      for (const t of timers) clearTimeout(t);
      resolvePhase({ phase, exitCode, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}
