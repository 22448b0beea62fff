import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRecord } from '@gatehouse/records';
import { describe, expect, it } from 'vitest';
import { readEarlierSteps } from '../src/job-records';

describe("rollback's reading of its job's records", () => {
  it('reads them typed, and names a record it cannot read instead of guessing at it', async () => {
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gatehouse-rollback-records-'));
    await writeRecord(
      'resolve-ref',
      {
        environment: 'dev',
        ref: 'refs/heads/main',
        remoteRef: 'origin/main',
        sha: 'a'.repeat(40),
        refName: 'main',
        source: 'push',
        event: 'push',
        githubRef: 'refs/heads/main',
        githubRefName: 'main',
        inputRef: '',
        checks: null,
      },
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    // An older release's record: the fields rollback relied on, in no schema.
    await writeFile(
      join(runnerTemp, 'gatehouse', 'deploy-ssm.json'),
      JSON.stringify({ action: 'deploy-ssm', runId: '7', changedHosts: [{ host: 'i-0a' }] }),
    );
    const warnings: string[] = [];
    const steps = readEarlierSteps((message) => warnings.push(message), join(runnerTemp, 'gatehouse'));
    expect(steps.resolveRef?.sha).toBe('a'.repeat(40));
    // Without it, the hosts' own deploy-state.json says which run to undo.
    expect(steps.deploy).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(
        /^The result record deploy-ssm\.json has no schema version: .*rollback leaves it out\.$/,
      ),
    ]);
  });
});
