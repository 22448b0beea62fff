import { ActionFailure } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { hostResults } from '../src/ssm/output';
import { runShellScriptCommands, sendCommandRequests } from '../src/ssm/send';
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
  it('sends instance ids in chunks of 50 with both timeouts and rate control', () => {
    const requests = sendCommandRequests(
      { target: 'ssm', instanceIds: ids(120), instanceTags: [] },
      request,
      {},
    );
    expect(requests.map((r) => r.InstanceIds?.length)).toEqual([50, 50, 20]);
    expect(requests[0]).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      TimeoutSeconds: 600,
      MaxConcurrency: '10',
      MaxErrors: '0',
      Parameters: { executionTimeout: ['1800'] },
    });
  });

  it('targets tags with SSM Targets, and names the output destinations', () => {
    const [only] = sendCommandRequests(
      { target: 'ssm', instanceIds: [], instanceTags: [{ key: 'app', value: 'api' }] },
      request,
      { cloudwatchLogGroup: '/deploys', outputS3Bucket: 'logs' },
    );
    expect(only).toMatchObject({
      Targets: [{ Key: 'tag:app', Values: ['api'] }],
      OutputS3BucketName: 'logs',
      CloudWatchOutputConfig: { CloudWatchLogGroupName: '/deploys', CloudWatchOutputEnabled: true },
    });
    expect(only?.InstanceIds).toBeUndefined();
  });

  it('carries the bash script base64-encoded so sh never parses it', () => {
    const [line] = runShellScriptCommands('echo \'$(x)\' "`y`"');
    expect(line).toMatch(/^bash -c "\$\(printf '%s' '[A-Za-z0-9+/=]+' \| base64 -d\)" gatehouse-script$/);
  });

  it('fails fast, naming offline and unknown hosts, before sending anything', async () => {
    const api = new FakeSsm();
    const [a, b, c] = ids(3);
    api.online.set(a!, 'Online');
    api.online.set(b!, 'ConnectionLost');
    const runner = ssmRunner(
      { target: 'ssm', instanceIds: [a!, b!, c!], instanceTags: [] },
      { api, clock: fakeClock() },
    );
    const error = await runner.run(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionFailure);
    expect(String(error)).toContain(`${b} (PingStatus ConnectionLost)`);
    expect(String(error)).toMatch(new RegExp(`unknown to SSM: ${c}.*another region.*instance profile`));
    expect(api.count('SendCommand')).toBe(0);
  });

  it('explains InvalidInstanceId from SendCommand', async () => {
    const api = new FakeSsm();
    const [a] = ids(1);
    api.online.set(a!, 'Online');
    api.sendCommand = async () => {
      throw Object.assign(new Error('Instances not in a valid state'), { name: 'InvalidInstanceId' });
    };
    const runner = ssmRunner(
      { target: 'ssm', instanceIds: [a!], instanceTags: [] },
      { api, clock: fakeClock() },
    );
    await expect(runner.run(request)).rejects.toThrow(
      /InvalidInstanceId.*agent is not running.*region.*instance profile/,
    );
  });

  it('returns one result per host and reports each command id as soon as it is sent', async () => {
    const api = new FakeSsm();
    const hosts = ids(60);
    for (const h of hosts) api.online.set(h, 'Online');
    const sentIds: string[] = [];
    const clock = fakeClock(() => {
      api.set('cmd-1', hosts.slice(0, 50), 'Success');
      api.set('cmd-2', hosts.slice(50), 'Success');
    });
    const runner = ssmRunner({ target: 'ssm', instanceIds: hosts, instanceTags: [] }, { api, clock });
    const result = await runner.run({ ...request, onSent: (id) => void sentIds.push(id) });
    expect(sentIds).toEqual(['cmd-1', 'cmd-2']);
    expect(result).toMatchObject({
      commandId: 'cmd-1,cmd-2',
      commandIds: ['cmd-1', 'cmd-2'],
      succeeded: true,
    });
    expect(result.hosts).toHaveLength(60);
    expect(api.count('DescribeInstanceInformation')).toBe(2);
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

  it('is not fetched for hosts that succeeded', async () => {
    const api = new FakeSsm();
    const [a] = ids(1);
    const results = await hostResults(
      api,
      [{ ...failed(a!), status: 'Success', exitCode: 0, output: 'fine' }],
      {},
    );
    expect(results[0]).toMatchObject({ stdout: 'fine', outputTruncated: false });
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
