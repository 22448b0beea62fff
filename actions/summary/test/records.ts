import type {
  ActionName,
  DeployEntry,
  HostRow,
  JobRecords,
  RecordBody,
  RecordProblem,
  ResultRecord,
} from '@gatehouse/records';

/**
 * Records for the summary's unit tests, built through their types: a field a writer renames or
 * drops no longer compiles here. (The end-to-end test reads records the bundles wrote.)
 */
export const SHA = 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc';
export const OLD_SHA = 'c00dbbc9dadfbe1e232e93a729dd4752fade0abf';
const BASE = Date.parse('2025-05-02T10:00:00Z');

export function record<A extends ActionName>(
  action: A,
  body: RecordBody<A>,
  at: { start: number; took: number; attempt?: number; step?: string },
): ResultRecord<A> {
  return {
    schema: 1,
    action,
    attempt: at.attempt ?? 1,
    step: at.step ?? null,
    startedAt: new Date(BASE + at.start * 1000).toISOString(),
    finishedAt: new Date(BASE + (at.start + at.took) * 1000).toISOString(),
    ...body,
  } as ResultRecord<A>;
}

export function job(records: ResultRecord[], problems: RecordProblem[] = []): JobRecords {
  return { records, problems };
}

export const resolveRef = (environment = 'dev'): RecordBody<'resolve-ref'> => ({
  environment,
  ref: 'refs/heads/main',
  remoteRef: 'origin/main',
  sha: SHA,
  refName: 'main',
  source: 'push',
  event: 'push',
  githubRef: 'refs/heads/main',
  githubRefName: 'main',
  inputRef: '',
  checks: null,
});

export function entry(sha: string, imageTag: string | null, fields: Partial<DeployEntry> = {}): DeployEntry {
  return {
    sha,
    imageTag,
    time: '2025-05-02T10:01:00Z',
    outcome: 'success',
    ref: 'refs/heads/main',
    image: null,
    environment: 'dev',
    runId: '4242',
    actor: 'octocat',
    ...fields,
  };
}

export function hostRow(host: string, fields: Partial<HostRow> = {}): HostRow {
  return {
    host,
    wave: 1,
    status: 'Success',
    statusDetails: 'Success',
    exitCode: 0,
    what: 'deployed (Success, exit 0)',
    changed: true,
    previous: entry(OLD_SHA, null, { runId: '4100', time: '2025-05-01T16:00:00Z' }),
    deployed: entry(SHA, null),
    verified: null,
    verifyFailed: null,
    lockHolder: null,
    outputTruncated: false,
    outputLocation: null,
    outputTail: null,
    ...fields,
  };
}

export function deploy(
  hosts: HostRow[],
  fields: Partial<RecordBody<'deploy-ssm'>> = {},
): RecordBody<'deploy-ssm'> {
  const failed = hosts.some((h) => h.status !== 'Success');
  return {
    status: failed ? 'failed' : 'success',
    dryRun: false,
    environment: 'dev',
    mode: 'git',
    version: { ref: 'refs/heads/main', sha: SHA, image: null, imageTag: null },
    commandIds: ['cmd-1'],
    runId: '4242',
    hosts: hosts.map((h) => h.host),
    verification: '',
    waves: [
      {
        wave: 1,
        hosts: hosts.map((h) => h.host),
        outcome: failed ? 'failed' : 'passed',
        durationMs: 30_000,
        bakedMs: null,
      },
    ],
    changedHosts: hosts
      .filter((h) => h.changed)
      .map((h) => ({ host: h.host, previous: h.previous, previousUnknown: false, wave: h.wave })),
    deployed: failed ? null : entry(SHA, null),
    previous: hosts[0]?.previous ?? null,
    previousDiffers: false,
    results: hosts,
    plan: [],
    ...fields,
  };
}

export function smoke(passed: boolean, reason = 'expected status 200, got 502'): RecordBody<'smoke-check'> {
  return {
    passed,
    target: 'https://dev.example.com/',
    elapsedMs: passed ? 40 : 8000,
    checks: [
      {
        name: 'healthz',
        verdict: passed ? 'pass' : 'fail',
        status: passed ? 200 : 502,
        latencyMs: 12,
        attempts: passed ? 1 : 9,
        reason: passed ? '' : reason,
        chain: 'GET https://dev.example.com/healthz → 200',
      },
    ],
    problems: [],
    expectedSha: null,
  };
}

export function deep(
  verdict: 'pass' | 'fail' | 'critical',
  reasons: string[] = [],
  environment = 'dev',
): RecordBody<'health-deep-gate'> {
  return {
    verdict,
    url: 'https://dev.example.com/health/deep',
    attempts: 1,
    elapsedMs: 30,
    latencyMs: 12,
    httpStatus: 200,
    status: 'ok',
    environment,
    expectedEnvironment: 'dev',
    sha: SHA,
    expectedSha: null,
    schemaVersion: null,
    schemaExpectation: null,
    checks: [{ name: 'database', status: 'ok', state: 'ok', required: true }],
    reasons,
    chain: 'GET https://dev.example.com/health/deep → 200',
  };
}

export function rollback(
  hosts: HostRow[],
  fields: Partial<RecordBody<'rollback'>> = {},
): RecordBody<'rollback'> {
  const failed = hosts.some((h) => h.status !== 'Success');
  return {
    status: failed ? 'failed' : 'success',
    dryRun: false,
    kind: 'hosts',
    environment: 'dev',
    region: null,
    rolledBackTo: { ref: 'refs/heads/main', sha: OLD_SHA, image: null, imageTag: null },
    reason: 'smoke-check failed',
    undoes: '4242',
    nothing: null,
    commandIds: ['cmd-2'],
    verification: '',
    waves: [],
    changedHosts: [],
    deployed: failed ? null : entry(OLD_SHA, null, { outcome: 'rollback' }),
    results: hosts,
    plan: [],
    ...fields,
  };
}

export function database(fields: Partial<RecordBody<'db-bootstrap'>> = {}): RecordBody<'db-bootstrap'> {
  return {
    status: 'succeeded',
    reason: null,
    mode: 'apply',
    tool: 'alembic',
    schemaState: 'versioned',
    actionTaken: 'migrated',
    versionBefore: '0041',
    versionAfter: '0042',
    targetVersion: null,
    pendingBefore: null,
    backupFile: '/var/backups/app/dev.dump',
    restoreCommand:
      "pg_restore --clean --if-exists --single-transaction --no-owner '/var/backups/app/dev.dump'",
    leftovers: [],
    failedStep: null,
    ...fields,
  };
}
