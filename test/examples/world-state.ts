import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type ApiEnvironment,
  type ApiWorld,
  ENVIRONMENTS,
  markdownToText,
  onHost,
  STATE_DIR,
} from '@gatehouse/local-world';
import { type JobRun, jobOf, type RunResult, type StepRun, stepOf } from '@gatehouse/workflow-runner';

/** What the environment's hosts really run now: the commit of the container compose started, per host. */
export async function served(api: ApiWorld, env: ApiEnvironment): Promise<(string | undefined)[]> {
  const byHost = await api.services[env].served();
  return ENVIRONMENTS[env].hosts.map((host) => byHost[host]?.sha);
}

interface StateEntry {
  sha: string;
  outcome: string;
  runId: string;
}

/** Each host's deploy-state.json, as deploy-ssm and rollback left it. */
export async function deployStates(
  api: ApiWorld,
  env: ApiEnvironment,
): Promise<{ current: StateEntry; previous: StateEntry | null; history: StateEntry[] }[]> {
  return Promise.all(
    ENVIRONMENTS[env].hosts.map(async (host) =>
      JSON.parse(
        await readFile(join(api.world.hostDir(host), onHost(STATE_DIR), 'deploy-state.json'), 'utf8'),
      ),
    ),
  );
}

/** The GitHub deployments Gatehouse recorded for a commit in an environment, each with its states in order. */
export function deploymentsOf(api: ApiWorld, env: string, sha: string): string[][] {
  return api.world.github.deployments
    .filter((d) => d.environment === env && d.sha === sha)
    .map((d) => d.statuses.map((s) => s.state));
}

/** The job of the reusable workflow a caller's `deploy` job ran. */
export function deployJob(result: RunResult): JobRun {
  return jobOf(result, 'deploy/deploy');
}

/** A step of a job by id, or by name. */
export function step(job: JobRun, idOrName: string): StepRun {
  return stepOf(job, idOrName);
}

/** The job summary as a person reads it. */
export function summaryText(result: RunResult): string {
  return result.summaries.map((s) => markdownToText(s.markdown)).join('\n');
}

/** Which main steps ran, by id or name, and their outcomes: `{ ref: 'success', rollback: 'skipped' }`. */
export function outcomes(job: JobRun): Record<string, string> {
  return Object.fromEntries(
    job.steps.filter((s) => s.phase === 'main').map((s) => [s.id ?? s.name, s.ran ? s.outcome : 'skipped']),
  );
}
