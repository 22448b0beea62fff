import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_ID } from './job';

/**
 * The records the bundles wrote, with what changes from run to run pinned, so the rendered
 * summaries can be compared with reviewed snapshots: when each step started and ended (a usual
 * deploy's pace, in the order the steps ran), the hosts' entry times, wave durations,
 * latencies, the SSM command ids, the ports, the database URL and the backup's file name. Every
 * field, its name, type and every other value is as the writers wrote it.
 */
const BASE = Date.parse('2025-05-02T10:00:00Z');

/** Seconds after BASE each step started, and how long it took. */
const TIMELINE: Record<string, [start: number, took: number]> = {
  'resolve-ref.json': [0, 3],
  'summary.json': [4, 2],
  'preflight.json': [27, 6],
  'db-bootstrap.json': [35, 14],
  'deploy-ssm.json': [51, 52],
  'smoke-check.json': [105, 4],
  'health-deep-gate.json': [111, 1],
  'rollback.json': [114, 41],
  'smoke-check.2.json': [157, 3],
  'health-deep-gate.2.json': [162, 2],
};

/** When the hosts recorded the version they ran before this job: the day before, another run. */
const EARLIER_ENTRY_TIME = '2025-05-01T16:42:10Z';

const COMMAND_IDS = [
  '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b7c31',
  '2b9d4e61-0c3a-4f7e-8d15-6a2c9e0f1b47',
  '0b6d1e2f-9a8c-4e7d-b5a4-3c2d1e0f9a8b',
  '5e8a1c3d-7b2f-4a96-9c0e-1d4f6b8a2e53',
];

const iso = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export async function pinRecords(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort(byTimeline);
  const ids = new Map<string, string>();
  const strings = (text: string) =>
    text
      // preflight's drift report: when the hosts took the version they run (an earlier run's).
      .replace(/\bsince \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, `since ${EARLIER_ENTRY_TIME}`)
      .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:8080')
      .replace(/postgres(?:ql)?:\/\/[^\s'"]+/g, 'postgresql://gatehouse@127.0.0.1:5432/app')
      .replace(
        /\/[^\s'"]*\/db-bootstrap-\d{8}T\d{9}Z\.dump/g,
        '/srv/app/db-backups/db-bootstrap-20250502T100037000Z.dump',
      )
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
        if (!ids.has(id)) ids.set(id, COMMAND_IDS[ids.size] ?? id);
        return ids.get(id)!;
      });
  for (const name of names) {
    const slot = TIMELINE[name];
    if (!slot) throw new Error(`pinRecords: no time slot for ${name}`);
    const [start, took] = slot;
    const record = JSON.parse(await readFile(join(dir, name), 'utf8')) as { [key: string]: Json };
    const finished = start + took;
    const pin = (value: Json, key?: string): Json => {
      if (typeof value === 'string') return key === 'since' ? EARLIER_ENTRY_TIME : strings(value);
      if (Array.isArray(value)) return value.map((item) => pin(item, key));
      if (value === null || typeof value !== 'object') {
        if (typeof value === 'number' && (key === 'latencyMs' || key === 'elapsedMs')) return 14;
        return value;
      }
      const out: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(value)) out[k] = pin(v, k);
      // A host's deploy-state.json entry: this job's (its deploy or its rollback), or an earlier run's.
      if (typeof out.runId === 'string' && typeof out.time === 'string' && 'outcome' in out) {
        const step = out.outcome === 'rollback' ? 'rollback.json' : 'deploy-ssm.json';
        out.time = out.runId === RUN_ID ? iso(endOf(step) - 3) : EARLIER_ENTRY_TIME;
      }
      // A wave of a rollout: the waves share the step's time.
      if ('wave' in out && 'outcome' in out && typeof out.durationMs === 'number') {
        const waves = Array.isArray(record.waves) ? record.waves.length : 1;
        out.durationMs = Math.round(((took - 4) * 1000) / waves);
      }
      return out;
    };
    const pinned = pin(record) as { [key: string]: Json };
    pinned.startedAt = iso(start);
    pinned.finishedAt = iso(finished);
    await writeFile(join(dir, name), `${JSON.stringify(pinned, null, 2)}\n`);
  }
  return names;
}

function endOf(name: string): number {
  const [start, took] = TIMELINE[name] ?? [0, 0];
  return start + took;
}

function byTimeline(a: string, b: string): number {
  return (TIMELINE[a]?.[0] ?? Number.MAX_SAFE_INTEGER) - (TIMELINE[b]?.[0] ?? Number.MAX_SAFE_INTEGER);
}
