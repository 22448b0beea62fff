/**
 * What one step phase gets from its job, and what it gives back: the effects the runner applies
 * after the step (outputs, `GITHUB_ENV`, `GITHUB_PATH`, state, summary), from files, commands or a
 * stand-in alike.
 */
import {
  type ContextValue,
  prependPath,
  runtimeEnvironment,
  type Scope,
  type StepFileResults,
  type StepOutput,
} from '@gatehouse/runner-harness';
import type { Permissions } from './permissions';
import type { RunSettings } from './run-settings';

export interface JobFacts {
  key: string;
  permissions: Permissions;
  workspace: string;
  temp: string;
  home: string;
  /** Directories added through `GITHUB_PATH`, oldest first. */
  prependPath: readonly string[];
  /** `defaults.run`: the job's, else the workflow's. */
  defaults: { shell?: string; workingDirectory?: string };
  /** Per-job tokens the runner hands to actions (masked). */
  runtimeToken: string;
  idToken?: string;
}

export interface StepRuntime {
  settings: RunSettings;
  job: JobFacts;
  /** Contexts for evaluating the step's fields (env already includes the step's own `env:`). */
  scope: Scope;
  /** The `env` context of the step. */
  env: Readonly<Record<string, string>>;
  /** The `github` context of the step (`action`, file command paths set per phase). */
  github: Record<string, ContextValue>;
  runner: Readonly<Record<string, string>>;
  output: StepOutput;
  cancel: AbortSignal;
  /** The action's state from earlier phases (`STATE_*`). */
  state: Readonly<Record<string, string>>;
  onProcessGroup(group: number | undefined): void;
}

export interface StepEffects {
  outputs: [string, string][];
  env: [string, string][];
  path: string[];
  state: [string, string][];
  summary: string;
  /** The runner's errors for files it could not process: the step fails. */
  fileErrors: string[];
  /** Errors that do not fail the step (a summary over the size limit). */
  otherErrors: string[];
}

export interface PhaseOutcome {
  failed: boolean;
  effects: StepEffects;
}

export const NO_EFFECTS: StepEffects = {
  outputs: [],
  env: [],
  path: [],
  state: [],
  summary: '',
  fileErrors: [],
  otherErrors: [],
};

/** Effects of a process step: its file commands, then what its workflow commands set. */
export function processEffects(files: StepFileResults, output: StepOutput): StepEffects {
  return {
    outputs: [...Object.entries(output.outputs), ...files.outputs],
    env: [...output.env, ...files.env],
    path: [...output.path, ...files.path],
    state: [...Object.entries(output.state), ...files.state],
    summary: files.summary,
    fileErrors: files.errors,
    otherErrors: files.annotations,
  };
}

/**
 * A step process's environment as the runner builds it: the machine's, then the `env` context, PATH
 * with the added directories first, the `GITHUB_*`/`RUNNER_*` variables, then `extra` (`ACTIONS_*`).
 */
export function processEnvironment(
  runtime: StepRuntime,
  github: Readonly<Record<string, ContextValue>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const { settings, job } = runtime;
  const env: Record<string, string> = { ...settings.machineEnv, CI: 'true', GITHUB_ACTIONS: 'true' };
  if (!settings.homeGiven) env.HOME = job.home;
  Object.assign(env, runtime.env);
  if (job.prependPath.length > 0)
    env.PATH = prependPath(job.prependPath, runtime.env.PATH ?? settings.machineEnv.PATH);
  Object.assign(env, runtimeEnvironment(github, runtime.runner), extra);
  if (job.idToken) {
    env.ACTIONS_ID_TOKEN_REQUEST_URL = settings.idTokenRequestUrl;
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = job.idToken;
  }
  return env;
}
