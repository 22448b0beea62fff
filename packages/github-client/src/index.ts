import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit/errors';
import { errorChain, networkProblem } from '@gatehouse/action-kit/known-errors';

/**
 * The one GitHub REST client of Gatehouse: Octokit (from @actions/github, so proxies and
 * GITHUB_API_URL work as on any runner), imported only when an action first needs it, with one set
 * of rules: 404 is "not there" (undefined), 401 is the user's token, 5xx and network errors are
 * retried twice, everything else fails naming the request.
 */
export interface GithubClient {
  repository: string;
  /** GET a route like `/repos/{owner}/{repo}/branches/{branch}`; undefined on 404 (and 422 when asked). */
  get<T>(
    route: string,
    params?: Record<string, string | number>,
    options?: { missingOn422?: boolean },
  ): Promise<T | undefined>;
  /**
   * POST a body. Retried only when nothing answered, unless `retryServerErrors` says a repeat is
   * harmless (a deployment status may be posted twice; a deployment must not be created twice).
   */
  post<T>(
    route: string,
    body: Record<string, unknown>,
    options?: { retryServerErrors?: boolean },
  ): Promise<T>;
}

/** A failed API call; `status` is the HTTP status, undefined when nothing answered. */
export class GithubApiError extends ActionFailure {
  override name = 'GithubApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

interface RequestError {
  status?: number;
  message?: string;
  /** Set only when the server answered: Octokit labels a request that got no answer 500. */
  response?: unknown;
}

/** `/repos/{owner}/{repo}/branches/{branch}` with its parameters filled in, as it was requested. */
export function filledRoute(route: string, params: Record<string, unknown>): string {
  return route.replace(/\{([^}]+)\}/g, (placeholder, name: string) =>
    params[name] === undefined ? placeholder : encodeURIComponent(String(params[name])),
  );
}

const RETRY_DELAYS_MS = [500, 1500];

export async function createGithubClient(options: {
  token: string;
  repository: string;
  apiUrl: string;
  sleep?: (ms: number) => Promise<void>;
}): Promise<GithubClient> {
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo)
    throw new ConfigurationError(`GITHUB_REPOSITORY '${options.repository}' is not owner/name.`);
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  const call = async <T>(
    method: 'GET' | 'POST',
    route: string,
    params: Record<string, unknown>,
    missing: number[],
    retryServerErrors = method === 'GET',
  ): Promise<T | undefined> => {
    const where = `${method} ${filledRoute(route, { owner, repo, ...params })}`;
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await octokit.request(`${method} ${route}`, { owner, repo, ...params });
        return response.data as T;
      } catch (error) {
        const answered = (error as RequestError).response !== undefined;
        const status = answered ? (error as RequestError).status : undefined;
        const message = (error as RequestError).message ?? '';
        if (status !== undefined && missing.includes(status)) return undefined;
        if (status === 401) {
          throw new ConfigurationError(
            `The GitHub API rejected input 'token' (401 Bad credentials) for ${where}.`,
          );
        }
        // A POST is retried on a 5xx only when asked: the failed call may have created the resource.
        const retryable = status === undefined || (status >= 500 && retryServerErrors);
        const delay = RETRY_DELAYS_MS[attempt];
        if (!retryable || delay === undefined) {
          const attempts = `${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
          if (status === undefined) throw unreachable(options.apiUrl, where, attempts, error);
          const hint = status === 403 ? ' The token may lack a permission, or the rate limit was hit.' : '';
          throw new GithubApiError(
            `The GitHub API failed ${where} after ${attempts}: HTTP ${status} ${message}.${hint}`,
            status,
          );
        }
        await sleep(delay);
      }
    }
  };

  return {
    repository: options.repository,
    get: (route, params = {}, opts = {}) =>
      call('GET', route, params, opts.missingOn422 ? [404, 422] : [404]),
    post: async <T>(
      route: string,
      body: Record<string, unknown>,
      opts: { retryServerErrors?: boolean } = {},
    ) => (await call<T>('POST', route, body, [], opts.retryServerErrors ?? false))!,
  };
}

/** Nothing answered: say what the network said, and where the API was looked for. */
function unreachable(apiUrl: string, where: string, attempts: string, error: unknown): GithubApiError {
  const problem = networkProblem(error);
  const detail = problem
    ? `${problem.text} (${problem.code})`
    : (errorChain(error).messages.at(-1) ?? 'no answer');
  return new GithubApiError(
    `The GitHub API at ${apiUrl} could not be reached for ${where} after ${attempts}: ${detail}. ` +
      'Check GITHUB_API_URL (set by the runner; on GitHub Enterprise Server it is https://HOST/api/v3) and ' +
      "the runner's network and proxy settings (HTTPS_PROXY, NO_PROXY).",
    undefined,
  );
}

export { type Artifact, artifactsNamed, readArtifactFiles } from './artifacts';
export {
  findTrustedHistory,
  type HistoryEntry,
  type HistorySearch,
  historyArtifactName,
  historyLines,
  runRecordedDeployment,
  type TrustedHistory,
} from './deploy-history';
export {
  type Deployment,
  type DeploymentSearch,
  describeRefusals,
  findVouchedDeployment,
  GATEHOUSE_MARK,
  markedPayload,
  RUN_ID_KEY,
  type VouchedDeployment,
} from './deployments';
export { globMatches } from './ref-glob';
export { tagCommit } from './refs';
export {
  RunChecker,
  type RunOrigin,
  type RunVerdict,
  readTrustedRefs,
  readTrustedWorkflows,
  runOrigin,
  TRUSTED_REFS_INPUT,
  TRUSTED_WORKFLOWS_INPUT,
  type TrustRules,
  trustRules,
  type WorkflowRun,
  workflowPath,
} from './trusted-runs';
