import { dbBootstrapRecord } from './actions/db-bootstrap';
import { deploySsmRecord } from './actions/deploy-ssm';
import { healthDeepGateRecord } from './actions/health-deep-gate';
import { preflightRecord } from './actions/preflight';
import { resolveRefRecord } from './actions/resolve-ref';
import { rollbackRecord } from './actions/rollback';
import { smokeCheckRecord } from './actions/smoke-check';
import { summaryRecord } from './actions/summary';
import { count, fields, type Infer, isoTime, literal, nullable, type Shape, string } from './shape';

/**
 * The schema every record is written in. A change to any record's fields (one renamed, added or
 * dropped) is a new schema: bump this, and keep reading the old one (its shapes, and a function
 * that turns such a record into the current type, chosen in `readCurrent` by the record's
 * `schema`), so a newer summary still reads a job whose steps ran an older Gatehouse.
 * `test/schema-1/` holds records a reader must go on reading.
 */
export const SCHEMA = 1;

/** Each action's record body, by action name: the one definition writers and readers share. */
const BODIES = {
  'resolve-ref': resolveRefRecord,
  preflight: preflightRecord,
  'db-bootstrap': dbBootstrapRecord,
  'deploy-ssm': deploySsmRecord,
  'smoke-check': smokeCheckRecord,
  'health-deep-gate': healthDeepGateRecord,
  rollback: rollbackRecord,
  summary: summaryRecord,
};

export type ActionName = keyof typeof BODIES;
export const ACTION_NAMES = Object.keys(BODIES) as ActionName[];
export type RecordBody<A extends ActionName> = Infer<(typeof BODIES)[A]>;

/** What every record says about itself, around its action's body. */
export interface Envelope<A extends ActionName = ActionName> {
  schema: typeof SCHEMA;
  action: A;
  /** 1 for the action's first record in this job, 2 for the next (a gate run again after a rollback)… */
  attempt: number;
  /** The step that wrote it, as GITHUB_ACTION names it: its id (`smoke-after-rollback`) or a runner name. */
  step: string | null;
  /** When the step's process started, and when it wrote the record: the step's own time, no one else's. */
  startedAt: string;
  finishedAt: string;
}

const ENVELOPE_FIELDS = ['schema', 'action', 'attempt', 'step', 'startedAt', 'finishedAt'] as const;

const envelope: Shape<Omit<Envelope, 'action'> & { action: string }> = fields({
  schema: literal(SCHEMA),
  action: string,
  attempt: count,
  step: nullable(string),
  startedAt: isoTime,
  finishedAt: isoTime,
});

/** A record as written: its envelope and its action's body, side by side. */
export type ResultRecord<A extends ActionName = ActionName> = A extends ActionName
  ? Envelope<A> & RecordBody<A>
  : never;

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(BODIES, name);
}

/** Reads one record of `action` in the current schema; throws naming the field that does not fit. */
export function readCurrent<A extends ActionName>(
  action: A,
  value: Record<string, unknown>,
  where: string,
): ResultRecord<A> {
  const head: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if ((ENVELOPE_FIELDS as readonly string[]).includes(key)) head[key] = field;
    else body[key] = field;
  }
  return { ...envelope(head, where), ...BODIES[action](body, where) } as ResultRecord<A>;
}
