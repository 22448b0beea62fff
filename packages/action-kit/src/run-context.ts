/**
 * The workflow run an action runs in, as the runner describes it in `GITHUB_*` variables, read in
 * one place. A value the runner did not set is undefined (a local run, a test), except the two
 * URLs, which default to github.com's as the runner's own would.
 */
export interface RunContext {
  /** `owner/name`; '' when unset. */
  repository: string;
  runId: string | undefined;
  runAttempt: string | undefined;
  actor: string | undefined;
  /** Who started this attempt (a re-run's actor), when it differs from `actor`'s meaning. */
  triggeringActor: string | undefined;
  /** The step's id (`GITHUB_ACTION`): an `id:`, or one the runner made up (`__run`, `__owner_repo`). */
  action: string | undefined;
  /** The commit the workflow ran on. */
  sha: string | undefined;
  ref: string | undefined;
  refName: string | undefined;
  eventName: string | undefined;
  /** The event's payload, a JSON file. */
  eventPath: string | undefined;
  workspace: string | undefined;
  /** `owner/repo/.github/workflows/deploy.yml@refs/heads/main`: the workflow file this run is of. */
  workflowRef: string | undefined;
  /** `https://github.com`, or the GitHub Enterprise Server's. */
  serverUrl: string;
  /** `https://api.github.com`, or `https://HOST/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
}

export function runContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const value = (name: string) => env[name] || undefined;
  return {
    repository: env.GITHUB_REPOSITORY ?? '',
    runId: value('GITHUB_RUN_ID'),
    runAttempt: value('GITHUB_RUN_ATTEMPT'),
    actor: value('GITHUB_ACTOR'),
    triggeringActor: value('GITHUB_TRIGGERING_ACTOR'),
    action: value('GITHUB_ACTION'),
    sha: value('GITHUB_SHA'),
    ref: value('GITHUB_REF'),
    refName: value('GITHUB_REF_NAME'),
    eventName: value('GITHUB_EVENT_NAME'),
    eventPath: value('GITHUB_EVENT_PATH'),
    workspace: value('GITHUB_WORKSPACE'),
    workflowRef: value('GITHUB_WORKFLOW_REF'),
    serverUrl: value('GITHUB_SERVER_URL') ?? 'https://github.com',
    apiUrl: value('GITHUB_API_URL') ?? 'https://api.github.com',
  };
}
