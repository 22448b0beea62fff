import { shortSha } from '@gatehouse/action-kit/short-sha';
import { runRecordedDeployment } from './deploy-history';
import type { GithubClient } from './index';
import type { RunChecker, WorkflowRun } from './trusted-runs';

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
 * mark in their payload. The mark says who wrote the payload, not that it is true: anything with
 * `deployments: write` can write the same, which is why a deployment also names its run.
 */
export const GATEHOUSE_MARK = 'gatehouse';

/** The payload key naming the workflow run that created the deployment. */
export const RUN_ID_KEY = 'run-id';

export function markedPayload(fields: Record<string, unknown>): Record<string, unknown> {
  return { [GATEHOUSE_MARK]: true, ...fields };
}

function payloadOf(deployment: Deployment): Record<string, unknown> | undefined {
  const payload = deployment.payload;
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : undefined;
}

/** Deployments looked at before giving up: one page of GitHub's newest. */
const LOOK_BACK = 100;

export interface VouchedDeployment {
  deployment: Deployment;
  run: WorkflowRun;
  /** The full ref the run ran on. */
  ref: string;
}

export interface DeploymentSearch {
  found?: VouchedDeployment;
  /** Gatehouse deployments passed over, newest first, each with why. */
  refused: { deployment: Deployment; why: string }[];
}

/**
 * The newest deployment to `environment` (optionally of one `sha`, optionally skipping
 * `excludeSha`) that a trusted run made and saw through. It counts only when all of these hold:
 * - it carries Gatehouse's mark and one of its statuses is `success` (GitHub marks an older
 *   success `inactive` once a newer one lands; it was still a success);
 * - it names a workflow run that `checker` trusts and that concluded with success;
 * - that run's own history artifact records this deployment, of this commit, as deployed. Without
 *   this, anyone with `deployments: write` could name a good run in a deployment of any commit.
 */
export async function findVouchedDeployment(
  github: GithubClient,
  checker: RunChecker,
  query: { environment: string; sha?: string; excludeSha?: string },
): Promise<DeploymentSearch> {
  const deployments =
    (await github.get<Deployment[]>('/repos/{owner}/{repo}/deployments', {
      environment: query.environment,
      ...(query.sha ? { sha: query.sha } : {}),
      per_page: LOOK_BACK,
    })) ?? [];
  const refused: DeploymentSearch['refused'] = [];
  for (const deployment of deployments) {
    const payload = payloadOf(deployment);
    if (deployment.sha === query.excludeSha || payload?.[GATEHOUSE_MARK] !== true) continue;
    const why = await refusal(github, checker, deployment, payload, query.environment);
    if (typeof why === 'string') refused.push({ deployment, why });
    else return { found: { deployment, ...why }, refused };
  }
  return { refused };
}

async function refusal(
  github: GithubClient,
  checker: RunChecker,
  deployment: Deployment,
  payload: Record<string, unknown>,
  environment: string,
): Promise<string | { run: WorkflowRun; ref: string }> {
  const statuses =
    (await github.get<{ state: string }[]>('/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
      deployment_id: deployment.id,
      per_page: 100,
    })) ?? [];
  if (!statuses.some((status) => status.state === 'success')) return 'it never succeeded';
  const runId = String(payload[RUN_ID_KEY] ?? '');
  if (!/^[1-9]\d{0,19}$/.test(runId)) return 'it names no workflow run';
  const verdict = await checker.check(runId, { requireSuccess: true });
  if (!verdict.trusted) return verdict.why;
  const unrecorded = await runRecordedDeployment(github, verdict.run.id, {
    deploymentId: deployment.id,
    sha: deployment.sha,
    environment,
  });
  if (unrecorded) return `workflow run ${runId} ${unrecorded}`;
  return { run: verdict.run, ref: verdict.ref };
}

/** One line per refused deployment, for a message a person reads. */
export function describeRefusals(refused: DeploymentSearch['refused'], limit = 5): string {
  const lines = refused
    .slice(0, limit)
    .map(({ deployment, why }) => `deployment ${deployment.id} of ${shortSha(deployment.sha)}: ${why}`);
  if (refused.length > limit) lines.push(`and ${refused.length - limit} more`);
  return lines.join('; ');
}
