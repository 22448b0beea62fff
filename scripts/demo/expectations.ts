import type { ApiWorld } from '@gatehouse/local-world';
import { type JobRun, jobOf, type RunResult } from '@gatehouse/workflow-runner';
import { type DemoRelease, headOf } from './releases';

/** One thing the demo promises, and whether this run kept the promise. */
export interface Expectation {
  what: string;
  holds: boolean;
  /** What was seen instead, when it did not hold. */
  seen?: string;
}

type Check = (what: string, actual: unknown, wanted: unknown) => void;

function collector(): { list: Expectation[]; equal: Check } {
  const list: Expectation[] = [];
  const equal: Check = (what, actual, wanted) => {
    const holds = JSON.stringify(actual) === JSON.stringify(wanted);
    list.push(holds ? { what, holds } : { what, holds, seen: JSON.stringify(actual) ?? 'nothing' });
  };
  return { list, equal };
}

function json<T>(text: string | undefined): T | undefined {
  try {
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** A main step of the reusable workflow's job, by id: its outputs, or nothing when it did not run. */
function outputsOf(job: JobRun, id: string): Record<string, string> | undefined {
  const step = job.steps.find((s) => s.phase === 'main' && s.id === id);
  return step?.ran ? step.outputs : undefined;
}

/** The commit each dev host really serves now (the container compose runs). */
async function served(api: ApiWorld): Promise<(string | undefined)[]> {
  return Object.values(await api.services.dev.served()).map((s) => s?.sha);
}

interface SmokeReport {
  checks?: { name: string; chain?: string }[];
}
interface GateReport {
  attempts?: number;
  sha?: string;
}

/** What must hold after a release whose gates pass. */
export async function expectDeployed(
  api: ApiWorld,
  run: RunResult,
  release: DemoRelease,
  schema: { state: string; action: string },
): Promise<Expectation[]> {
  const { list, equal } = collector();
  const job = jobOf(run, 'deploy/deploy');
  const sha = run.event.sha;
  const db = outputsOf(job, 'db');
  equal('resolve-ref resolved the pushed commit', outputsOf(job, 'ref')?.sha, sha);
  equal('preflight passed on both hosts', outputsOf(job, 'preflight')?.passed, 'true');
  equal('db-bootstrap found the schema', db?.['schema-state'], schema.state);
  equal('db-bootstrap did', db?.['action-taken'], schema.action);
  equal('the schema is at the release’s newest migration', db?.['version-after'], headOf(release));
  if (api.world.engine === 'postgres') {
    equal('a verified backup was taken first', (db?.['backup-file'] ?? '') !== '', true);
  }
  equal('deploy-ssm succeeded', outputsOf(job, 'deploy')?.status, 'success');
  equal('smoke checks passed', outputsOf(job, 'smoke')?.passed, 'true');
  expectRedirectsKeptPost(outputsOf(job, 'smoke')?.report, equal);
  equal('deep gate verdict', outputsOf(job, 'deep')?.verdict, 'pass');
  equal('no rollback ran', outputsOf(job, 'rollback'), undefined);
  equal('both hosts serve the release', await served(api), [sha, sha]);
  expectSummary(job, 'deployed', equal);
  return list;
}

/** What must hold after a release the deep gate refuses: back on `backTo`, gates green again. */
export async function expectRolledBack(
  api: ApiWorld,
  run: RunResult,
  verdict: 'fail' | 'critical',
  backTo: string,
): Promise<Expectation[]> {
  const { list, equal } = collector();
  const job = jobOf(run, 'deploy/deploy');
  equal('deploy-ssm succeeded', outputsOf(job, 'deploy')?.status, 'success');
  equal('db-bootstrap had nothing to do', outputsOf(job, 'db')?.['action-taken'], 'none');
  equal('smoke checks passed (the service is up)', outputsOf(job, 'smoke')?.passed, 'true');
  equal('deep gate verdict', outputsOf(job, 'deep')?.verdict, verdict);
  if (verdict === 'critical') {
    equal(
      'critical on the first answer, without retries',
      json<GateReport>(outputsOf(job, 'deep')?.report)?.attempts,
      1,
    );
    const stage = await api.world.databases.stage!.query(
      "SELECT to_regclass('pgmigrations') IS NULL AS untouched",
    );
    equal("stage's database was not migrated", stage[0]?.untouched, true);
  }
  equal('rolled back to', outputsOf(job, 'rollback')?.['rolled-back-to'], backTo);
  equal('smoke checks pass again', outputsOf(job, 'smoke-after-rollback')?.passed, 'true');
  const gate = outputsOf(job, 'deep-after-rollback');
  equal('deep gate passes again', gate?.verdict, 'pass');
  equal('the service serves the old commit', json<GateReport>(gate?.report)?.sha, backTo);
  equal('both hosts are back on it', await served(api), [backTo, backTo]);
  expectSummary(job, 'rolled-back', equal);
  return list;
}

/** A 301 answered every check, and the POSTs were still POSTs after it (else /graphql says 405). */
function expectRedirectsKeptPost(report: string | undefined, equal: Check): void {
  const chains = (json<SmokeReport>(report)?.checks ?? []).map((check) => check.chain ?? '');
  equal(
    'every check went through the http→https 301',
    chains.map((chain) => / → 301 → .*https:/.test(chain)),
    [true, true, true],
  );
  equal(
    'POST /graphql stayed a POST through the redirect',
    chains.filter((chain) => chain.startsWith('POST ')).map((chain) => /301 → POST https:/.test(chain)),
    [true, true],
  );
}

function expectSummary(job: JobRun, outcome: string, equal: Check): void {
  const summary = outputsOf(job, 'summary');
  equal('summary outcome', summary?.outcome, outcome);
  equal('a GitHub Deployment recorded it', /^\d+$/.test(summary?.['deployment-id'] ?? ''), true);
  equal('the job summary was written', job.summary.length > 200, true);
}
