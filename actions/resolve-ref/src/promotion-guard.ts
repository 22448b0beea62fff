import { ActionFailure } from '@gatehouse/action-kit';
import { findSuccessfulDeployment, type GithubClient } from '@gatehouse/github-client';

/**
 * The promotion guard: a commit may go to this environment only if it already has a successful
 * GitHub Deployment in `environment` (e.g. prod only what stage has run).
 */
export async function requireSuccessfulDeployment(
  github: GithubClient,
  sha: string,
  environment: string,
): Promise<number> {
  const { found, examined } = await findSuccessfulDeployment(github, { environment, sha });
  if (found) return found.id;
  const tried =
    examined === 0
      ? 'it has no deployment there'
      : `none of its ${examined} deployment(s) there ended in success`;
  throw new ActionFailure(
    `Commit ${sha} has not been deployed successfully to '${environment}' (${tried}); ` +
      `input 'require-successful-deployment-in' only lets through what '${environment}' has already run.`,
  );
}
