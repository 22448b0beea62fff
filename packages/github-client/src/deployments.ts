import type { GithubClient } from './index';

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: unknown;
  created_at: string;
}

/**
 * GitHub also records a deployment by itself for every job that names an environment, against the
 * run's own SHA, whatever that job deployed. Only deployments Gatehouse's summary created carry this
 * mark in their payload, so only those can prove what an environment really ran.
 */
export const GATEHOUSE_MARK = 'gatehouse';

export function markedPayload(fields: Record<string, unknown>): Record<string, unknown> {
  return { [GATEHOUSE_MARK]: true, ...fields };
}

function isGatehouseDeployment(deployment: Deployment): boolean {
  const payload = deployment.payload;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    (payload as Record<string, unknown>)[GATEHOUSE_MARK] === true
  );
}

/** Deployments looked at before giving up: one page of GitHub's newest. */
const LOOK_BACK = 30;

/**
 * The newest deployment Gatehouse recorded to `environment` (optionally of one `sha`, optionally
 * skipping `excludeSha`) that succeeded. A deployment counts if any of its statuses is `success`: GitHub
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
    if (deployment.sha === query.excludeSha || !isGatehouseDeployment(deployment)) continue;
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
