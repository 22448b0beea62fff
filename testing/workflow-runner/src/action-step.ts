/**
 * A `uses:` step phase: a Gatehouse JavaScript action through the runner harness, or a stand-in
 * in-process. Inputs are the `with:` values evaluated with GitHub's engine plus the action's
 * declared defaults (evaluated the same way); an input it does not declare is a warning, as the
 * runner's "Unexpected input(s)". The `Run …` group with the inputs and env opens the log.
 */
import {
  escapeData,
  type LoadedAction,
  type Phase,
  resolveInputs,
  runActionPhase,
  StepFiles,
  unexpectedInputsWarning,
} from '@gatehouse/runner-harness';
import type { ResolvedUses } from './resolve-uses';
import type { StandInStep } from './stand-ins/types';
import {
  NO_EFFECTS,
  type PhaseOutcome,
  processEffects,
  processEnvironment,
  type StepEffects,
  type StepRuntime,
} from './step-runtime';

function printDetails(
  runtime: StepRuntime,
  resolved: ResolvedUses,
  phase: Phase,
  inputs: Record<string, string>,
) {
  const { output } = runtime;
  if (phase === 'post') {
    output.runnerLine('Post job cleanup.');
    return;
  }
  output.runnerLine(`##[group]Run ${resolved.title}`);
  const shown = Object.entries(inputs).filter(([, value]) => value !== '');
  if (shown.length > 0) {
    output.runnerLine('with:');
    for (const [key, value] of shown) output.runnerLine(`  ${key}: ${value}`);
  }
  const env = {
    ...runtime.env,
    ...Object.fromEntries(Object.entries(runtime.state).map(([k, v]) => [`STATE_${k}`, v])),
  };
  if (Object.keys(env).length > 0) {
    output.runnerLine('env:');
    for (const [key, value] of Object.entries(env)) output.runnerLine(`  ${key}: ${value}`);
  }
  output.runnerLine('##[endgroup]');
}

function actionGithub(runtime: StepRuntime, resolved: ResolvedUses, action: LoadedAction) {
  return {
    ...runtime.github,
    action_path: resolved.kind === 'action' ? action.dir : '',
    action_repository: resolved.repository,
    action_ref: resolved.ref,
  };
}

/** Inputs for the step: `with:` (already evaluated) plus defaults, warning about undeclared ones. */
function inputsFor(runtime: StepRuntime, action: LoadedAction, given: Record<string, string>, phase: Phase) {
  const inputs = resolveInputs(action, given, runtime.scope);
  if (inputs.unexpected.length > 0 && phase !== 'post') {
    runtime.output.annotate('warning', unexpectedInputsWarning(action, inputs.unexpected));
  }
  return inputs.values;
}

export async function runActionStep(
  runtime: StepRuntime,
  resolved: ResolvedUses,
  phase: Phase,
  given: Record<string, string>,
): Promise<PhaseOutcome> {
  if (resolved.kind === 'stand-in') return runStandIn(runtime, resolved, phase, given);
  const { action } = resolved;
  const inputs = inputsFor(runtime, action, given, phase);
  printDetails(runtime, resolved, phase, inputs);
  if (resolved.local && action.runs.pre && phase === 'main') {
    runtime.output.annotate(
      'warning',
      `\`pre\` execution is not supported for local action from '${resolved.title}'`,
    );
  }
  const files = await StepFiles.create(runtime.job.temp);
  const github = {
    ...actionGithub(runtime, resolved, action),
    env: files.paths.GITHUB_ENV,
    path: files.paths.GITHUB_PATH,
    output: files.paths.GITHUB_OUTPUT,
    state: files.paths.GITHUB_STATE,
    step_summary: files.paths.GITHUB_STEP_SUMMARY,
  };
  const env = processEnvironment(runtime, github, {
    ACTIONS_RUNTIME_URL: 'http://127.0.0.1:9/runtime/',
    ACTIONS_RUNTIME_TOKEN: runtime.job.runtimeToken,
    ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/results/',
  });
  const { process, files: written } = await runActionPhase({
    action,
    phase,
    env,
    inputs,
    state: runtime.state,
    workspace: runtime.job.workspace,
    runnerTemp: runtime.job.temp,
    files,
    output: runtime.output,
    cancel: runtime.cancel,
  });
  runtime.onProcessGroup(process.processGroup);
  return {
    failed: process.exitCode !== 0 || runtime.output.failed,
    effects: processEffects(written, runtime.output),
  };
}

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

async function runStandIn(
  runtime: StepRuntime,
  resolved: Extract<ResolvedUses, { kind: 'stand-in' }>,
  phase: Phase,
  given: Record<string, string>,
): Promise<PhaseOutcome> {
  const { output } = runtime;
  const body = phase === 'post' ? resolved.standIn.post : resolved.standIn.main;
  if (!body) return { failed: false, effects: NO_EFFECTS };
  const inputs = inputsFor(runtime, resolved.manifest, given, phase);
  printDetails(runtime, resolved, phase, inputs);
  const effects: StepEffects = { ...NO_EFFECTS, outputs: [], env: [], path: [], state: [] };
  const github = actionGithub(runtime, resolved, resolved.manifest);
  const input = (name: string, options: { required?: boolean } = {}) => {
    const key = Object.keys(inputs).find((k) => k.toLowerCase() === name.toLowerCase());
    const value = (key === undefined ? '' : inputs[key]!).trim();
    if (options.required && value === '') throw new Error(`Input required and not supplied: ${name}`);
    return value;
  };
  const step: StandInStep = {
    uses: resolved.title,
    ref: resolved.ref,
    inputs,
    input,
    booleanInput: (name) => {
      const value = input(name);
      if (TRUE.includes(value)) return true;
      if (FALSE.includes(value) || value === '') return false;
      throw new TypeError(
        `Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``,
      );
    },
    env: processEnvironment(runtime, github),
    github,
    workspace: runtime.job.workspace,
    runnerTemp: runtime.job.temp,
    job: {
      key: runtime.job.key,
      permissions: runtime.job.permissions,
      token: runtime.settings.identity.token,
    },
    run: {
      id: runtime.settings.identity.runId,
      repository: runtime.settings.identity.repository,
      serverUrl: runtime.settings.identity.serverUrl,
    },
    artifacts: runtime.settings.artifacts,
    gitRepository: runtime.settings.gitRepository,
    state: runtime.state,
    cancel: runtime.cancel,
    info: (text) => {
      for (const line of text.split('\n')) output.line(line, 'stdout');
    },
    // Through the command reader, as @actions/core's commands would go.
    debug: (text) => output.line(`::debug::${escapeData(text)}`, 'stdout'),
    warning: (message) => output.annotate('warning', message),
    notice: (message) => output.annotate('notice', message),
    setOutput: (name, value) => effects.outputs.push([name, value]),
    exportVariable: (name, value) => effects.env.push([name, value]),
    setSecret: (value) => output.line(`::add-mask::${escapeData(value)}`, 'stdout'),
    addPath: (dir) => effects.path.push(dir),
    saveState: (name, value) => effects.state.push([name, value]),
    appendSummary: (markdown) => {
      effects.summary += markdown;
    },
  };
  try {
    await body(step);
    return { failed: output.failed, effects };
  } catch (error) {
    output.annotate('error', error instanceof Error ? error.message : String(error));
    return { failed: true, effects };
  }
}
