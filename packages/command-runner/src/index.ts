export { localRunner } from './local-runner';
export { base64Decoded, shellAssignments, shellQuote } from './shell-quote';
export type { CommandRunner, HostResult, HostStatus, RunRequest, RunResult } from './types';
