import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit/errors';
import { filledRoute, GithubApiError, type GithubClient } from './index';

/**
 * What CI says about one commit: its check runs (Checks API, the latest run of each check) and
 * its commit statuses (the combined status: the latest status of each context). Read whole, every
 * page, so a verdict on "every check" never rests on the first hundred.
 */

/** The fields of GitHub's check-run object that a verdict reads. */
export interface CheckRun {
  id: number;
  name: string;
  /** queued, in_progress, completed, waiting, requested or pending. */
  status: string;
  /** Set once completed: success, failure, neutral, cancelled, skipped, timed_out, action_required, stale. */
  conclusion: string | null;
  /** For a GitHub Actions job: `…/actions/runs/<run_id>/job/<job_id>`. */
  details_url: string | null;
  html_url: string | null;
  app: { slug?: string } | null;
}

/** The fields of a commit status (one per context in the combined status). */
export interface CommitStatus {
  context: string;
  /** error, failure, pending or success. */
  state: string;
  target_url: string | null;
  description: string | null;
}

export interface CommitChecks {
  checkRuns: CheckRun[];
  statuses: CommitStatus[];
}

/** The token permissions these reads need, as a workflow's `permissions:` names them. */
export const CHECKS_PERMISSIONS = 'checks: read and statuses: read';

const PER_PAGE = 100;
/**
 * GitHub lists check runs of at most the 1000 newest check suites of a commit; thirty pages of a
 * hundred is well past any real commit, and bounds a listing that somehow never ends.
 */
const MAX_PAGES = 30;

/**
 * A 429, or a 403 whose message is one of GitHub's rate-limit messages ("API rate limit exceeded
 * for …", "You have exceeded a secondary rate limit"): wait, do not give up.
 */
export function isRateLimited(error: unknown): boolean {
  if (!(error instanceof GithubApiError)) return false;
  const limited = /rate limit exceeded|secondary rate limit/i.test(error.message);
  return error.status === 429 || (error.status === 403 && limited);
}

export async function readCommitChecks(github: GithubClient, sha: string): Promise<CommitChecks> {
  const [checkRuns, statuses] = await Promise.all([
    allPages<CheckRun>(github, '/repos/{owner}/{repo}/commits/{ref}/check-runs', sha, 'check_runs', {
      filter: 'latest',
    }),
    allPages<CommitStatus>(github, '/repos/{owner}/{repo}/commits/{ref}/status', sha, 'statuses'),
  ]);
  return { checkRuns, statuses };
}

async function allPages<T extends object>(
  github: GithubClient,
  route: string,
  sha: string,
  key: string,
  query: Record<string, string> = {},
): Promise<T[]> {
  const seen = new Map<string, T>();
  const [owner, repo] = github.repository.split('/');
  const where = `GET ${filledRoute(route, { owner, repo, ref: sha })}`;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let body: (Record<string, unknown> & { total_count?: number }) | undefined;
    try {
      body = await github.get(route, { ref: sha, per_page: PER_PAGE, page, ...query });
    } catch (error) {
      throw forbidden(error, where) ?? error;
    }
    if (body === undefined) {
      throw new ActionFailure(
        `The GitHub API answered 404 for ${where}: the token cannot see the repository's ` +
          `checks (it needs ${CHECKS_PERMISSIONS}), or the commit is gone.`,
      );
    }
    const items = Array.isArray(body[key]) ? (body[key] as T[]) : [];
    // Keyed, so an item that moves to the next page while we read (a new check run lands on top) counts once.
    for (const item of items) seen.set(identity(item), item);
    const total = typeof body.total_count === 'number' ? body.total_count : 0;
    if (items.length < PER_PAGE || page * PER_PAGE >= total) return [...seen.values()];
  }
  throw new ActionFailure(
    `${where} lists more than ${MAX_PAGES * PER_PAGE} items; name the checks that matter instead of reading them all.`,
  );
}

function identity(item: object): string {
  const { id, context } = item as { id?: unknown; context?: unknown };
  return id !== undefined ? `id:${String(id)}` : `context:${String(context)}`;
}

/** A 403 that is not a rate limit: the token lacks a permission, which the workflow grants. */
function forbidden(error: unknown, where: string): ConfigurationError | undefined {
  if (!(error instanceof GithubApiError) || error.status !== 403 || isRateLimited(error)) return undefined;
  return new ConfigurationError(
    `The GitHub API refused ${where} (HTTP 403): the token needs ${CHECKS_PERMISSIONS} to read a commit's ` +
      'checks. Grant them in the job (permissions: { checks: read, statuses: read }); a reusable workflow gets ' +
      'at most what its caller grants, so the calling job must grant them too.',
  );
}
