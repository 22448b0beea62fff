import { describe, expect, it } from 'vitest';
import { jobOf, listDeclaredSteps, WorkflowParseError, WorkflowStartupError } from '../src/index';
import { fixtureRepo, run } from './helpers';

describe('a workflow GitHub would reject does not run', () => {
  it.each([
    ['an unknown key', 'on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n', /Unexpected value 'stepz'/],
    [
      'a context not allowed there',
      `on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      A: \${{ steps.x.outputs.y }}\n    steps: [{ run: "true" }]\n`,
      /Unrecognized named-value: 'steps'/,
    ],
    [
      'a step with uses and run',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: a/b@v1\n        run: echo\n',
      /uses|run/,
    ],
    [
      'a bad expression',
      `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo \${{ github. }}\n`,
      /Unexpected/,
    ],
    [
      'needs of a job that does not exist',
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{ run: "true" }]\n  b:\n    runs-on: x\n    needs: nope\n    steps: [{ run: "true" }]\n',
      /nope/,
    ],
  ])('%s', async (_, content, message) => {
    const repo = await fixtureRepo({ '.github/workflows/bad.yml': content });
    const failure = run(repo, 'bad.yml');
    await expect(failure).rejects.toThrow(WorkflowParseError);
    await expect(failure).rejects.toThrow(message);
  });

  it('matrix jobs are refused loudly, not half-run', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/matrix.yml': `
on: push
jobs:
  m:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2]
    steps:
      - run: echo \${{ matrix.n }}
`,
    });
    await expect(run(repo, 'matrix.yml')).rejects.toThrow(WorkflowStartupError);
    await expect(run(repo, 'matrix.yml')).rejects.toThrow("'strategy' is not supported by this runner");
  });
});

describe('declared steps and the steps that ran', () => {
  it('lists every step a file declares with the keys results carry, so coverage can be counted', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/flow.yml': `
on:
  workflow_dispatch:
    inputs:
      fail: { type: boolean, default: false }
jobs:
  work:
    runs-on: ubuntu-latest
    steps:
      - name: Always
        run: echo always
      - id: maybe-fail
        run: \${{ inputs.fail && 'exit 1' || 'echo fine' }}
      - name: Only on failure
        if: failure()
        run: echo recovering
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: logs
          path: nothing-here/*
          if-no-files-found: ignore
`,
    });
    const declared = await listDeclaredSteps('.github/workflows/flow.yml', repo);
    expect(declared.map((d) => [d.key, d.name ?? d.uses ?? d.run])).toEqual([
      ['.github/workflows/flow.yml#jobs.work.steps[0]', 'Always'],
      ['.github/workflows/flow.yml#jobs.work.steps[1]', `\${{ inputs.fail && 'exit 1' || 'echo fine' }}`],
      ['.github/workflows/flow.yml#jobs.work.steps[2]', 'Only on failure'],
      ['.github/workflows/flow.yml#jobs.work.steps[3]', 'actions/upload-artifact@v4'],
    ]);
    const { workflowDispatchEvent } = await import('../src/index');
    const ran = new Set<string>();
    for (const fail of ['false', 'true']) {
      const result = await run(repo, 'flow.yml', {
        event: workflowDispatchEvent({ sha: 'a'.repeat(40), inputs: { fail } }),
      });
      for (const step of jobOf(result, 'work').steps)
        if (step.ran && step.phase === 'main') ran.add(step.key);
    }
    expect(declared.filter((d) => !ran.has(d.key))).toEqual([]);
  });
});

describe('cancelling a run', () => {
  it('stops the running step; only always() steps and jobs still run; the run is cancelled', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/long.yml': `
on: push
jobs:
  long:
    runs-on: ubuntu-latest
    steps:
      - id: wait
        run: |
          echo started
          exec sleep 60
      - id: cleanup
        if: always()
        run: echo "status=\${{ job.status }}" >> "$GITHUB_OUTPUT"
  later:
    needs: long
    runs-on: ubuntu-latest
    steps:
      - run: echo never
  report:
    needs: long
    if: always()
    runs-on: ubuntu-latest
    steps:
      - run: echo reporting
`,
    });
    const controller = new AbortController();
    const result = await run(repo, 'long.yml', {
      signal: controller.signal,
      onLine: (line) => {
        if (line.text === 'started') controller.abort();
      },
    });
    expect(result.jobs.map((j) => [j.key, j.result])).toEqual([
      ['long', 'cancelled'],
      ['later', 'cancelled'],
      ['report', 'success'],
    ]);
    const long = jobOf(result, 'long');
    expect(long.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['wait', 'cancelled'],
      ['cleanup', 'success'],
    ]);
    expect(long.steps[1]?.outputs.status).toBe('cancelled');
    expect(result.conclusion).toBe('cancelled');
  });
});
