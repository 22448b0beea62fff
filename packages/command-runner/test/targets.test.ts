import { ConfigurationError } from '@gatehouse/action-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { readTargetSettings } from '../src/inputs';
import { createRunner } from '../src/targets';

const NAMES = ['TARGET', 'INSTANCE-IDS', 'INSTANCE-TAGS', 'AWS-REGION'];
function inputs(values: Record<string, string>): void {
  for (const name of NAMES) delete process.env[`INPUT_${name}`];
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}
afterEach(() => inputs({}));

describe('target inputs', () => {
  it('reads ids (comma or newline separated), tags and region', () => {
    inputs({ 'instance-ids': 'i-0123456789abcdef0,\nmi-0123456789abcdef0', 'aws-region': 'eu-west-1' });
    expect(readTargetSettings()).toEqual({
      target: 'ssm',
      instanceIds: ['i-0123456789abcdef0', 'mi-0123456789abcdef0'],
      instanceTags: [],
      awsRegion: 'eu-west-1',
    });
    inputs({ 'instance-tags': 'app=api\n env = prod \nrole=a+b\nteam=x\nzone=eu-1a' });
    expect(readTargetSettings().instanceTags).toEqual([
      { key: 'app', value: 'api' },
      { key: 'env', value: 'prod' },
      { key: 'role', value: 'a+b' },
      { key: 'team', value: 'x' },
      { key: 'zone', value: 'eu-1a' },
    ]);
  });

  it.each([
    [{ 'instance-ids': 'i-123;rm -rf /' }, /'instance-ids'.*i-123;rm -rf/],
    [{ 'instance-ids': 'web-1' }, /'instance-ids'/],
    [{ 'instance-tags': 'app' }, /'instance-tags'.*Key=Value/],
    [{ 'instance-tags': "app=$(touch x)'" }, /'instance-tags'/],
    // SSM's TargetKey pattern has no '+', though a tag key may.
    [{ 'instance-tags': 'team+ops=api' }, /'instance-tags'.*no \+/],
    [{ 'instance-tags': 'app=' }, /'instance-tags'.*value of 1 to 256/],
    [{ 'instance-tags': `${'k'.repeat(129)}=v` }, /'instance-tags'/],
    [{ 'instance-tags': 'a=1\nb=2\nc=3\nd=4\ne=5\nf=6' }, /'instance-tags' has 6 tags; SSM takes at most 5/],
    [{ 'instance-tags': 'env=a\nenv=b' }, /'instance-tags' names the tag key 'env' twice/],
    [{}, /'instance-ids' or 'instance-tags'/],
    [{ target: 'ssh', 'instance-ids': 'i-0123456789abcdef0' }, /'target'/],
    [{ 'instance-ids': 'i-0123456789abcdef0', 'aws-region': 'mars' }, /'aws-region'/],
  ])('rejects %j naming the input', (values, message) => {
    inputs(values as Record<string, string>);
    expect(() => readTargetSettings()).toThrow(ConfigurationError);
    expect(() => readTargetSettings()).toThrow(message);
  });

  it('needs no hosts for target local, and runs bash on the runner', async () => {
    inputs({ target: 'local' });
    const runner = await createRunner(readTargetSettings());
    expect(runner.kind).toBe('local');
    const result = await runner.run({ script: 'echo "on $((40 + 2))"; exit 3', executionTimeoutMs: 30_000 });
    expect(result.hosts).toEqual([
      expect.objectContaining({ host: 'local', status: 'Failed', exitCode: 3, stdout: 'on 42\n' }),
    ]);
  });
});
