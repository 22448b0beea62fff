import { errorMessage } from '@gatehouse/action-kit';
import { createGithubClient } from '@gatehouse/github-client';

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
}): Promise<DeploymentsClient> {
  // The client imports Octokit on first use, so a summary without deployments stays light.
  const github = await createGithubClient(options);

  /** One call; any failure becomes a warning and undefined. */
  const attempt = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      const status = (error as { status?: number }).status;
      options.warn(
        `${explain(status, what)} (${errorMessage(error).split('\n')[0]}) The deploy itself is not affected.`,
      );
      return undefined;
    }
  };

  return {
    async create(deployment) {
      const created = await attempt(`Creating the GitHub deployment for ${deployment.environment}`, () =>
        github.post<{ id?: unknown }>('/repos/{owner}/{repo}/deployments', {
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
      return typeof created?.id === 'number' ? created.id : undefined;
    },
    async setStatus(id, status) {
      const posted = await attempt(`Setting GitHub deployment ${id} to ${status.state}`, () =>
        // Posting a status twice is harmless, so a 5xx is retried (creating a deployment is not).
        github.post(
          '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
          {
            deployment_id: id,
            state: status.state,
            description: status.description,
            ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
            ...(status.logUrl ? { log_url: status.logUrl } : {}),
          },
          { retryServerErrors: true },
        ),
      );
      return posted !== undefined;
    },
  };
}
