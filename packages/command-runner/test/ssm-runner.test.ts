import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionFailure } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { hostResults } from '../src/ssm/output';
import { runShellScriptCommands, scriptOfCommands, sendCommandRequest } from '../src/ssm/send';
import { ssmRunner } from '../src/ssm/ssm-runner';
import { FakeSsm, fakeClock, ids } from './fake-ssm';

const request = {
  script: 'echo hi',
  executionTimeoutMs: 1_800_000,
  deliveryTimeoutMs: 600_000,
  maxConcurrency: '10',
  maxErrors: '0',
};

describe('SSM runner', () => {
  it('sends instance ids with both timeouts, the limits as counts, and the output destinations', () => {
    const sent = sendCommandRequest(
      ids(3),
      request,
      { maxConcurrency: 3, maxErrors: 0 },
      {
        cloudwatchLogGroup: '/deploys',
        outputS3Bucket: 'logs',
      },
    );
    expect(sent).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ids(3),
      TimeoutSeconds: 600,
      MaxConcurrency: '3',
      MaxErrors: '0',
      Parameters: { executionTimeout: ['1800'] },
      OutputS3BucketName: 'logs',
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '/deploys', CloudWatchOutputEnabled: true },
    });
    expect(sent.Targets).toBeUndefined();
  });

  it('carries the bash script gzipped and base64-encoded so sh never parses it', () => {
    const script = 'echo \'$(x)\' "`y`"';
    const [line] = runShellScriptCommands(script);
    expect(line).toMatch(
      /^script="\$\(printf '%s' '[A-Za-z0-9+/=]+' \| base64 -d \| gzip -dc\)" && bash -c "\$script" gatehouse-script$/,
    );
    expect(scriptOfCommands(line!)).toBe(script);
  });

  it('runs the script under sh as AWS-RunShellScript does, and fails when it cannot be decoded', () => {
    const script = "set -e\nprintf '%s|' \"$0\" '$(x)' '`y`'\nexit 7\n";
    const [line] = runShellScriptCommands(script);
    const run = spawnSync('sh', ['-c', line!], { encoding: 'utf8' });
    expect([run.stdout, run.status]).toEqual(['gatehouse-script|$(x)|`y`|', 7]);
    // No gzip on PATH: the command fails naming it, and no part of the script runs.
    const bin = mkdtempSync(join(tmpdir(), 'no-gzip-'));
    for (const tool of ['base64', 'bash'])
      symlinkSync(execSync(`command -v ${tool}`, { encoding: 'utf8' }).trim(), join(bin, tool));
    const cut = spawnSync('/bin/sh', ['-c', line!], { encoding: 'utf8', env: { PATH: bin } });
    expect(cut.status).toBe(127);
    expect(cut.stdout).toBe('');
    expect(cut.stderr).toMatch(/gzip/);
  });

  it('fails fast, naming offline and unknown hosts, before sending anything', async () => {
    const api = new FakeSsm();
    const [a, b, c] = ids(3);
    api.online.set(a!, 'Online');
    api.online.set(b!, 'ConnectionLost');
    const runner = ssmRunner({ target: 'ssm', instanceIds: [a!, b!, c!], instanceTags: [] }, { api });
    const error = await runner.run(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionFailure);
    expect(String(error)).toContain(`${b} (PingStatus ConnectionLost)`);
    expect(String(error)).toMatch(new RegExp(`unknown to SSM: ${c}.*another region.*instance profile`));
    expect(api.count('SendCommand')).toBe(0);
  });

  it('resolves tags to instance ids before sending, and sends those ids', async () => {
    const api = new FakeSsm(fakeClock());
    const hosts = ids(4);
    api.fleet(hosts);
    api.tags.set(hosts[0]!, { app: 'api', env: 'prod' });
    api.tags.set(hosts[2]!, { app: 'api', env: 'prod' });
    api.tags.set(hosts[3]!, { app: 'api', env: 'dev' });
    const runner = ssmRunner(
      {
        target: 'ssm',
        instanceIds: [],
        instanceTags: [
          { key: 'app', value: 'api' },
          { key: 'env', value: 'prod' },
        ],
      },
      { api, clock: api.clock },
    );
    expect(await runner.resolveHosts()).toEqual([hosts[0], hosts[2]]);
    expect(api.calls[0]?.input).toMatchObject({
      Filters: [
        { Key: 'tag:app', Values: ['api'] },
        { Key: 'tag:env', Values: ['prod'] },
      ],
      MaxResults: 50,
    });
    const result = await runner.run(request);
    expect(api.commands.map((c) => c.ids)).toEqual([[hosts[0], hosts[2]]]);
    expect(result.hosts.map((h) => [h.host, h.status, h.started, h.commandId])).toEqual([
      [hosts[0], 'Success', true, api.commands[0]!.id],
      [hosts[2], 'Success', true, api.commands[0]!.id],
    ]);
  });

  it('explains InvalidInstanceId from SendCommand', async () => {
    const api = new FakeSsm();
    const [a] = ids(1);
    api.online.set(a!, 'Online');
    api.sendCommand = async () => {
      throw Object.assign(new Error('Instances not in a valid state'), { name: 'InvalidInstanceId' });
    };
    const runner = ssmRunner({ target: 'ssm', instanceIds: [a!], instanceTags: [] }, { api });
    await expect(runner.run(request)).rejects.toThrow(
      /InvalidInstanceId.*agent is not running.*region.*instance profile.*Nothing was sent/,
    );
  });

  it('runs on the given hosts only, reporting each command id as soon as it is sent', async () => {
    const api = new FakeSsm();
    const hosts = ids(60);
    api.fleet(hosts);
    const sentIds: string[] = [];
    const runner = ssmRunner(
      { target: 'ssm', instanceIds: hosts, instanceTags: [] },
      { api, clock: api.clock },
    );
    const result = await runner.run({
      ...request,
      maxConcurrency: '60',
      hosts: hosts.slice(0, 55),
      onSent: (id) => void sentIds.push(id),
    });
    expect(sentIds).toEqual(api.commands.map((c) => c.id));
    expect(api.commands.map((c) => c.ids.length)).toEqual([50, 5]);
    expect(result).toMatchObject({ commandId: sentIds.join(','), commandIds: sentIds, succeeded: true });
    expect(result.hosts).toHaveLength(55);
    expect(api.count('DescribeInstanceInformation')).toBe(0);
  });

  it('cancels only the commands SSM still runs', async () => {
    const { cancelCommands } = await import('../src/ssm/ssm-runner');
    const api = new FakeSsm().fleet(ids(2));
    api.defaultAfterMs = 0;
    const done = await api.sendCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ids(1) });
    api.defaultAfterMs = 60_000;
    const running = await api.sendCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ids(2).slice(1),
    });
    const cancelled = await cancelCommands(api, [done.Command!.CommandId!, running.Command!.CommandId!]);
    expect(cancelled).toEqual([running.Command!.CommandId]);
    expect(api.calls.filter((c) => c.op === 'CancelCommand').map((c) => c.input)).toEqual([
      { CommandId: running.Command!.CommandId },
    ]);
  });
});

describe('output of failed hosts', () => {
  const failed = (host: string) => ({
    commandId: 'c1',
    host,
    status: 'Failed' as const,
    statusDetails: 'Failed',
    exitCode: 2,
    output: 'short copy',
    started: true,
  });

  it('comes from GetCommandInvocation, and says when SSM cut it', async () => {
    const api = new FakeSsm();
    const [a, b] = ids(2);
    api.full.set(a!, { stdout: 'x'.repeat(24_000), stderr: 'bad' });
    api.full.set(b!, { stdout: 'small', stderr: 'e'.repeat(8_000) });
    const results = await hostResults(api, [failed(a!), failed(b!)], {});
    expect(results.map((r) => [r.stdout.length, r.stderr, r.outputTruncated])).toEqual([
      [24_000, 'bad', true],
      [5, 'e'.repeat(8_000), true],
    ]);
  });

  it('is not fetched for hosts that succeeded, nor for hosts where nothing ran', async () => {
    const api = new FakeSsm();
    const [a, b] = ids(2);
    const results = await hostResults(
      api,
      [
        { ...failed(a!), status: 'Success', exitCode: 0, output: 'fine' },
        {
          ...failed(b!),
          status: 'Undeliverable',
          statusDetails: 'Undeliverable',
          started: false,
          output: '',
        },
      ],
      {},
    );
    expect(results[0]).toMatchObject({ stdout: 'fine', outputTruncated: false, commandId: 'c1' });
    expect(api.count('GetCommandInvocation')).toBe(0);
  });

  it('is read whole from CloudWatch Logs when a log group is set', async () => {
    const api = new FakeSsm();
    const [a] = ids(1);
    api.full.set(a!, { stdout: 'y'.repeat(24_000), stderr: '' });
    api.logStreams.set(`/deploys:c1/${a}/aws-runShellScript/stdout`, 'y'.repeat(50_000));
    const [result] = await hostResults(api, [failed(a!)], { cloudwatchLogGroup: '/deploys' });
    expect(result).toMatchObject({
      outputTruncated: false,
      outputLocation: expect.stringContaining('/deploys'),
    });
    expect(result?.stdout).toHaveLength(50_000);
  });

  it('names the S3 location when an output bucket is set', async () => {
    const api = new FakeSsm();
    const [a] = ids(1);
    api.full.set(a!, { stdout: 'z', stderr: '' });
    const [result] = await hostResults(api, [failed(a!)], { outputS3Bucket: 'logs' });
    expect(result?.outputLocation).toBe(`s3://logs/gatehouse/c1/${a}/awsrunShellScript/0.awsrunShellScript/`);
  });
});
