export { localRunner } from './local-runner';
export { hostCount, isRate, rateProblem } from './rollout/limits';
export { type RolloutRequest, type RolloutResult, runRollout, type WaveResult } from './rollout/run-rollout';
export type { RolloutSettings } from './rollout/settings';
export { describeWaves, parseWaves, planWaves, type WaveStep } from './rollout/waves';
export { base64Decoded, type ShellValue, shellAssignments, shellQuote } from './shell-quote';
export { type ShellScriptParts, shellScript } from './shell-script';
export { scriptOfCommands } from './ssm/send';
export { abbreviate } from './ssm/ssm-runner';
export {
  cancelSsmCommands,
  createRunner,
  parseInstanceIds,
  parseInstanceTags,
  type RunnerOptions,
  type TargetSettings,
} from './targets';
export type {
  CommandRunner,
  HostOutput,
  HostResult,
  HostStatus,
  RunRequest,
  RunResult,
} from './types';
