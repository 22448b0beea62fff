/**
 * A JavaScript action as the runner runs one phase of it (actions/runner `ActionRunner` +
 * `NodeScriptActionHandler`): `action.yml` read by GitHub's own action parser, inputs with their
 * defaults evaluated as expressions, `INPUT_*`/`STATE_*`, the runtime `GITHUB_*`/`RUNNER_*`
 * variables, the step's file commands, and the phase's script under node.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import {
  type ActionRunsNode,
  type ActionTemplate,
  convertActionTemplate,
  parseAction,
} from '@actions/workflow-parser/actions/index';
import { ErrorPolicy } from '@actions/workflow-parser/model/convert';
import { type ContextValue, evaluateString, type Scope } from './expressions';
import type { StepFileResults, StepFiles } from './file-commands';
import type { StepOutput } from './step-output';
import { runStepProcess, type StepProcessResult } from './step-process';

export type Phase = 'pre' | 'main' | 'post';

export interface LoadedAction {
  dir: string;
  template: ActionTemplate;
  runs: ActionRunsNode;
  /** What GitHub's parser refused in a manifest loaded with `tolerate` (empty otherwise). */
  problems: string[];
}

export interface LoadOptions {
  /**
   * Load a manifest the runner would refuse ("Failed to load …/action.yml") when it can still be
   * read, recording what is wrong in `problems`. For running one action on its own (`runAction`);
   * a workflow run never tolerates it.
   */
  tolerate?: boolean;
}

/** Reads `action.yml` (or `action.yaml`) with GitHub's parser; a manifest GitHub rejects throws. */
export async function loadAction(dir: string, options: LoadOptions = {}): Promise<LoadedAction> {
  const file = ['action.yml', 'action.yaml'].map((name) => join(dir, name)).find((path) => existsSync(path));
  if (!file) throw new Error(`Can't find 'action.yml' or 'action.yaml' under '${dir}'.`);
  return parseActionManifest(await readFile(file, 'utf8'), file, dir, options);
}

/** An `action.yml` given as text (`name` for messages); only JavaScript actions (`runs.using: node…`). */
export function parseActionManifest(
  content: string,
  name: string,
  dir: string,
  options: LoadOptions = {},
): LoadedAction {
  const parsed = parseAction({ name, content }, new NoOperationTraceWriter());
  const problems = parsed.context.errors.getErrors().map((e) => e.message);
  if (!parsed.value || (problems.length > 0 && !options.tolerate)) {
    throw new Error(`${name} is not a valid action:\n${problems.join('\n')}`);
  }
  const template = convertActionTemplate(parsed.context, parsed.value, {
    errorPolicy: ErrorPolicy.TryConversion,
  });
  const runs = template.runs;
  if (!runs.using.startsWith('node')) {
    throw new Error(`${name}: 'runs.using: ${runs.using}' is not supported here (JavaScript actions only).`);
  }
  return { dir, template, runs: runs as ActionRunsNode, problems };
}

/** The runner's name for an input's variable: uppercased, spaces to `_`, hyphens kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export interface ResolvedInputs {
  /** Every input the action receives: given ones, then declared defaults. */
  values: Record<string, string>;
  /** Given inputs the action does not declare (the runner warns, it does not fail). */
  unexpected: string[];
}

/** Given inputs plus each declared default evaluated in `scope` (`ActionRunner` "Merge the default inputs"). */
export function resolveInputs(
  action: LoadedAction,
  given: Record<string, string>,
  scope: Scope,
): ResolvedInputs {
  const declared = action.template.inputs ?? [];
  const values: Record<string, string> = { ...given };
  const lower = new Set(Object.keys(given).map((k) => k.toLowerCase()));
  for (const input of declared) {
    if (lower.has(input.id.toLowerCase())) continue;
    values[input.id] = input.default
      ? evaluateString(input.default, scope, `input '${input.id}' default`)
      : '';
  }
  const known = new Set(declared.map((i) => i.id.toLowerCase()));
  return { values, unexpected: Object.keys(given).filter((k) => !known.has(k.toLowerCase())) };
}

/** The `Unexpected input(s)` warning the runner writes for undeclared inputs. */
export function unexpectedInputsWarning(action: LoadedAction, unexpected: readonly string[]): string {
  const valid = (action.template.inputs ?? []).map((i) => i.id);
  return `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${valid.join("', '")}']`;
}

// GitHubContext's `_contextEnvAllowlist`: the keys exported as `GITHUB_<KEY>`.
const GITHUB_ENV_KEYS = new Set([
  'action_path',
  'action_ref',
  'action_repository',
  'action',
  'actor',
  'actor_id',
  'api_url',
  'artifacts',
  'artifacts_list',
  'base_ref',
  'env',
  'event_name',
  'event_path',
  'graphql_url',
  'head_ref',
  'job',
  'output',
  'path',
  'ref_name',
  'ref_protected',
  'ref_type',
  'ref',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'retention_days',
  'run_attempt',
  'run_id',
  'run_number',
  'server_url',
  'sha',
  'state',
  'step_summary',
  'triggering_actor',
  'workflow',
  'workflow_ref',
  'workflow_sha',
  'workspace',
]);

/** `GITHUB_*` and `RUNNER_*` variables from the `github` and `runner` contexts, as the runner exports them. */
export function runtimeEnvironment(
  github: Readonly<Record<string, ContextValue>>,
  runner: Readonly<Record<string, string>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(github)) {
    if (!GITHUB_ENV_KEYS.has(key.toLowerCase())) continue;
    if (typeof value === 'string') env[`GITHUB_${key.toUpperCase()}`] = value;
    else if (typeof value === 'boolean') env[`GITHUB_${key.toUpperCase()}`] = value ? 'True' : 'False';
  }
  for (const [key, value] of Object.entries(runner)) env[`RUNNER_${key.toUpperCase()}`] = value;
  return env;
}

/** PATH with the step-added directories first, the newest first (`AddPrependPathToEnvironment`). */
export function prependPath(added: readonly string[], path: string | undefined): string {
  return [...added]
    .reverse()
    .concat(path ? [path] : [])
    .join(':');
}

export interface ActionPhaseOptions {
  action: LoadedAction;
  phase: Phase;
  /** Everything but the inputs, state and file command paths (see `runtimeEnvironment`). */
  env: Readonly<Record<string, string>>;
  inputs: Readonly<Record<string, string>>;
  state: Readonly<Record<string, string>>;
  /** The job's workspace: the phase's working directory. */
  workspace: string;
  runnerTemp: string;
  files: StepFiles;
  output: StepOutput;
  cancel?: AbortSignal;
  killAfterMs?: number;
}

export interface ActionPhaseResult {
  process: StepProcessResult;
  files: StepFileResults;
}

/** Runs `pre`, `main` or `post` of a JavaScript action; its file commands are read back after. */
export async function runActionPhase(options: ActionPhaseOptions): Promise<ActionPhaseResult> {
  const script = options.phase === 'main' ? options.action.runs.main : options.action.runs[options.phase];
  if (!script) throw new Error(`${options.action.dir} has no '${options.phase}' script.`);
  const env: Record<string, string> = { ...options.env };
  for (const [name, value] of Object.entries(options.inputs)) env[inputEnvName(name)] = value;
  for (const [name, value] of Object.entries(options.state)) env[`STATE_${name}`] = value;
  Object.assign(env, options.files.paths);
  // The runner removes it so the action's node does not pick up the runner's ICU data.
  delete env.NODE_ICU_DATA;
  const process = await runStepProcess({
    file: globalThis.process.execPath,
    args: [join(options.action.dir, script)],
    cwd: options.workspace,
    env,
    output: options.output,
    cancel: options.cancel,
    killAfterMs: options.killAfterMs,
  });
  return { process, files: await options.files.read() };
}
