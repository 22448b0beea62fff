import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAction } from '@gatehouse/runner-harness';
import { describe, expect, it } from 'vitest';

const actionDir = join(import.meta.dirname, '..');
const event = async (name: string) =>
  JSON.parse(await readFile(join(import.meta.dirname, 'events', name), 'utf8'));

describe('resolve-ref bundle on push', () => {
  it('deploys the pushed commit, not a tip looked up later', async () => {
    const run = await runAction({
      actionDir,
      inputs: { environment: 'dev' },
      github: {
        eventName: 'push',
        event: await event('push-branch.json'),
        ref: 'refs/heads/main',
        sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      },
    });
    expect(run.errors).toEqual([]);
    expect(run.succeeded).toBe(true);
    expect(run.outputs).toMatchObject({
      ref: 'refs/heads/main',
      'remote-ref': 'origin/main',
      sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
      source: 'push',
      event: 'push',
    });
    expect(run.summary).toContain('4b825dc');
    const record = JSON.parse(await readFile(join(run.runnerTemp, 'gatehouse', 'resolve-ref.json'), 'utf8'));
    expect(record.sha).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });
});
