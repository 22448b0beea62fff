import { type DeployStateEntry, entryOf } from '@gatehouse/host-script';
import { describe, expect, it } from 'vitest';
import { describeHost, driftMessage, findDrift, versionChecks } from '../src/drift';
import { hostVersionOf } from '../src/host-versions';

const run = { runId: '77', actor: 'octocat', environment: 'prod' };
const entry = (imageTag: string, outcome: DeployStateEntry['outcome'] = 'success', sha = 'a'.repeat(40)) =>
  entryOf({ imageTag, sha, ref: 'refs/tags/v1' }, run, outcome, '2026-03-01T10:00:00Z');
const deployed = (host: string, current: DeployStateEntry, last: DeployStateEntry | null = current) =>
  hostVersionOf({ host, state: { current, previous: null, last } });

describe('what each host runs', () => {
  it('a rollback is said as such; a failed rollback as the last attempt', () => {
    const v = deployed('i-1', entry('v1', 'rollback'), entry('v2', 'rollback-failed'));
    expect(describeHost(v)).toBe(
      'runs v1 (refs/tags/v1) since 2026-03-01T10:00:00Z, a rollback by run 77 (octocat); ' +
        'its last rollback, to v2 (run 77 by octocat at 2026-03-01T10:00:00Z), FAILED',
    );
  });

  it('a first deploy that failed leaves no version, and is named', () => {
    const v = hostVersionOf({
      host: 'i-1',
      state: { current: null, previous: null, last: entry('v1', 'failed') },
    });
    expect(v).toMatchObject({
      state: 'none',
      version: null,
      lastFailed: { version: 'v1', outcome: 'failed' },
    });
    expect(describeHost(v)).toMatch(/^no version recorded; its last deploy, to v1 .*FAILED$/);
  });

  it('a read that failed on the host is a finding, quoted', () => {
    const v = hostVersionOf({ host: 'i-1', error: 'Failed: bash: sed: command not found' });
    expect(v).toMatchObject({
      state: 'unreadable',
      error: 'deploy-state.json could not be read: Failed: bash: sed: command not found',
    });
    expect(versionChecks(v, findDrift([v]), true)).toEqual([
      { check: 'deploy-state', verdict: 'fail', reason: v.error },
      { check: 'same-version', verdict: 'skip', reason: 'what it runs could not be read (see deploy-state)' },
    ]);
  });
});

describe('whether the hosts agree', () => {
  it('one tag rebuilt from another commit is another version', () => {
    const drift = findDrift([
      deployed('i-1', entry('v1')),
      deployed('i-2', entry('v1', 'success', 'b'.repeat(40))),
    ]);
    expect(drift.same).toBe(false);
    expect(drift.groups.map((g) => g.hosts)).toEqual([['i-1'], ['i-2']]);
  });

  it('a deploy and a rollback to the same version agree; most hosts come first', () => {
    const drift = findDrift([
      deployed('i-1', entry('v2')),
      deployed('i-2', entry('v1')),
      deployed('i-3', entry('v1', 'rollback')),
    ]);
    expect(driftMessage(drift)).toBe('The hosts do not run the same version: v1 on i-2, i-3; v2 on i-1.');
    const same = findDrift([deployed('i-2', entry('v1')), deployed('i-3', entry('v1', 'rollback'))]);
    expect(same.same).toBe(true);
    expect(driftMessage(same)).toBeUndefined();
  });
});
