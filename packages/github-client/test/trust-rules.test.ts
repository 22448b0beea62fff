import { describe, expect, it } from 'vitest';
import { globMatches } from '../src/ref-glob';
import { readTrustedRefs, readTrustedWorkflows, trustRules, workflowPath } from '../src/trusted-runs';

describe('globMatches: the allowed-refs syntax', () => {
  it.each([
    ['refs/heads/main', 'refs/heads/main', true],
    ['refs/heads/main', 'refs/heads/main2', false],
    ['refs/tags/v*', 'refs/tags/v1.2.0', true],
    ['refs/tags/v*', 'refs/tags/v1/evil', false],
    ['refs/heads/**', 'refs/heads/feature/x/y', true],
    ['refs/heads/release/?', 'refs/heads/release/1', true],
    ['refs/heads/release/?', 'refs/heads/release//', false],
    ['refs/heads/a.b', 'refs/heads/aXb', false],
  ])('%s against %s is %s', (glob, ref, expected) => {
    expect(globMatches(glob, ref)).toBe(expected);
  });

  it('stays linear on a long pattern full of stars', () => {
    expect(globMatches(`${'*'.repeat(200)}x`, 'a'.repeat(5000))).toBe(false);
  });
});

describe('workflowPath', () => {
  it.each([
    ['.github/workflows/deploy.yml', '.github/workflows/deploy.yml'],
    ['acme/api/.github/workflows/deploy-dev.yml@refs/heads/main', '.github/workflows/deploy-dev.yml'],
    ['.github/workflows/build.yml@main', '.github/workflows/build.yml'],
    ['dynamic/dependabot/dependabot-updates', undefined],
  ])('%s → %s', (text, path) => {
    expect(workflowPath(text, 'acme/api')).toBe(path);
  });

  it('refuses a workflow of another repository', () => {
    expect(
      workflowPath('mallory/api/.github/workflows/deploy.yml@refs/heads/main', 'acme/api'),
    ).toBeUndefined();
  });
});

describe('trust inputs', () => {
  it('reads workflow files and bare names as paths, and refuses anything else by name', () => {
    expect(readTrustedWorkflows(['deploy-stage.yml', '.github/workflows/deploy-prod.yaml'])).toEqual([
      '.github/workflows/deploy-stage.yml',
      '.github/workflows/deploy-prod.yaml',
    ]);
    expect(() => readTrustedWorkflows(['../evil.yml'])).toThrow(
      /Input 'trusted-workflows' takes workflow files/,
    );
    expect(() => readTrustedWorkflows(['deploy stage'])).toThrow(/trusted-workflows/);
  });

  it('takes only refs a run can be on', () => {
    expect(readTrustedRefs(['refs/heads/main', 'refs/tags/v*'])).toEqual(['refs/heads/main', 'refs/tags/v*']);
    expect(() => readTrustedRefs(['main'])).toThrow(/Input 'trusted-refs' takes full refs or globs/);
    expect(() => readTrustedRefs(['refs/pull/1/merge'])).toThrow(/trusted-refs/);
    expect(() => readTrustedRefs([`refs/heads/${'x'.repeat(300)}`])).toThrow(/at most 255/);
  });

  it("defaults to this run's own workflow file and the default branch, and says when it cannot", () => {
    const origin = {
      workflowRef: 'acme/api/.github/workflows/deploy-dev.yml@refs/heads/main',
      defaultBranch: 'trunk',
    };
    expect(trustRules({ workflows: [], refs: [] }, origin, 'the test')).toEqual({
      workflows: ['.github/workflows/deploy-dev.yml'],
      refs: ['refs/heads/trunk'],
    });
    expect(() => trustRules({ workflows: [], refs: [] }, {}, "input 'restore-history'")).toThrow(
      /Input 'trusted-workflows' is empty and GITHUB_WORKFLOW_REF does not name this run's workflow, so input 'restore-history'/,
    );
    expect(() =>
      trustRules({ workflows: ['x.yml'], refs: [] }, { workflowRef: origin.workflowRef }, 'x'),
    ).toThrow(/Input 'trusted-refs' is empty and the event does not name the repository's default branch/);
  });
});
