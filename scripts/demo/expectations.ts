import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineRun } from './pipeline';
import { type DemoRelease, headOf } from './releases';
import { HOSTS, type World } from './world';

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

/** The tag each host's app/.env names now: what the service serves from it. */
async function hostTags(world: World): Promise<string[]> {
  return Promise.all(
    HOSTS.map(async (id) => {
      const env = await readFile(join(world.emulator.hostDir(id), 'app', '.env'), 'utf8');
      return /^IMAGE_TAG=(.*)$/m.exec(env)?.[1] ?? '';
    }),
  );
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
  world: World,
  run: PipelineRun,
  schema: { state: string; action: string },
) {
  const { list, equal } = collector();
  const { release } = run;
  equal('resolve-ref resolved the pushed commit', run.step('resolve-ref')?.outputs.sha, release.sha);
  equal('preflight passed on both hosts', run.step('preflight')?.outputs.passed, 'true');
  equal('db-bootstrap found the schema', run.step('db-bootstrap')?.outputs['schema-state'], schema.state);
  equal('db-bootstrap did', run.step('db-bootstrap')?.outputs['action-taken'], schema.action);
  equal(
    'the schema is at the release’s head',
    run.step('db-bootstrap')?.outputs['version-after'],
    headOf(release),
  );
  equal('deploy-ssm succeeded', run.step('deploy-ssm')?.outputs.status, 'success');
  equal('smoke checks passed', run.step('smoke-check')?.outputs.passed, 'true');
  expectRedirectsKeptPost(run, equal);
  equal('deep gate verdict', run.step('health-deep-gate')?.outputs.verdict, 'pass');
  equal('no rollback ran', run.step('rollback') === undefined, true);
  equal(
    'both hosts serve the release',
    await hostTags(world),
    HOSTS.map(() => release.tag),
  );
  await expectSummary(run, 'deployed', equal);
  return list;
}

/** What must hold after a release the deep gate refuses: back on `backTo`, gates green again. */
export async function expectRolledBack(
  world: World,
  run: PipelineRun,
  verdict: 'fail' | 'critical',
  backTo: DemoRelease,
) {
  const { list, equal } = collector();
  equal('deploy-ssm succeeded', run.step('deploy-ssm')?.outputs.status, 'success');
  equal('db-bootstrap had nothing to do', run.step('db-bootstrap')?.outputs['action-taken'], 'none');
  equal('smoke checks passed (the service is up)', run.step('smoke-check')?.outputs.passed, 'true');
  equal('deep gate verdict', run.step('health-deep-gate')?.outputs.verdict, verdict);
  if (verdict === 'critical') {
    const report = json<GateReport>(run.step('health-deep-gate')?.outputs.report);
    equal('critical on the first answer, without retries', report?.attempts, 1);
    const stage = await world.databases.stage.query(
      "SELECT to_regclass('pgmigrations') IS NULL AS untouched",
    );
    equal("stage's database was not migrated", stage[0]?.untouched, true);
  }
  equal('rolled back to', run.step('rollback')?.outputs['rolled-back-to'], backTo.tag);
  equal('smoke checks pass again', run.step('smoke-check (after rollback)')?.outputs.passed, 'true');
  const gate = run.step('health-deep-gate (after rollback)');
  equal('deep gate passes again', gate?.outputs.verdict, 'pass');
  equal('the service serves the old commit', json<GateReport>(gate?.outputs.report)?.sha, backTo.sha);
  equal(
    'both hosts are back on',
    await hostTags(world),
    HOSTS.map(() => backTo.tag),
  );
  await expectSummary(run, 'rolled-back', equal);
  return list;
}

/** A 301 answered every check, and the POSTs were still POSTs after it (else /graphql says 405). */
function expectRedirectsKeptPost(run: PipelineRun, equal: Check): void {
  const checks = json<SmokeReport>(run.step('smoke-check')?.outputs.report)?.checks ?? [];
  const chains = checks.map((check) => check.chain ?? '');
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

async function expectSummary(run: PipelineRun, outcome: string, equal: Check): Promise<void> {
  const summary = run.step('summary');
  equal('summary outcome', summary?.outputs.outcome, outcome);
  equal('a GitHub Deployment recorded it', /^\d+$/.test(summary?.outputs['deployment-id'] ?? ''), true);
  equal('the markdown summary was written', (await readFile(run.summaryFile, 'utf8')).length > 200, true);
}
