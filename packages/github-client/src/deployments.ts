import type { GithubClient } from './index';

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  created_at: string;
}

/** Deployments looked at before giving up: one page of GitHub's newest. */
const LOOK_BACK = 30;

/**
 * The newest deployment to `environment` (optionally of one `sha`, optionally skipping
 * `excludeSha`) that succeeded. A deployment counts if any of its statuses is `success`: GitHub
 * marks an older success `inactive` once a newer one lands, and it was still a success.
 */
export async function findSuccessfulDeployment(
  github: GithubClient,
  query: { environment: string; sha?: string; excludeSha?: string },
): Promise<{ found: Deployment | undefined; examined: number }> {
  const deployments =
    (await github.get<Deployment[]>('/repos/{owner}/{repo}/deployments', {
      environment: query.environment,
      ...(query.sha ? { sha: query.sha } : {}),
      per_page: LOOK_BACK,
    })) ?? [];
  let examined = 0;
  for (const deployment of deployments) {
    if (deployment.sha === query.excludeSha) continue;
    examined++;
    const statuses =
      (await github.get<{ state: string }[]>('/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        deployment_id: deployment.id,
        per_page: 100,
      })) ?? [];
    if (statuses.some((status) => status.state === 'success')) return { found: deployment, examined };
  }
  return { found: undefined, examined };
}
