export { localRunner } from './local-runner';
export { base64Decoded, shellAssignments, shellQuote } from './shell-quote';
export {
  cancelSsmCommands,
  createRunner,
  parseInstanceIds,
  parseInstanceTags,
  type RunnerOptions,
  type TargetSettings,
} from './targets';
export type { CommandRunner, HostResult, HostStatus, RunRequest, RunResult } from './types';
