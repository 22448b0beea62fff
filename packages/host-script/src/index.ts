export {
  buildDeployScript,
  type DeployScriptOptions,
  deployScriptProblems,
  ENV_KEY,
  IMAGE_TAG_PATTERN,
  SHA,
} from './deploy-script';
export {
  type DeployState,
  type DeployStateEntry,
  DeployStateError,
  type DeployVersion,
  type EntryOutcome,
  entryOf,
  parseDeployState,
  type RunIdentity,
} from './deploy-state';
export { buildStateReadScript, parseScriptReport, parseStateReport, type ScriptReport } from './report';
