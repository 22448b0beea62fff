import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@gatehouse/postgres-test-server';
import { runAction, stillRunning } from '@gatehouse/runner-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionDir, alembicDir, databaseName, tempDir, unavailableReason } from './helpers';

const unavailable = await unavailableReason();

/**
 * A migration command run on the runner dies with its step: when it outlasts 'timeout', and when
 * the job is cancelled (SIGINT to the step's process alone, as the runner sends it). The command
 * writes the pids of its shell and its sleepers; none may run after the step.
 */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

async function pidsIn(file: string): Promise<number[]> {
  const pids = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
  started.push(...pids.filter((pid) => !started.includes(pid)));
  return pids;
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}

function sleepers(pids: string): string {
  return [
    `echo $$ >> '${pids}'`,
    `sleep 600 & echo $! >> '${pids}'`,
    `sleep 600 </dev/null >/dev/null 2>&1 & echo $! >> '${pids}'`,
    'wait',
  ].join('; ');
}

describe.skipIf(unavailable)(
  `db-bootstrap bundle, target local: the migrate command dies with its step${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => server?.stop());

    async function inputs(label: string) {
      const db = databaseName(label);
      const dir = await tempDir(label);
      const pids = join(dir, 'pids');
      return {
        pids,
        inputs: {
          target: 'local',
          'database-url': await server.createDatabase(db),
          'app-dir': alembicDir,
          tool: 'alembic',
          'expected-version': '0002_orders',
          backup: 'never',
          'migrate-command': sleepers(pids),
        },
      };
    }

    it('stops the whole process group when the migration outlasts timeout', async () => {
      const { inputs: given, pids } = await inputs('timeout');
      const run = await runAction({ actionDir, inputs: { ...given, timeout: '5s' }, timeoutMs: 120_000 });
      const written = await pidsIn(pids);
      expect(written).toHaveLength(3);
      expect(stillRunning(written)).toEqual([]);
      expect(run.succeeded).toBe(false);
      expect(run.outputs['action-taken']).toBe('failed');
      expect(run.errors).toEqual([
        expect.stringMatching(/^The migrate command ran longer than 'timeout' \(5s\) and was stopped/),
      ]);
    });

    it('stops it when the job is cancelled, before the step ends', async () => {
      const { inputs: given, pids } = await inputs('cancel');
      const cancel = new AbortController();
      const running = runAction({ actionDir, inputs: given, cancel: cancel.signal, timeoutMs: 120_000 });
      await until(async () => (await pidsIn(pids)).length === 3);
      cancel.abort();
      const run = await running;
      expect(stillRunning(await pidsIn(pids))).toEqual([]);
      expect(run.phases.find((phase) => phase.phase === 'main')).toMatchObject({ signal: 'SIGINT' });
    });
  },
);
