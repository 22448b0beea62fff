/**
 * Dev and test only: runs GitHub workflow files as the GitHub runner would — GitHub's own parser
 * (@actions/workflow-parser) and expression engine (@actions/expressions), the runner's step
 * machinery (@gatehouse/runner-harness), Gatehouse's own actions from their bundles, and local
 * stand-ins for third-party actions.
 *
 *   const result = await runWorkflow({
 *     workflow: 'examples/workflows/deploy-dev.yml',
 *     repoRoot,                                   // ./actions/x, OWNER/gatehouse/…@ref resolve here
 *     event: pushEvent({ sha, ref: 'refs/heads/main', repository: 'acme/api' }),
 *     secrets: { … }, environmentSecrets: { dev: { … } }, vars: { … },
 *     gitRepository,                              // what actions/checkout clones
 *     env: { PATH: `${standInBin}:${process.env.PATH}`, AWS_ENDPOINT_URL_SSM: emulator.endpoint },
 *     github: { apiUrl: stub.url, token },
 *     standIns: { 'owner/name': standIn },        // besides checkout, configure-aws-credentials, artifacts
 *     onLine: (line) => console.log(`${line.job} | ${line.text}`),
 *   });
 *   jobOf(result, 'deploy/deploy').steps        // what ran, outcome, conclusion, outputs, log, annotations
 *
 * `RunResult` (see result.ts): per job its key (`caller/called` for called workflows), result,
 * outputs, effective permissions, environment, runs-on, concurrency, steps and summary; per step
 * where it is declared (`listDeclaredSteps` gives the same keys for every step a file declares),
 * whether it ran and the condition that skipped it, outcome and conclusion, outputs, masked log
 * lines and annotations; the whole masked log; the job summaries; the artifact store.
 *
 * Loud failures: a file GitHub's parser rejects (`WorkflowParseError`), a run GitHub would not
 * start (`WorkflowStartupError`: wrong event, bad dispatch inputs, a called job asking for more
 * permissions than its caller grants, matrix/container jobs); an action with no stand-in fails
 * its job before any step runs.
 */
export { ArtifactStore, type StoredArtifact, type UploadRequest } from './artifact-store';
export {
  DEFAULT_REPOSITORY,
  type FinishedRun,
  type PushOptions,
  pushEvent,
  type ReleaseOptions,
  releaseEvent,
  type WorkflowDispatchOptions,
  type WorkflowEvent,
  type WorkflowRunOptions,
  workflowDispatchEvent,
  workflowRunEvent,
} from './events';
export { type DeclaredStep, listDeclaredSteps, stepKey, WorkflowParseError } from './load-workflow';
export {
  type DefaultPermissions,
  PERMISSION_SCOPES,
  type PermissionLevel,
  type PermissionScope,
  type Permissions,
} from './permissions';
export {
  type Conclusion,
  type JobRun,
  jobOf,
  type RunLogLine,
  type RunResult,
  type StepRun,
  stepOf,
} from './result';
export type { NeededJob } from './run-settings';
export { type RunWorkflowOptions, runWorkflow, WorkflowStartupError } from './run-workflow';
export { DEFAULT_STAND_INS, type StandIn, type StandInStep } from './stand-ins/index';
