import { ConfigurationError, input } from '@gatehouse/action-kit';
import { readTrustedRefs, readTrustedWorkflows } from '@gatehouse/github-client';
import { OUTCOMES, type Outcome } from './outcome';
import { MAX_BYTES_DEFAULT } from './render';

/** Every input of summary, read and checked once. Empty values mean "as the records say". */
export interface Settings {
  /** `start`: open the GitHub Deployment; `finish`: summary, final status, history. */
  phase: 'start' | 'finish';
  environment?: string;
  sha?: string;
  ref?: string;
  imageTag?: string;
  outcome?: Outcome;
  /** `${{ job.status }}`: catches a failed step that left no record. */
  jobStatus?: string;
  deployment: boolean;
  environmentUrl?: string;
  recordsDir: string;
  historyFile?: string;
  /** Replace historyFile with the newest trusted deploy-history-<environment> artifact's first. */
  restoreHistory: boolean;
  /** The workflow files whose runs' history artifacts are trusted; empty: this run's own. */
  trustedWorkflows: string[];
  /** The refs those runs may have run on; empty: the default branch. */
  trustedRefs: string[];
  historySize: number;
  maxRows: number;
  maxBytes: number;
  /** Masked; empty unless given. Checked here, so a missing token fails the start step, not the deploy's end. */
  token: string;
}

export function readSettings(): Settings {
  const deployment = input.boolean('deployment', false);
  const historyFile = input.optionalString('history-file');
  const restoreHistory = input.boolean('restore-history', false);
  if (restoreHistory && !historyFile) {
    throw new ConfigurationError(
      "Input 'restore-history' is true but 'history-file' is empty; name the file the history is kept in.",
    );
  }
  return {
    phase: input.choice('phase', ['start', 'finish'], 'finish'),
    environment: input.identifier('environment'),
    sha: fullSha(),
    ref: input.identifier('ref'),
    imageTag: input.identifier('image-tag'),
    outcome: input.choice('outcome', OUTCOMES),
    // GitHub's job.status: success, failure or cancelled. A typo must not read as "failed".
    jobStatus: input.choice('job-status', ['success', 'failure', 'cancelled']),
    deployment,
    environmentUrl: input.url('environment-url', ['http', 'https'], { example: 'https://dev.example.com' }),
    recordsDir: input.requiredString('records-dir'),
    historyFile,
    restoreHistory,
    trustedWorkflows: readTrustedWorkflows(input.identifierList('trusted-workflows')),
    trustedRefs: readTrustedRefs(input.identifierList('trusted-refs')),
    historySize: input.integer('history-size', { default: 200, min: 1, max: 10_000 })!,
    maxRows: input.integer('max-rows', { default: 50, min: 1, max: 10_000 })!,
    maxBytes: MAX_BYTES_DEFAULT,
    token: readToken(deployment, restoreHistory),
  };
}

/** A full commit SHA (40 hex characters, or 64 in a SHA-256 repository), as resolve-ref outputs it. */
function fullSha(): string | undefined {
  const sha = input.optionalString('sha');
  if (sha !== undefined && !/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(sha)) {
    throw new ConfigurationError(
      `Input 'sha' must be a full commit SHA (40 hex characters, e.g. resolve-ref's 'sha' output), got '${sha}'.`,
    );
  }
  return sha;
}

function readToken(deployment: boolean, restoreHistory: boolean): string {
  const token = input.secretString('token');
  if (deployment && !token) {
    throw new ConfigurationError(
      "Input 'token' is empty but 'deployment' is true; pass a token with deployments: write.",
    );
  }
  if (restoreHistory && !token) {
    throw new ConfigurationError(
      "Input 'token' is empty but 'restore-history' is true; pass a token with actions: read.",
    );
  }
  return token ?? '';
}
