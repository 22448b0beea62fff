export { type CommandOptions, type CommandResult, type OutputStream, runCommand } from './command';
export { formatDuration, parseDuration, TIMER_LIMIT_MS } from './duration';
export { ActionFailure, ConfigurationError, errorMessage } from './errors';
export {
  FileProblem,
  readInputFile,
  readRegularFile,
  replaceInputFile,
  replaceRegularFile,
} from './input-file';
export * as input from './inputs';
export { appendSummary } from './job-summary';
export { splitList } from './list';
export * as log from './log';
export { mask, maskUrlPassword } from './mask';
export { runMain } from './run-main';
