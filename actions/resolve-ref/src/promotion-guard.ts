import { ActionFailure } from '@gatehouse/action-kit';
import {
  describeRefusals,
  findVouchedDeployment,
  type GithubClient,
  RunChecker,
  type TrustRules,
  type VouchedDeployment,
} from '@gatehouse/github-client';

/**
 * The promotion guard: a commit may go to this environment only if it already has a successful
 * GitHub Deployment in `environment` (e.g. prod only what stage has run), made by a trusted run of
 * a deploy workflow that recorded it in its own deploy history (see findVouchedDeployment).
 */
export async function requireSuccessfulDeployment(
  github: GithubClient,
  rules: TrustRules,
  sha: string,
  environment: string,
): Promise<VouchedDeployment> {
  const { found, refused } = await findVouchedDeployment(github, new RunChecker(github, rules), {
    environment,
    sha,
  });
  if (found) return found;
  const tried =
    refused.length === 0
      ? 'it has no Gatehouse deployment there'
      : `none of its ${refused.length} Gatehouse deployment(s) there can be trusted: ${describeRefusals(refused)}`;
  throw new ActionFailure(
    `Commit ${sha} has not been deployed successfully to '${environment}' by a trusted run (${tried}). ` +
      `Input 'require-successful-deployment-in' only lets through what '${environment}' has already run.`,
  );
}
