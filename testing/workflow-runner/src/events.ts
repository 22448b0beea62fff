/**
 * Events that start a run: the name, the webhook payload GitHub sends, and the `github.sha` /
 * `github.ref` GitHub sets for that event (not always in the payload: for `workflow_dispatch` and
 * `workflow_run` they are the head of the branch, for `release` the tagged commit).
 */
export interface WorkflowEvent {
  name: string;
  payload: Record<string, unknown>;
  sha: string;
  ref: string;
}

export const DEFAULT_REPOSITORY = 'example/service';

interface RepositoryOptions {
  /** `owner/name`; default `example/service`. */
  repository?: string;
  defaultBranch?: string;
  /** Who triggered it; default `octocat`. */
  actor?: string;
}

function repositoryPayload({
  repository = DEFAULT_REPOSITORY,
  defaultBranch = 'main',
  actor = 'octocat',
}: RepositoryOptions) {
  const [owner = '', name = ''] = repository.split('/');
  return {
    repository: {
      id: 1,
      name,
      full_name: repository,
      owner: { login: owner, id: 2 },
      default_branch: defaultBranch,
      html_url: `https://github.com/${repository}`,
    },
    sender: { login: actor, id: 3 },
  };
}

const ZERO_SHA = '0'.repeat(40);

export interface PushOptions extends RepositoryOptions {
  /** Full ref; default `refs/heads/main`. */
  ref?: string;
  sha: string;
  /** The commit the ref pointed at before (`before`); default all zeros (a new ref). */
  before?: string;
  message?: string;
}

export function pushEvent(options: PushOptions): WorkflowEvent {
  const ref = options.ref ?? 'refs/heads/main';
  const base = repositoryPayload(options);
  const commit = {
    id: options.sha,
    message: options.message ?? 'commit',
    timestamp: new Date().toISOString(),
  };
  return {
    name: 'push',
    sha: options.sha,
    ref,
    payload: {
      ref,
      before: options.before ?? ZERO_SHA,
      after: options.sha,
      created: (options.before ?? ZERO_SHA) === ZERO_SHA,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${base.repository.html_url}/commit/${options.sha}`,
      commits: [commit],
      head_commit: commit,
      pusher: { name: options.actor ?? 'octocat' },
      ...base,
    },
  };
}

export interface WorkflowDispatchOptions extends RepositoryOptions {
  /** The branch or tag dispatched on; default `refs/heads/main`. */
  ref?: string;
  /** The head of that ref. */
  sha: string;
  /** As given by the person or the API, all strings; defaults are filled in by the runner. */
  inputs?: Record<string, string | boolean | number>;
  /** The workflow file, e.g. `.github/workflows/deploy-prod.yml`. */
  workflow?: string;
}

export function workflowDispatchEvent(options: WorkflowDispatchOptions): WorkflowEvent {
  const ref = options.ref ?? 'refs/heads/main';
  const inputs = Object.fromEntries(Object.entries(options.inputs ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    name: 'workflow_dispatch',
    sha: options.sha,
    ref,
    payload: { ref, inputs, workflow: options.workflow ?? '', ...repositoryPayload(options) },
  };
}

/** What `workflowRunEvent` needs of a finished run (a `RunResult` of this runner fits). */
export interface FinishedRun {
  runId: number;
  runNumber: number;
  runAttempt: number;
  conclusion: string;
  workflow: { name: string; file: string };
  event: WorkflowEvent;
}

export interface WorkflowRunOptions extends RepositoryOptions {
  /** The run that completed (its `head_sha`, `head_branch`, conclusion and workflow name). */
  run: FinishedRun;
  /** The head of the default branch now: `github.sha` of the triggered run. */
  sha: string;
  /** Override the run's conclusion (e.g. to try a failed upstream run). */
  conclusion?: string;
}

export function workflowRunEvent(options: WorkflowRunOptions): WorkflowEvent {
  const { run } = options;
  const defaultBranch = options.defaultBranch ?? 'main';
  const base = repositoryPayload(options);
  const headBranch = run.event.ref.replace(/^refs\/(heads|tags)\//, '');
  return {
    name: 'workflow_run',
    sha: options.sha,
    ref: `refs/heads/${defaultBranch}`,
    payload: {
      action: 'completed',
      workflow_run: {
        id: run.runId,
        name: run.workflow.name,
        path: run.workflow.file,
        display_title: run.workflow.name,
        event: run.event.name,
        status: 'completed',
        conclusion: options.conclusion ?? run.conclusion,
        head_sha: run.event.sha,
        head_branch: headBranch,
        run_number: run.runNumber,
        run_attempt: run.runAttempt,
        html_url: `${base.repository.html_url}/actions/runs/${run.runId}`,
      },
      workflow: { name: run.workflow.name, path: run.workflow.file },
      ...base,
    },
  };
}

export interface ReleaseOptions extends RepositoryOptions {
  tag: string;
  /** The tagged commit. */
  sha: string;
  /** Default `published`. */
  action?: string;
  name?: string;
  prerelease?: boolean;
  targetCommitish?: string;
}

export function releaseEvent(options: ReleaseOptions): WorkflowEvent {
  const base = repositoryPayload(options);
  return {
    name: 'release',
    sha: options.sha,
    ref: `refs/tags/${options.tag}`,
    payload: {
      action: options.action ?? 'published',
      release: {
        id: 4,
        tag_name: options.tag,
        name: options.name ?? options.tag,
        target_commitish: options.targetCommitish ?? base.repository.default_branch,
        draft: false,
        prerelease: options.prerelease ?? false,
        html_url: `${base.repository.html_url}/releases/tag/${options.tag}`,
      },
      ...base,
    },
  };
}
