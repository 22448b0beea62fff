import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { startSsmEmulator } from '@gatehouse/ssm-emulator';
import { describe, expect, it } from 'vitest';
import { snapshotTree } from './host-snapshot';

const actionDir = join(import.meta.dirname, '..');
const FIT = 'i-0aaaaaaaaaaaaaaa1';
const UNFIT = 'i-0bbbbbbbbbbbbbbb2';
const OFFLINE = 'i-0ccccccccccccccc3';

const awsEnv = (endpoint: string) => ({
  AWS_ENDPOINT_URL_SSM: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
});

describe('preflight bundle through the SSM emulator', () => {
  it('checks every host, reports each failing host and check, and writes nothing on any host', async () => {
    const emulator = await startSsmEmulator({ hosts: [FIT, UNFIT] });
    try {
      for (const id of [FIT, UNFIT]) {
        await mkdir(join(emulator.hostDir(id), 'app'), { recursive: true });
        await mkdir(join(emulator.hostDir(id), 'state'), { recursive: true });
      }
      await writeFile(join(emulator.hostDir(FIT), 'app', '.env'), 'APP_ENV=stage\nTOKEN=abc\n');
      const before = await Promise.all([FIT, UNFIT].map((id) => snapshotTree(emulator.hostDir(id))));
      const run = await runAction({
        actionDir,
        inputs: {
          'instance-ids': `${FIT},${UNFIT}`,
          'app-dir': 'app',
          'state-dir': 'state',
          'git-checkout': 'false',
          'required-vars': 'TOKEN',
          'expected-environment': 'stage',
          'min-free-disk': '1M',
        },
        env: awsEnv(emulator.endpoint),
        timeoutMs: 120_000,
      });
      expect(run.outputs.passed).toBe('false');
      const report = JSON.parse(run.outputs.report!) as {
        host: string;
        passed: boolean;
        checks: { check: string; verdict: string }[];
      }[];
      expect(report.map((r) => [r.host, r.passed])).toEqual([
        [FIT, true],
        [UNFIT, false],
      ]);
      expect(report[0]!.checks[0]).toMatchObject({ check: 'ssm-agent', verdict: 'pass' });
      const message = run.errors.join('\n');
      expect(message).toContain(`${UNFIT}: env-file:`);
      expect(message).toContain(`${UNFIT}: environment:`);
      expect(message).not.toContain(`${FIT}:`);
      expect(await Promise.all([FIT, UNFIT].map((id) => snapshotTree(emulator.hostDir(id))))).toEqual(before);
    } finally {
      await emulator.close();
    }
  });

  it('reports an offline SSM agent as a failed check', async () => {
    const emulator = await startSsmEmulator({ hosts: [FIT, { id: OFFLINE, online: false }] });
    try {
      const run = await runAction({
        actionDir,
        inputs: { 'instance-ids': `${FIT},${OFFLINE}`, 'app-dir': 'app', 'state-dir': 'state' },
        env: awsEnv(emulator.endpoint),
        timeoutMs: 120_000,
      });
      expect(run.outputs.passed).toBe('false');
      const report = JSON.parse(run.outputs.report!);
      expect(report[0].checks[0]).toMatchObject({ check: 'ssm-agent', verdict: 'fail' });
      expect(run.errors.join('\n')).toContain(OFFLINE);
    } finally {
      await emulator.close();
    }
  });
});
