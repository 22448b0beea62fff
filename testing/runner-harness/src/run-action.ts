import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadAction, type Phase, resolveInputs, runActionPhase, runtimeEnvironment } from './action';
import type { ContextValue } from './expressions';
import { StepFiles } from './file-commands';
import { SecretMasker } from './secret-masker';
import { StepOutput } from './step-output';
import type { WorkflowCommands } from './workflow-commands';

/**
 * Runs one built action on its own, as the GitHub runner runs an action step: inputs as
 * `INPUT_<NAME>` with defaults from `action.yml` (expressions evaluated by GitHub's engine), the
 * runner's file and workflow commands, a real event payload, and `pre`/`main`/`post` in order.
 * Test and demo tool only; never bundled into an action. Whole workflows: `@gatehouse/workflow-runner`.
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
  /** Undeclared inputs are refused here (a typo in a test), where a workflow only gets a warning. */
  inputs?: Record<string, string | number | boolean | undefined>;
  github?: Partial<GithubContext>;
  /** Shared by the steps of one job, so result records carry from step to step. */
  runnerTemp?: string;
  /** Extra environment for the step (e.g. `AWS_ENDPOINT_URL_SSM`). */
  env?: Record<string, string | undefined>;
  /** Send SIGINT to `main` after this long, as the runner does when a job is cancelled. */
  cancelAfterMs?: number;
  /** Cancel `main` (SIGINT, as above) when this aborts: a test waits for a state, then cancels. */
  cancel?: AbortSignal;
  timeoutMs?: number;
}

export interface PhaseRun {
  phase: Phase;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ActionRun extends WorkflowCommands {
  /** True when every phase that ran exited 0 and no command or file command failed. */
  succeeded: boolean;
  phases: PhaseRun[];
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
  /** Raw stdout of all phases, as the action printed it (before masking). */
  stdout: string;
  stderr: string;
  /** The log as the runner writes it: commands processed, masked values replaced by `***`. */
  log: string;
  runnerTemp: string;
  /** Exit code of `main`. */
  exitCode: number | null;
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

/** This process's environment without anything a runner, a step or the test process set. */
export function machineEnvironment(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key) && key !== 'CI') {
      env[key] = value;
    }
  }
  return overlay(env, extra);
}

/** `base` with `extra` laid over it; an `undefined` value removes the variable. */
export function overlay(
  base: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

function githubContext(github: GithubContext, eventPath: string): Record<string, ContextValue> {
  const [owner] = github.repository.split('/');
  return {
    event_name: github.eventName,
    event: github.event as ContextValue,
    event_path: eventPath,
    ref: github.ref,
    ref_name: github.refName ?? github.ref.replace(/^refs\/(heads|tags)\//, ''),
    ref_type: github.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha: github.sha,
    repository: github.repository,
    repository_owner: owner ?? '',
    api_url: github.apiUrl,
    server_url: github.serverUrl,
    graphql_url: `${github.apiUrl}/graphql`,
    workspace: github.workspace,
    run_id: github.runId,
    run_number: github.runId,
    run_attempt: github.runAttempt,
    actor: github.actor,
    triggering_actor: github.actor,
    token: github.token,
    job: github.job,
    workflow: github.workflow,
    action: '__self',
  };
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  // A manifest GitHub would refuse is refused here too (a repository test checks every action.yml).
  const action = await loadAction(resolve(options.actionDir));
  const runnerTemp = options.runnerTemp ?? (await mkdtemp(join(tmpdir(), 'gatehouse-runner-')));
  await mkdir(runnerTemp, { recursive: true });
  const stepDir = await mkdtemp(join(runnerTemp, '_step-'));
  const github: GithubContext = {
    ...DEFAULT_CONTEXT,
    workspace: stepDir,
    ...options.github,
  } as GithubContext;
  const eventPath = join(stepDir, 'event.json');
  await writeFile(eventPath, JSON.stringify(github.event, null, 2));
  const context = githubContext(github, eventPath);
  const runner = {
    os: 'Linux',
    arch: 'X64',
    name: 'gatehouse-harness',
    temp: runnerTemp,
    environment: 'self-hosted',
  };
  if (github.token) context.token = github.token;

  const given: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (value !== undefined) given[name] = String(value);
  }
  const scope = {
    contexts: { github: context, runner, env: {}, inputs: {}, steps: {}, job: { status: 'success' } },
  };
  const inputs = resolveInputs(action, given, scope);
  if (inputs.unexpected.length > 0) {
    throw new Error(
      `runner-harness: input '${inputs.unexpected[0]}' is not declared in ${action.dir}/action.yml`,
    );
  }

  const masker = new SecretMasker();
  // The runner masks the job's token from the start.
  if (github.token) masker.addSecret(github.token);
  const base = machineEnvironment();
  const phases: PhaseRun[] = [];
  const outputs: StepOutput[] = [];
  const state: Record<string, string> = {};
  const exportedEnv: Record<string, string> = {};
  const outputValues: Record<string, string> = {};
  let summary = '';
  let failed = false;

  const runPhase = async (phase: Phase) => {
    const files = await StepFiles.create(runnerTemp);
    const output = new StepOutput({ masker });
    outputs.push(output);
    const contextWithFiles: Record<string, ContextValue> = {
      ...context,
      env: files.paths.GITHUB_ENV,
      path: files.paths.GITHUB_PATH,
      output: files.paths.GITHUB_OUTPUT,
      state: files.paths.GITHUB_STATE,
      step_summary: files.paths.GITHUB_STEP_SUMMARY,
    };
    const env = overlay(
      { ...base, CI: 'true', GITHUB_ACTIONS: 'true', ...runtimeEnvironment(contextWithFiles, runner) },
      options.env ?? {},
    );
    const cancel = phase === 'main' ? cancelSignal(options) : undefined;
    const { process, files: written } = await runActionPhase({
      action,
      phase,
      env,
      inputs: inputs.values,
      state,
      workspace: github.workspace,
      runnerTemp,
      files,
      output,
      cancel: cancel?.signal,
      killAfterMs: options.timeoutMs ?? 120_000,
    }).finally(() => cancel?.dispose());
    if (process.killed)
      output.annotate('error', `runner-harness: ${phase} timed out after ${options.timeoutMs ?? 120_000} ms`);
    for (const message of written.errors) output.annotate('error', message);
    for (const message of written.annotations) output.annotate('error', message);
    Object.assign(state, output.state, Object.fromEntries(written.state));
    Object.assign(exportedEnv, Object.fromEntries(written.env));
    if (phase === 'main') Object.assign(outputValues, output.outputs, Object.fromEntries(written.outputs));
    summary += written.summary;
    await files.remove();
    if (process.exitCode !== 0 || output.failed || written.errors.length > 0) failed = true;
    phases.push({
      phase,
      exitCode: process.exitCode,
      signal: process.signal,
      stdout: output.raw.stdout,
      stderr: output.raw.stderr,
      durationMs: process.durationMs,
    });
  };

  if (action.runs.pre) await runPhase('pre');
  // A failed `pre` fails the job, so `main` (if: success()) does not run; `post` (always()) does.
  if (!failed) await runPhase('main');
  if (action.runs.post) await runPhase('post');

  const annotations = outputs.flatMap((o) => o.annotations);
  const messages = (level: string) => annotations.filter((a) => a.level === level).map((a) => a.message);
  return {
    errors: messages('error'),
    warnings: messages('warning'),
    notices: messages('notice'),
    masks: outputs.flatMap((o) => o.masks),
    succeeded: !failed,
    phases,
    outputs: outputValues,
    state,
    exportedEnv,
    summary,
    stdout: phases.map((p) => p.stdout).join(''),
    stderr: phases.map((p) => p.stderr).join(''),
    log: outputs
      .flatMap((o) => o.lines)
      .map((l) => `${l.text}\n`)
      .join(''),
    runnerTemp,
    exitCode: phases.find((p) => p.phase === 'main')?.exitCode ?? null,
  };
}

/**
 * The signal that cancels `main`. Built on a controller and a timer the phase holds, not on
 * `AbortSignal.timeout` combined through `AbortSignal.any`: Node holds a timeout signal only
 * weakly, so under a busy test run it can be collected before it fires and the step is never
 * cancelled.
 */
function cancelSignal(options: RunActionOptions): { signal: AbortSignal; dispose(): void } | undefined {
  if (options.cancelAfterMs === undefined && !options.cancel) return undefined;
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = options.cancelAfterMs === undefined ? undefined : setTimeout(abort, options.cancelAfterMs);
  if (options.cancel?.aborted) abort();
  else options.cancel?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      options.cancel?.removeEventListener('abort', abort);
    },
  };
}
