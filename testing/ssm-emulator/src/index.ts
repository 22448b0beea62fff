/**
 * Dev/test only: an SSM Run Command emulator. Never import it from an action's `src/`.
 *
 * How it answers, where SSM leaves a choice (each is a decision, documented where it is made):
 * - Invocation `Status` / `StatusDetails`: Pending/"Pending", InProgress/"In Progress",
 *   Success/"Success", Failed/"Failed", TimedOut/"Execution Timed Out", TimedOut/"Delivery Timed
 *   Out", Cancelled/"Cancelled", Failed/"Undeliverable", Cancelled/"Terminated" (statuses.ts).
 *   `ResponseCode` is the exit code, -1 when the script did not exit on its own.
 * - Unknown ids in `InstanceIds` → InvalidInstanceId; in an `InstanceIds` *target* → Undeliverable.
 * - Offline hosts (registered offline, `offlineHosts`, or a dead agent): PingStatus ConnectionLost,
 *   invocations Undeliverable, which counts neither against MaxErrors nor against the command's Success.
 * - Agent death: the script's process group is killed, the host goes ConnectionLost, and the
 *   invocation stays In Progress until the command expires (TimeoutSeconds + executionTimeout after
 *   sending), then ends TimedOut/"Delivery Timed Out", as SSM expires unanswered invocations.
 * - MaxErrors: Failed and Execution Timed Out count; once errors exceed it, hosts not yet started
 *   end Terminated. Percentages round up for MaxConcurrency (at least 1), down for MaxErrors.
 *   Defaults are SSM's: MaxConcurrency 50, MaxErrors 0, TimeoutSeconds 3600, executionTimeout 3600.
 * - TimeoutSeconds below SSM's minimum of 30 is accepted, so delivery-timeout tests stay short.
 * - Each script runs as `bash <file>` in `rootDir/<id>` (HOME too), with PATH (the host's `path`,
 *   else this process's), LANG, AWS_SSM_INSTANCE_ID and AWS_SSM_REGION_NAME set, in its own
 *   process group.
 * - CloudWatch Logs `GetLogEvents` is served on the same endpoint (see operations/get-log-events.ts).
 * - ListCommands takes the `ExecutionStage` filter (`Executing` / `Complete`) with the others,
 *   ANDed; a filter key an operation does not take is InvalidFilterKey.
 * - Answers stay within SSM's service model (service-model.ts checks them): unset optional
 *   fields are left out rather than sent empty, and GetCommandInvocation's times are whole seconds
 *   (ExecutionElapsedTime, whose model pattern no duration matches, is left out).
 * - `stats().maxRunning` is the most invocations In Progress at once across all commands;
 *   `invocations()` gives each one's start and end; `recordTraffic` keeps every exchange.
 */
export { startSsmEmulator } from './emulator';
export {
  COMMON_ERRORS,
  exchangeProblems,
  INSTALL_HINT,
  loadLogsServiceModel,
  loadServiceModel,
  loadSsmServiceModel,
  type ServiceModel,
  shapeProblems,
} from './service-model';
export { PLUGIN_OUTPUT_LIMIT, STDERR_CONTENT_LIMIT, STDOUT_CONTENT_LIMIT } from './truncation';
export type {
  EmulatedHost,
  EmulatorStats,
  Exchange,
  InvocationView,
  SentCommand,
  SsmEmulator,
  SsmFaults,
  StartOptions,
} from './types';
