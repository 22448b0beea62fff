import { ActionFailure } from '@gatehouse/action-kit';

/** The GitHub API questions rollback may ask: only when `to` needs them. */
export interface GithubLookups {
  /**
   * The environment's newest deployment with a `success` status, skipping `excludeSha` (the
   * version being rolled back from). Undefined when there is none.
   */
  lastSuccessful(
    environment: string,
    excludeSha?: string,
  ): Promise<{ sha: string; imageTag?: string; ref?: string } | undefined>;
  /** The commit a ref names (branch, tag or SHA prefix). */
  commitOf(ref: string): Promise<string | undefined>;
}

interface RequestError {
  status?: number;
  message?: string;
}

/** Deployments to look through before giving up: a page of GitHub's newest. */
const LOOK_BACK = 30;

export async function githubLookups(options: {
  token: string;
  repository: string;
  apiUrl: string;
}): Promise<GithubLookups> {
  // Imported here, so a rollback that reads the hosts' own records never loads Octokit.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  const [owner = '', repo = ''] = options.repository.split('/');
  const fail = (what: string, error: unknown): never => {
    const { status, message } = error as RequestError;
    throw new ActionFailure(
      `The GitHub API failed ${what} (${status ?? 'no answer'}${message ? `: ${message.split('\n')[0]}` : ''}); nothing was changed.` +
        (status === 403 ? ' The token needs deployments: read and contents: read.' : ''),
    );
  };
  return {
    async lastSuccessful(environment, excludeSha) {
      let deployments: { id: number; sha: string; ref: string; payload: unknown }[];
      try {
        const response = await octokit.rest.repos.listDeployments({
          owner,
          repo,
          environment,
          per_page: LOOK_BACK,
        });
        deployments = response.data as typeof deployments;
      } catch (error) {
        return fail(`listing the deployments of ${environment}`, error);
      }
      for (const deployment of deployments) {
        if (deployment.sha === excludeSha) continue;
        let states: string[];
        try {
          const response = await octokit.rest.repos.listDeploymentStatuses({
            owner,
            repo,
            deployment_id: deployment.id,
            per_page: 100,
          });
          states = response.data.map((s) => s.state);
        } catch (error) {
          return fail(`reading the statuses of deployment ${deployment.id}`, error);
        }
        // A later deploy's success marks this one `inactive`; it was still a success.
        if (states.includes('success')) {
          const payload = (
            typeof deployment.payload === 'object' && deployment.payload !== null ? deployment.payload : {}
          ) as Record<string, unknown>;
          const tag = payload['image-tag'];
          const ref = payload.ref;
          return {
            sha: deployment.sha,
            ...(typeof tag === 'string' && tag !== '' ? { imageTag: tag } : {}),
            ...(typeof ref === 'string' && ref !== '' ? { ref } : {}),
          };
        }
      }
      return undefined;
    },
    async commitOf(ref) {
      try {
        const response = await octokit.rest.repos.getCommit({ owner, repo, ref });
        return response.data.sha;
      } catch (error) {
        const status = (error as RequestError).status;
        if (status === 404 || status === 422) return undefined;
        return fail(`looking up ${ref}`, error);
      }
    },
  };
}
