import { ActionFailure } from '@gatehouse/action-kit';
import type { GithubClient } from '@gatehouse/github-client';

interface Deployment {
  id: number;
  sha: string;
  environment: string;
  created_at: string;
}
interface DeploymentStatus {
  state: string;
}

/**
 * The promotion guard: a commit may go to this environment only if it already has a successful
 * GitHub Deployment in `environment` (e.g. prod only what stage has run). A deployment counts when
 * its latest status is `success`.
 */
export async function requireSuccessfulDeployment(
  github: GithubClient,
  sha: string,
  environment: string,
): Promise<number> {
  const deployments =
    (await github.get<Deployment[]>('/repos/{owner}/{repo}/deployments', {
      sha,
      environment,
      per_page: 30,
    })) ?? [];
  for (const deployment of deployments) {
    const statuses =
      (await github.get<DeploymentStatus[]>('/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        deployment_id: deployment.id,
        per_page: 1,
      })) ?? [];
    // GitHub lists statuses newest first.
    if (statuses[0]?.state === 'success') return deployment.id;
  }
  const tried =
    deployments.length === 0
      ? 'it has no deployment there'
      : `none of its ${deployments.length} deployment(s) there ended in success`;
  throw new ActionFailure(
    `Commit ${sha} has not been deployed successfully to '${environment}' (${tried}); ` +
      `input 'require-successful-deployment-in' only lets through what '${environment}' has already run.`,
  );
}
