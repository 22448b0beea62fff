import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { startSsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { corruptStateOn, deployOn, failedDeployOn } from './deploy-state';
import { snapshotTree } from './host-snapshot';

/**
 * The drift report through the bundle and the SSM emulator (real bash on each host): each host's
 * deploy-state.json read by its own read-only command, reported per host in the log, the
 * `versions` output and the job summary; disagreement a warning, or with require-same-version a
 * failure; and every file on every host byte-identical afterwards.
 */
const actionDir = join(import.meta.dirname, '..');
const [A, B, C, D, E] = [
  'i-0aaaaaaaaaaaaaaa1',
  'i-0bbbbbbbbbbbbbbb2',
  'i-0ccccccccccccccc3',
  'i-0ddddddddddddddd4',
  'i-0eeeeeeeeeeeeeee5',
];
const V1 = { imageTag: 'v1.4.0', sha: '1'.repeat(40) };
const V2 = { imageTag: 'v1.5.0', sha: '2'.repeat(40) };

let emulator: Awaited<ReturnType<typeof startSsmEmulator>> | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function fleet(hosts: string[]) {
  emulator = await startSsmEmulator({ hosts });
  for (const id of hosts) {
    await mkdir(join(emulator.hostDir(id), 'app'), { recursive: true });
    await writeFile(join(emulator.hostDir(id), 'app', '.env'), 'APP_ENV=stage\n');
  }
  return emulator;
}

const snapshot = (hosts: string[]) => Promise.all(hosts.map((id) => snapshotTree(emulator!.hostDir(id))));

const preflight = (hosts: string[], inputs: Record<string, string> = {}) =>
  runAction({
    actionDir,
    inputs: {
      'instance-ids': hosts.join(','),
      'app-dir': 'app',
      'state-dir': 'state',
      'git-checkout': 'false',
      'expected-environment': 'stage',
      'min-free-disk': '1M',
      ...inputs,
    },
    env: {
      AWS_ENDPOINT_URL_SSM: emulator!.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    timeoutMs: 120_000,
  });

interface Version {
  host: string;
  state: string;
  version: string | null;
  runId: string | null;
  lastFailed: { version: string; runId: string; outcome: string } | null;
  error: string | null;
}

describe('preflight bundle through the SSM emulator: what each host runs', () => {
  it('hosts in agreement: reported per host, no warning, and require-same-version passes', async () => {
    const hosts = [A, B, C];
    await fleet(hosts);
    for (const id of hosts) await deployOn(emulator!.hostDir(id), V1, { runId: '501' });
    const before = await snapshot(hosts);
    const run = await preflight(hosts, { 'require-same-version': 'true' });
    expect(run.errors).toEqual([]);
    expect(run.outputs.passed).toBe('true');
    const versions = JSON.parse(run.outputs.versions!) as Version[];
    expect(versions.map((v) => [v.host, v.state, v.version, v.runId])).toEqual(
      hosts.map((id) => [id, 'deployed', 'v1.4.0', '501']),
    );
    expect(run.warnings).toEqual([]);
    expect(run.log).toContain('preflight: what each host runs (all v1.4.0)');
    expect(run.summary).toContain('Every host runs `v1.4.0`.');
    for (const id of hosts) expect(run.summary).toContain(`| \`${id}\` | \`v1.4.0\` |`);
    // The state was read by a command of its own, read only, after the checks.
    const comments = emulator!.commands().map((command) => command.comment);
    expect(comments).toEqual([
      'gatehouse preflight (read only)',
      'gatehouse preflight: read deploy-state.json (read only)',
    ]);
    expect(await snapshot(hosts)).toEqual(before);
  });

  it('hosts that disagree, one with no state, one whose last deploy failed: which hosts run what', async () => {
    const hosts = [A, B, C, D, E];
    await fleet(hosts);
    for (const id of [A, B, E]) await deployOn(emulator!.hostDir(id), V1, { runId: '501' });
    await deployOn(emulator!.hostDir(C), V2, { runId: '502' });
    await failedDeployOn(emulator!.hostDir(E), V2, { runId: '502', actor: 'mallory' });
    const before = await snapshot(hosts);

    const warned = await preflight(hosts);
    expect(warned.errors).toEqual([]);
    expect(warned.outputs.passed).toBe('true');
    const versions = JSON.parse(warned.outputs.versions!) as Version[];
    expect(versions.map((v) => [v.host, v.state, v.version])).toEqual([
      [A, 'deployed', 'v1.4.0'],
      [B, 'deployed', 'v1.4.0'],
      [C, 'deployed', 'v1.5.0'],
      [D, 'none', null],
      [E, 'deployed', 'v1.4.0'],
    ]);
    expect(versions[4]!.lastFailed).toMatchObject({ version: 'v1.5.0', runId: '502', outcome: 'failed' });
    expect(warned.warnings).toEqual([
      `The hosts do not run the same version: v1.4.0 on ${A}, ${B}, ${E}; v1.5.0 on ${C}; nothing recorded on ${D}. ` +
        'With require-same-version: true, preflight would fail here.',
      expect.stringMatching(
        new RegExp(
          `^The last attempt failed on 1 host\\(s\\):\\n${E}: runs v1\\.4\\.0 .*its last deploy, to v1\\.5\\.0 \\(run 502 by mallory at [^)]+\\), FAILED$`,
        ),
      ),
    ]);
    expect(warned.summary).toContain(
      `⚠️ The hosts do not run the same version: v1.4.0 on ${A}, ${B}, ${E}; v1.5.0 on ${C}; nothing recorded on ${D}.`,
    );
    expect(warned.summary).toMatch(new RegExp(`\\| \`${D}\` \\| - \\|.*\\| no version recorded \\|`));

    const failed = await preflight(hosts, { 'require-same-version': 'true' });
    expect(failed.outputs.passed).toBe('false');
    const message = failed.errors.join('\n');
    expect(message).toContain(
      `${C}: same-version: runs v1.5.0, but the hosts disagree: v1.4.0 on ${A}, ${B}, ${E}; v1.5.0 on ${C}; nothing recorded on ${D}`,
    );
    expect(message).toContain(
      `${D}: same-version: records no version; the hosts: v1.4.0 on ${A}, ${B}, ${E};`,
    );
    expect(message).toContain(`${A}: same-version: runs v1.4.0, but the hosts disagree`);
    expect(await snapshot(hosts)).toEqual(before);
  });

  it('a corrupt state file on one host is a finding on that host, and the others are still reported', async () => {
    const hosts = [A, B];
    await fleet(hosts);
    await deployOn(emulator!.hostDir(A), V1);
    await corruptStateOn(emulator!.hostDir(B), '{"current": {"sha": "11111');
    const before = await snapshot(hosts);
    const run = await preflight(hosts);
    expect(run.outputs.passed).toBe('false');
    const versions = JSON.parse(run.outputs.versions!) as Version[];
    expect(versions.map((v) => [v.host, v.state])).toEqual([
      [A, 'deployed'],
      [B, 'unreadable'],
    ]);
    expect(run.errors).toEqual([
      `Preflight failed (1 check(s)); nothing was changed:\n${B}: deploy-state: deploy-state.json holds no deploy in ` +
        "the layout Gatehouse writes (edited by hand, or another tool's file?); move it aside to start a new history",
    ]);
    expect(run.summary).toContain(`⚠️ Some hosts' state could not be read: ${B}.`);
    expect(await snapshot(hosts)).toEqual(before);
  });
});
