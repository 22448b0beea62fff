/**
 * The `github` context as the runner has it for a job (docs: "Contexts" → github), built from the
 * event and the run. The `GITHUB_*` variables a step sees are exported from it by the harness
 * (`runtimeEnvironment`), with the runner's allowlist.
 */
import type { ContextValue } from '@gatehouse/runner-harness';
import type { WorkflowEvent } from './events';

export interface RunIdentity {
  repository: string;
  repositoryId: number;
  ownerId: number;
  actor: string;
  actorId: number;
  serverUrl: string;
  apiUrl: string;
  token: string;
  runId: number;
  runNumber: number;
  runAttempt: number;
  /** The top-level workflow (a called workflow sees its caller's). */
  workflowName: string;
  workflowFile: string;
  eventPath: string;
}

function refName(ref: string): string {
  const pull = /^refs\/pull\/(.+)$/.exec(ref);
  if (pull) return pull[1]!;
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

export function githubContext(
  event: WorkflowEvent,
  run: RunIdentity,
  job: { id: string; workspace: string },
): Record<string, ContextValue> {
  const [owner = ''] = run.repository.split('/');
  const pullRequest = event.payload.pull_request as
    | { head?: { ref?: string }; base?: { ref?: string } }
    | undefined;
  return {
    action: '',
    action_path: '',
    action_ref: '',
    action_repository: '',
    actor: run.actor,
    actor_id: String(run.actorId),
    api_url: run.apiUrl,
    base_ref: pullRequest?.base?.ref ?? '',
    event: event.payload as ContextValue,
    event_name: event.name,
    event_path: run.eventPath,
    graphql_url: `${run.apiUrl.replace(/\/$/, '')}/graphql`,
    head_ref: pullRequest?.head?.ref ?? '',
    job: job.id,
    ref: event.ref,
    ref_name: refName(event.ref),
    ref_protected: false,
    ref_type: event.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    repository: run.repository,
    repository_id: String(run.repositoryId),
    repository_owner: owner,
    repository_owner_id: String(run.ownerId),
    repositoryUrl: `git://${new URL(run.serverUrl).host}/${run.repository}.git`,
    retention_days: '90',
    run_attempt: String(run.runAttempt),
    run_id: String(run.runId),
    run_number: String(run.runNumber),
    secret_source: 'Actions',
    server_url: run.serverUrl,
    sha: event.sha,
    token: run.token,
    triggering_actor: run.actor,
    workflow: run.workflowName,
    workflow_ref: `${run.repository}/${run.workflowFile}@${event.ref}`,
    workflow_sha: event.sha,
    workspace: job.workspace,
  };
}
