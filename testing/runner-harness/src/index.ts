export { applyMasks, parseFileCommands, parseWorkflowCommands } from './file-commands';
export {
  type ActionRun,
  type GithubContext,
  inputEnvName,
  type PhaseRun,
  type RunActionOptions,
  readManifest,
  runAction,
} from './run-action';
