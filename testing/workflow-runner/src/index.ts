/**
 * Dev and test only: runs GitHub workflow files as GitHub and its runner would — GitHub's own
 * parser (@actions/workflow-parser) and expression engine (@actions/expressions), the runner's
 * step machinery (@gatehouse/runner-harness), Gatehouse's actions from their bundles, and local
 * stand-ins for third-party actions.
 *
 *   const result = await runWorkflow({
 *     workflow: 'examples/workflows/deploy-dev.yml',   // absolute, or relative to repoRoot
 *     repoRoot,                                        // ./x and OWNER/gatehouse/x@ref resolve here
 *     event: pushEvent({ sha, ref: 'refs/heads/main', repository: 'acme/api' }),
 *     secrets: { … }, environmentSecrets: { dev: { … } }, vars: { … },
 *     gitRepository,                                   // what actions/checkout clones
 *     env: { PATH: `${standInBin}:${process.env.PATH}`, AWS_ENDPOINT_URL_SSM: emulator.endpoint },
 *     github: { apiUrl: stub.url, token },
 *     standIns: { 'owner/name': standIn },             // besides the DEFAULT_STAND_INS
 *     artifacts,                                       // share one ArtifactStore between runs
 *     onLine: (line) => console.log(`${line.job} | ${line.text}`),
 *   });
 *   jobOf(result, 'deploy/deploy').steps               // keys, ran/skippedBy, outcome, conclusion, outputs, log
 *
 * Events: `pushEvent`, `workflowDispatchEvent` (inputs as given; typed and defaulted by the run),
 * `workflowRunEvent` (from a finished `RunResult`: its head_sha, conclusion, workflow name) and
 * `releaseEvent`. Options, in full: `RunWorkflowOptions` (run-workflow.ts).
 *
 * `RunResult` (result.ts): the run's conclusion; per job its key (`caller/called` for the jobs of a
 * called workflow), result, outputs, effective permissions, environment, runs-on, concurrency,
 * workspace, summary and steps; per step (`pre`, `main` and `post` phases) where it is declared
 * (the keys `listDeclaredSteps` gives for every step of a file), whether it ran and the condition
 * that skipped it, outcome and conclusion, outputs, masked log lines, annotations, duration; the
 * whole masked log; the job summaries; the artifact store.
 *
 * Loud failures: a file GitHub's parser rejects throws `WorkflowParseError`; a run GitHub would not
 * start throws `WorkflowStartupError` (an event the workflow does not run on, bad dispatch inputs, a
 * called job asking for more permissions than its caller grants, matrix/container jobs); an action
 * with no stand-in, or an `action.yml` GitHub refuses, fails its job before any step runs.
 *
 * Not modelled: trigger filters (branches, paths, types, workflows) are not checked; jobs run one
 * at a time; composite and container actions, services, matrices, problem matchers, `hashFiles`.
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
