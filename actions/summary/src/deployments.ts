import { errorMessage } from '@gatehouse/action-kit';

/**
 * GitHub Deployments for the environment page and the commit's deployment badge. Every API error
 * becomes a warning: a deploy that worked must never be failed by the bookkeeping around it.
 */
export interface DeploymentsClient {
  /** The new deployment's id, or undefined when GitHub refused (already warned). */
  create(deployment: NewDeployment): Promise<number | undefined>;
  /** True when GitHub accepted the status. */
  setStatus(id: number, status: NewStatus): Promise<boolean>;
}

export interface NewDeployment {
  /** The exact commit: a SHA, so the deployment never follows a moving branch. */
  sha: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
}

export interface NewStatus {
  state: 'in_progress' | 'success' | 'failure' | 'error';
  description: string;
  environmentUrl?: string;
  logUrl?: string;
}

interface RequestError {
  status?: number;
  message?: string;
}

const RETRY_DELAY_MS = 1000;

function explain(status: number | undefined, what: string): string {
  switch (status) {
    case 401:
      return `${what}: 401 Bad credentials (input 'token').`;
    case 403:
      return `${what}: 403 Forbidden. The token needs the 'deployments: write' permission (permissions: deployments: write in the job).`;
    case 404:
      return `${what}: 404 Not Found. The repository or deployment does not exist for this token.`;
    case 409:
      return `${what}: 409 Conflict. GitHub would not merge or check the ref; the deployment was not created.`;
    case 422:
      return `${what}: 422 Validation Failed.`;
    case undefined:
      return `${what}: no answer from the GitHub API.`;
    default:
      return `${what}: the GitHub API answered ${status}.`;
  }
}

export async function githubDeployments(options: {
  token: string;
  repository: string;
  apiUrl: string;
  warn: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}): Promise<DeploymentsClient> {
  // Imported here, on the one path that uses it, so a summary without deployments stays light.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  const [owner = '', repo = ''] = options.repository.split('/');
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  /** One call, retried once on 5xx or no answer; undefined (after a warning) when it fails. */
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    for (let tries = 1; ; tries++) {
      try {
        return await call();
      } catch (error) {
        const status = (error as RequestError).status;
        const retryable = status === undefined || status >= 500;
        if (retryable && tries < 2) {
          await sleep(RETRY_DELAY_MS);
          continue;
        }
        const detail = (error as RequestError).message ?? errorMessage(error);
        options.warn(
          `${explain(status, what)} ${detail ? `(${detail.split('\n')[0]})` : ''} The deploy itself is not affected.`.replace(
            / {2,}/g,
            ' ',
          ),
        );
        return undefined;
      }
    }
  };

  return {
    async create(deployment) {
      const response = await attempt(`Creating the GitHub deployment for ${deployment.environment}`, () =>
        octokit.rest.repos.createDeployment({
          owner,
          repo,
          ref: deployment.sha,
          environment: deployment.environment,
          description: deployment.description,
          payload: deployment.payload,
          // No merge of the default branch and no required status checks: either would make
          // GitHub answer 409 for a commit we have already decided to deploy.
          auto_merge: false,
          required_contexts: [],
        }),
      );
      const data = response?.data as { id?: unknown } | undefined;
      return typeof data?.id === 'number' ? data.id : undefined;
    },
    async setStatus(id, status) {
      const response = await attempt(`Setting GitHub deployment ${id} to ${status.state}`, () =>
        octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: id,
          state: status.state,
          description: status.description,
          ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
          ...(status.logUrl ? { log_url: status.logUrl } : {}),
        }),
      );
      return response !== undefined;
    },
  };
}
