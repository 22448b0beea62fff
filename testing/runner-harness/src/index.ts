/**
 * Dev and test only: the GitHub runner's step machinery — one action or process step, its output
 * and workflow commands, its file commands, masking, and `${{ }}` on GitHub's expression engine.
 * `runAction` runs one built action on its own; `@gatehouse/workflow-runner` runs whole workflows
 * on these same parts.
 */
export {
  type ActionPhaseOptions,
  type ActionPhaseResult,
  inputEnvName,
  type LoadedAction,
  type LoadOptions,
  loadAction,
  type Phase,
  parseActionManifest,
  prependPath,
  type ResolvedInputs,
  resolveInputs,
  runActionPhase,
  runtimeEnvironment,
  unexpectedInputsWarning,
} from './action';
export {
  type Contexts,
  type ContextValue,
  ExpressionEvaluationError,
  evaluateCondition,
  evaluateExpression,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  type Scope,
  type StatusFunctions,
  toStringValue,
  where,
} from './expressions';
export {
  parseFileCommands,
  readKeyValueFile,
  readPathFile,
  STEP_SUMMARY_LIMIT,
  type StepFilePaths,
  type StepFileResults,
  StepFiles,
} from './file-commands';
export {
  type ActionRun,
  type GithubContext,
  machineEnvironment,
  overlay,
  type PhaseRun,
  type RunActionOptions,
  runAction,
} from './run-action';
export { applyMasks, SecretMasker } from './secret-masker';
export {
  type Annotation,
  type LogLine,
  type LogStream,
  StepOutput,
  type StepOutputOptions,
} from './step-output';
export {
  runStepProcess,
  type StepProcessOptions,
  type StepProcessResult,
  stillRunning,
} from './step-process';
export {
  type AnnotationLevel,
  type CommandEvent,
  type CommandReaderOptions,
  escapeData,
  escapeProperty,
  parseLegacyCommand,
  parseV2Command,
  parseWorkflowCommand,
  parseWorkflowCommands,
  RUNNER_COMMANDS,
  splitOutputLines,
  type WorkflowCommand,
  WorkflowCommandReader,
  type WorkflowCommands,
} from './workflow-commands';
