import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import {
  exchangeProblems,
  loadLogsServiceModel,
  loadSsmServiceModel,
  type ServiceModel,
  type SsmEmulator,
  startSsmEmulator,
} from '@gatehouse/ssm-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsEnv, deploy } from './fleet';

const ROLLBACK_INPUTS = { mode: 'image', 'app-dir': 'app', 'state-dir': 'state', environment: 'dev' };

const rollbackDir = join(import.meta.dirname, '..', '..', 'rollback');
const preflightDir = join(import.meta.dirname, '..', '..', 'preflight');
let ssm: ServiceModel;
let logs: ServiceModel;
let emulator: SsmEmulator;

const hosts = Array.from({ length: 12 }, (_, i) => ({
  id: `i-${(i + 1).toString(16).padStart(17, '0')}`,
  tags: { app: 'api', env: i < 10 ? 'prod' : 'stage' },
}));

beforeAll(async () => {
  // No skip: without Debian's python3-botocore this fails, saying how to install it.
  ssm = loadSsmServiceModel();
  logs = loadLogsServiceModel();
  emulator = await startSsmEmulator({ hosts, recordTraffic: true });
});
afterAll(() => emulator?.close());

/** CloudWatch Logs is served on the emulator's endpoint too. */
const withLogs = () => ({ ...awsEnv(emulator), AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: emulator.endpoint });

describe("what deploy-ssm and rollback send, against SSM's service model", () => {
  it('every request of deploys in waves, a failed wave, a dry run, a cancel and rollbacks, and every answer', async () => {
    const ids = hosts.map((h) => h.id);
    const tags = 'app=api\nenv=prod';
    const job = await mkdtemp(join(tmpdir(), 'gatehouse-job-'));
    const runs = [
      await deploy(emulator, { 'instance-tags': tags, 'image-tag': 'v1' }, { github: { runId: '1' } }),
      await deploy(
        emulator,
        {
          'instance-tags': tags,
          'image-tag': 'v2',
          sha: 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc',
          waves: '1, 30%, 100%',
          'max-concurrency': '25%',
          'max-errors': '10%',
          bake: '1s',
          'verify-command': 'test -f .env',
          'cloudwatch-log-group': '/gatehouse/dev',
          'output-s3-bucket': 'deploy-logs',
          'delivery-timeout': '30s',
          'execution-timeout': '48h',
        },
        { github: { runId: '2' }, env: withLogs() },
      ),
      await deploy(
        emulator,
        {
          'instance-ids': ids.join('\n'),
          'image-tag': 'v3',
          waves: '1, 5, 100%',
          'max-concurrency': '3',
          commands: `[ "$AWS_SSM_INSTANCE_ID" != ${ids[3]} ]`,
          'cloudwatch-log-group': '/gatehouse/dev',
        },
        { runnerTemp: job, github: { runId: '3' }, env: withLogs() },
      ),
      await runAction({
        actionDir: rollbackDir,
        runnerTemp: job,
        inputs: { ...ROLLBACK_INPUTS, 'instance-ids': ids.join(','), 'verify-command': 'true' },
        github: { runId: '3' },
        env: awsEnv(emulator),
        timeoutMs: 90_000,
      }),
      await deploy(emulator, { 'instance-tags': tags, 'image-tag': 'v4', 'dry-run': 'true' }),
      await runAction({
        actionDir: rollbackDir,
        inputs: { ...ROLLBACK_INPUTS, 'instance-tags': 'env=stage', 'dry-run': 'true' },
        github: { runId: '4' },
        env: awsEnv(emulator),
        timeoutMs: 90_000,
      }),
      await runAction({
        actionDir: preflightDir,
        inputs: { 'instance-tags': tags, 'app-dir': 'app', 'state-dir': 'state', 'git-checkout': 'false' },
        env: awsEnv(emulator),
        timeoutMs: 90_000,
      }),
      await deploy(
        emulator,
        { 'instance-ids': ids.slice(0, 2).join(','), 'image-tag': 'v5', commands: 'sleep 60' },
        { cancelAfterMs: 4000 },
      ),
    ];
    expect(runs.map((r) => r.exitCode === 0)).toEqual([true, true, false, true, true, false, true, false]);
    expect(runs[5]!.errors[0]).toMatch(/^Rollback refused: no previous stable version recorded/);
    expect(runs[7]!.warnings.join('\n')).toContain('CancelCommand sent');

    const traffic = emulator.traffic();
    const ops = new Set(traffic.map((t) => t.op));
    expect(ops).toEqual(
      new Set([
        'DescribeInstanceInformation',
        'SendCommand',
        'ListCommands',
        'ListCommandInvocations',
        'GetCommandInvocation',
        'GetLogEvents',
        'CancelCommand',
      ]),
    );
    const problems = traffic.flatMap((exchange) =>
      exchangeProblems(exchange.op === 'GetLogEvents' ? logs : ssm, exchange),
    );
    expect(problems).toEqual([]);
    // Limits the service model sets on what Gatehouse sends: at most 50 ids, rates in its grammar.
    for (const sent of emulator.commands()) {
      expect(sent.instanceIds.length).toBeLessThanOrEqual(50);
      expect(sent.targets).toEqual([]);
    }
  }, 300_000);
});
