import { bool, isObj, json, list, num, type Obj, raw, str, time } from './fields';

/**
 * What the summary knows about the job, read from the result records of the other actions.
 * Every field is optional: a missing record or field is shown as missing, never a crash.
 */
export interface RefView {
  environment?: string;
  event?: string;
  githubRef?: string;
  githubRefName?: string;
  inputRef?: string;
  ref?: string;
  refName?: string;
  source?: string;
  sha?: string;
  imageTag?: string;
}

export interface HostRow {
  host: string;
  status?: string;
  details?: string;
  exitCode?: string;
  deployed?: string;
  previous?: string;
  reason?: string;
}

export interface CommandView {
  commandId?: string;
  status?: string;
  region?: string;
  hosts: HostRow[];
  writtenAt?: number;
}

export interface CheckRow {
  name: string;
  ok?: boolean;
  verdict?: string;
  status?: string;
  latencyMs?: number;
  attempts?: number;
  reason?: string;
  redirects?: string;
}

export interface GateView {
  ok?: boolean;
  verdict?: string;
  reason?: string;
  checks: CheckRow[];
  writtenAt?: number;
}

export interface DatabaseView {
  schemaState?: string;
  actionTaken?: string;
  versionBefore?: string;
  versionAfter?: string;
  backupFile?: string;
  restoreCommand?: string;
  /** True when the schema was stamped or migrated: the database is no longer as it was. */
  changed: boolean;
  failed: boolean;
  reason?: string;
}

export interface PreflightView {
  passed?: boolean;
  failures: { host: string; check: string; reason?: string }[];
}

export interface RollbackView extends CommandView {
  rolledBackTo?: string;
  reason?: string;
  succeeded: boolean;
}

export interface PhaseView {
  action: string;
  writtenAt?: number;
  durationMs?: number;
  /** True when the duration is the time since the previous record, not one the action measured. */
  approximate: boolean;
  ok?: boolean;
}

export interface JobView {
  ref: RefView;
  preflight?: PreflightView;
  database?: DatabaseView;
  deploy?: CommandView;
  smoke?: GateView;
  deepGate?: GateView;
  rollback?: RollbackView;
  phases: PhaseView[];
}

const PIPELINE = [
  'resolve-ref',
  'preflight',
  'db-bootstrap',
  'deploy-ssm',
  'smoke-check',
  'health-deep-gate',
  'rollback',
];
const OK_WORDS = new Set(['pass', 'passed', 'ok', 'success', 'succeeded', 'healthy', 'true']);
const NO_CHANGE = new Set(['', 'none', 'nothing', 'noop', 'no-op', 'verify', 'verified', 'skip', 'skipped']);

export function shortSha(sha: string | undefined): string | undefined {
  return sha && /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}

/** A deployed version in a few characters: `4b825dc`, `4b825dc · tag v1.2`, or the tag alone. */
export function versionText(entry: unknown): string | undefined {
  if (typeof entry === 'string') return shortSha(entry) || undefined;
  if (!isObj(entry)) return undefined;
  const sha = shortSha(str(entry, 'sha'));
  const tag = str(entry, 'image-tag', 'tag');
  const ref = str(entry, 'ref');
  if (sha && tag) return `${sha} · tag ${tag}`;
  return sha ?? (tag ? `tag ${tag}` : ref);
}

function okWord(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : OK_WORDS.has(value.toLowerCase());
}

function readRef(records: Record<string, Obj>): RefView {
  const r = records['resolve-ref'] ?? {};
  const deploy = records['deploy-ssm'];
  return {
    environment: str(r, 'environment') ?? str(deploy, 'environment') ?? str(records.rollback, 'environment'),
    event: str(r, 'event'),
    githubRef: str(r, 'github-ref'),
    githubRefName: str(r, 'github-ref-name'),
    inputRef: str(r, 'input-ref'),
    ref: str(r, 'ref') ?? str(deploy, 'ref'),
    refName: str(r, 'ref-name'),
    source: str(r, 'source'),
    sha: str(r, 'sha') ?? str(deploy, 'sha'),
    imageTag: str(deploy, 'image-tag') ?? str(r, 'image-tag'),
  };
}

/** Per-host versions may come as a map keyed by host, a list, or one value for every host. */
function perHost(value: unknown, host: string): unknown {
  if (Array.isArray(value)) return value.find((v) => str(v, 'host', 'instance-id', 'instance') === host);
  if (isObj(value) && (host in value || Object.keys(value).some((k) => /^(i|mi)-|^local$/.test(k)))) {
    return value[host];
  }
  return value;
}

function readCommand(record: Obj | undefined): CommandView | undefined {
  if (!record) return undefined;
  const deployed = json(record, 'deployed');
  const previous = json(record, 'previous');
  const hosts = (list(record, ['results', 'hosts'], ['hosts', 'results']) ?? []).map((row): HostRow => {
    const host = str(row, 'host', 'instance-id', 'instance', 'name') ?? '?';
    return {
      host,
      status: str(row, 'status'),
      details: str(row, 'status-details', 'details'),
      exitCode: str(row, 'exit-code', 'response-code'),
      deployed: versionText(raw(row, 'deployed', 'current') ?? perHost(deployed, host)),
      previous: versionText(raw(row, 'previous') ?? perHost(previous, host)),
      reason: str(row, 'reason', 'error', 'message'),
    };
  });
  return {
    commandId: str(record, 'command-id'),
    status: str(record, 'status'),
    region: str(record, 'region', 'aws-region'),
    hosts,
    writtenAt: time(record, 'written-at'),
  };
}

function readCheck(row: Obj): CheckRow {
  const verdict =
    str(row, 'verdict', 'result', 'state', 'value') ?? (bool(row, 'ok', 'passed') ? 'pass' : undefined);
  const status = str(row, 'status', 'http-status', 'status-code');
  return {
    name: str(row, 'name', 'check', 'path', 'url') ?? '?',
    ok: bool(row, 'ok', 'passed') ?? okWord(verdict ?? status),
    verdict,
    // For a deep-health check the "status" is its verdict (`ok`), already shown.
    status: status === verdict ? undefined : status,
    latencyMs: num(row, 'latency-ms', 'latency', 'duration-ms'),
    attempts: num(row, 'attempts'),
    reason: str(row, 'reason', 'message', 'error'),
    redirects: redirectText(raw(row, 'redirect-chain', 'redirects', 'redirect')),
  };
}

function redirectText(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value
    .map((hop) =>
      isObj(hop) ? [str(hop, 'status'), str(hop, 'location', 'url')].filter(Boolean).join(' ') : String(hop),
    )
    .join(' → ');
}

function readGate(record: Obj | undefined, okField: 'passed' | 'verdict'): GateView | undefined {
  if (!record) return undefined;
  const verdict = str(record, 'verdict');
  const checks = list(record, ['report', 'checks'], ['checks', 'results', 'rows']) ?? [];
  return {
    ok: okField === 'passed' ? bool(record, 'passed', 'ok') : okWord(verdict),
    verdict,
    reason: str(record, 'reason', 'message', 'error') ?? str(json(record, 'report'), 'reason', 'message'),
    checks: checks.map(readCheck),
    writtenAt: time(record, 'written-at'),
  };
}

function readDatabase(record: Obj | undefined): DatabaseView | undefined {
  if (!record) return undefined;
  const before = str(record, 'version-before');
  const after = str(record, 'version-after');
  const action = str(record, 'action-taken');
  const schemaState = str(record, 'schema-state');
  // db-bootstrap records no schema state when it stopped before reading the database (it cannot
  // have changed it then), and a refusal changes nothing by definition. Otherwise, without both
  // versions, any action but a no-op may have changed something.
  const changed =
    action?.toLowerCase() === 'refused' || (schemaState === undefined && action?.toLowerCase() === 'failed')
      ? false
      : before !== undefined && after !== undefined
        ? before !== after
        : !NO_CHANGE.has((action ?? '').toLowerCase());
  return {
    schemaState,
    actionTaken: action,
    versionBefore: before,
    versionAfter: after,
    backupFile: str(record, 'backup-file', 'backup'),
    restoreCommand: str(record, 'restore-command'),
    changed,
    failed:
      bool(record, 'passed', 'ok', 'succeeded') === false || str(record, 'status', 'outcome') === 'failed',
    reason: str(record, 'reason', 'error', 'message'),
  };
}

function readPreflight(record: Obj | undefined): PreflightView | undefined {
  if (!record) return undefined;
  const rows = list(record, ['report', 'hosts'], ['hosts', 'checks', 'results']) ?? [];
  const failures: PreflightView['failures'] = [];
  for (const row of rows) {
    const host = str(row, 'host', 'instance-id', 'instance') ?? '?';
    const checks = list(row, ['checks']);
    for (const check of checks ?? [row]) {
      const ok = bool(check, 'ok', 'passed') ?? okWord(str(check, 'verdict', 'status'));
      if (ok === false)
        failures.push({ host, check: str(check, 'check', 'name') ?? '?', reason: str(check, 'reason') });
    }
  }
  return { passed: bool(record, 'passed'), failures };
}

function readRollback(record: Obj | undefined): RollbackView | undefined {
  const command = readCommand(record);
  if (!record || !command) return undefined;
  const to = json(record, 'rolled-back-to');
  return {
    ...command,
    rolledBackTo: versionText(to),
    reason: str(record, 'reason'),
    succeeded: (command.status ?? '').toLowerCase() === 'success',
  };
}

function phaseOk(action: string, record: Obj, view: Omit<JobView, 'phases'>): boolean | undefined {
  switch (action) {
    case 'resolve-ref':
      return view.ref.sha ? true : undefined;
    case 'preflight':
      return view.preflight?.passed;
    case 'db-bootstrap':
      // Its record has no pass/fail field of its own; a record without a failure is a finished run.
      return !view.database?.failed;
    case 'deploy-ssm':
      return view.deploy?.status ? view.deploy.status.toLowerCase() === 'success' : undefined;
    case 'smoke-check':
      return view.smoke?.ok;
    case 'health-deep-gate':
      return view.deepGate?.ok;
    case 'rollback':
      return view.rollback?.succeeded;
    default:
      return bool(record, 'passed', 'ok', 'succeeded');
  }
}

/**
 * Phases in the order they finished. An action's own `duration-ms` is used when it recorded one;
 * otherwise the time since the previous record (or since `startedAt`) stands in, marked approximate.
 */
function readPhases(
  records: Record<string, Obj>,
  view: Omit<JobView, 'phases'>,
  startedAt?: number,
): PhaseView[] {
  const names = Object.keys(records).filter((name) => name !== 'summary');
  const rank = (name: string) => (PIPELINE.includes(name) ? PIPELINE.indexOf(name) : PIPELINE.length);
  names.sort((a, b) => {
    const ta = time(records[a], 'written-at') ?? Number.MAX_SAFE_INTEGER;
    const tb = time(records[b], 'written-at') ?? Number.MAX_SAFE_INTEGER;
    return ta - tb || rank(a) - rank(b);
  });
  let previous = startedAt;
  return names.map((action) => {
    const record = records[action]!;
    const writtenAt = time(record, 'written-at');
    const own = num(record, 'duration-ms');
    const started = time(record, 'started-at');
    const measured =
      own ?? (started !== undefined && writtenAt !== undefined ? writtenAt - started : undefined);
    const since = writtenAt !== undefined && previous !== undefined ? writtenAt - previous : undefined;
    if (writtenAt !== undefined) previous = writtenAt;
    return {
      action,
      writtenAt,
      durationMs: measured ?? since,
      approximate: measured === undefined && since !== undefined,
      ok: phaseOk(action, record, view),
    };
  });
}

export function readJob(records: Record<string, Obj>, startedAt?: number): JobView {
  const view = {
    ref: readRef(records),
    preflight: readPreflight(records.preflight),
    database: readDatabase(records['db-bootstrap']),
    deploy: readCommand(records['deploy-ssm']),
    smoke: readGate(records['smoke-check'], 'passed'),
    deepGate: readGate(records['health-deep-gate'], 'verdict'),
    rollback: readRollback(records.rollback),
  };
  return { ...view, phases: readPhases(records, view, startedAt) };
}
