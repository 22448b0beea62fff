import { shortSha } from '@gatehouse/action-kit/short-sha';
import {
  excerpt,
  formatChain,
  type ProbeResult,
  parseJson,
  readJsonPath,
  sameCommit,
  scalarText,
} from '@gatehouse/http-probe';
import type { HealthDeepGateRecord } from '@gatehouse/records';
import { type DependencyRow, dependencyRows, healthState } from './health-body';
import { compareVersions } from './schema-version';
import type { Settings } from './settings';

/** The gate's verdict, as its record holds it. */
export type Verdict = HealthDeepGateRecord['verdict'];

/** What one look at the deep-health endpoint found. */
export interface Judgement {
  verdict: Verdict;
  /** Why it is not a pass; the critical reasons first. */
  reasons: string[];
  httpStatus: number | null;
  status: string | null;
  environment: string | null;
  sha: string | null;
  schemaVersion: string | null;
  checks: DependencyRow[];
  latencyMs: number;
  chain: string;
}

export function judge(result: ProbeResult, settings: Settings): Judgement {
  const base: Judgement = {
    verdict: 'fail',
    reasons: [],
    httpStatus: null,
    status: null,
    environment: null,
    sha: null,
    schemaVersion: null,
    checks: [],
    latencyMs: result.latencyMs,
    chain: formatChain(result.chain),
  };
  if (!result.ok) return { ...base, reasons: [result.failure.message] };
  const { status: httpStatus, body } = result.response;
  const parsed = parseJson(body);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null) {
    const shown = body.trim() === '' ? '(empty)' : excerpt(body, settings.secrets);
    return {
      ...base,
      httpStatus,
      reasons: [`HTTP ${httpStatus}, and the body is not a JSON object: ${shown}`],
    };
  }
  const json = parsed.value;
  const field = (path: string) => {
    const found = readJsonPath(json, path);
    return found.found && found.value !== null && typeof found.value !== 'object'
      ? scalarText(found.value)
      : null;
  };
  const { paths } = settings;
  const judgement: Judgement = {
    ...base,
    httpStatus,
    status: field(paths.status),
    environment: field(paths.environment),
    sha: field(paths.sha),
    schemaVersion: field(paths.schemaVersion),
    checks: dependencyRows(readJsonPath(json, paths.checks).value, settings.requiredChecks),
  };
  const critical = criticalReasons(judgement, settings);
  const reasons = [...critical, ...failReasons(judgement, settings)];
  return {
    ...judgement,
    reasons,
    verdict: critical.length > 0 ? 'critical' : reasons.length > 0 ? 'fail' : 'pass',
  };
}

/** The app is talking to the wrong environment: no retry will fix that. */
function criticalReasons(j: Judgement, settings: Settings): string[] {
  const reasons: string[] = [];
  if (j.status !== null && healthState(j.status) === 'critical') reasons.push(`the app reports ${j.status}`);
  for (const check of j.checks.filter((c) => c.state === 'critical')) {
    reasons.push(`check '${check.name}' reports ${check.status}`);
  }
  const expected = settings.expectedEnvironment;
  if (expected !== undefined && j.environment !== null && !sameWord(j.environment, expected)) {
    reasons.push(`the app reports environment '${j.environment}', expected '${expected}'`);
  }
  return reasons;
}

function failReasons(j: Judgement, settings: Settings): string[] {
  const { paths } = settings;
  const reasons: string[] = [];
  if (settings.expectedEnvironment !== undefined && j.environment === null) {
    reasons.push(
      `no environment at '${paths.environment}' to compare with '${settings.expectedEnvironment}'`,
    );
  }
  if (j.httpStatus !== null && (j.httpStatus < 200 || j.httpStatus > 299))
    reasons.push(`HTTP ${j.httpStatus}`);
  if (j.status === null) reasons.push(`no status at '${paths.status}'`);
  else {
    const state = healthState(j.status);
    // The app's own account of why: its checks that are not ok, so nobody has to fetch the body
    // (required ones have a reason of their own below).
    const notOk = j.checks
      .filter((c) => c.state !== 'ok' && !c.required)
      .map((c) => `${c.name} '${c.status}'`);
    const listed = notOk.length > 5 ? [...notOk.slice(0, 5), `and ${notOk.length - 5} more`] : notOk;
    const because = notOk.length > 0 ? `; checks not ok: ${listed.join(', ')}` : '';
    if (state === 'fail') reasons.push(`status is '${j.status}'${because}`);
    if (state === 'degraded' && !settings.allowDegraded)
      reasons.push(`status is '${j.status}' (allow-degraded is false)${because}`);
  }
  for (const name of settings.requiredChecks) {
    const check = j.checks.find((c) => c.name === name);
    const acceptable =
      check && (check.state === 'ok' || (check.state === 'degraded' && settings.allowDegraded));
    if (!check) reasons.push(`required check '${name}' is missing from '${paths.checks}'`);
    else if (!acceptable) reasons.push(`required check '${name}' is '${check.status}'`);
  }
  reasons.push(...schemaReasons(j, settings));
  if (settings.expectedSha !== undefined) {
    if (j.sha === null)
      reasons.push(`no served commit at '${paths.sha}' to compare with ${shortSha(settings.expectedSha)}`);
    else if (!sameCommit(j.sha, settings.expectedSha)) {
      reasons.push(
        `SHA mismatch: serves ${shortSha(j.sha)}, expected ${shortSha(settings.expectedSha)} (stale instance?)`,
      );
    }
  }
  return reasons;
}

function schemaReasons(j: Judgement, settings: Settings): string[] {
  const { minSchemaVersion: min, expectedSchemaVersion: exact } = settings;
  if (min === undefined && exact === undefined) return [];
  const path = settings.paths.schemaVersion;
  if (j.schemaVersion === null) return [`no schema version at '${path}'`];
  if (exact !== undefined) {
    return j.schemaVersion === exact ? [] : [`schema version is '${j.schemaVersion}', expected '${exact}'`];
  }
  const order = compareVersions(j.schemaVersion, min!);
  if (order === undefined) {
    return [`schema version '${j.schemaVersion}' cannot be ordered against min-schema-version '${min}'`];
  }
  return order < 0 ? [`schema version ${j.schemaVersion} is behind min-schema-version ${min}`] : [];
}

function sameWord(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
