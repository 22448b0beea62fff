import { describe, expect, it } from 'vitest';
import { jobOf, stepOf } from '../src/index';
import { fixtureRepo, run, SHA } from './helpers';

describe('Gatehouse actions from their bundles', () => {
  it('resolve-ref on a push, named by repository, with its defaults, record and summary', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/resolve.yml': `
on: push
jobs:
  resolve:
    runs-on: ubuntu-latest
    outputs:
      sha: \${{ steps.ref.outputs.sha }}
    steps:
      - id: ref
        uses: gatehouse-dev/gatehouse/actions/resolve-ref@v1
        with:
          environment: dev
          not-an-input: x
      - id: record
        run: |
          echo "sha=$(jq -r .sha "$RUNNER_TEMP/gatehouse/resolve-ref.json")" >> "$GITHUB_OUTPUT"
          echo "step=\${{ steps.ref.outputs.sha }} \${{ steps.ref.outputs.source }}" >> "$GITHUB_OUTPUT"
`,
    });
    const result = await run(repo, 'resolve.yml');
    const job = jobOf(result, 'resolve');
    expect(job.result).toBe('success');
    const ref = stepOf(job, 'ref');
    expect(ref.outputs).toMatchObject({ ref: 'refs/heads/main', sha: SHA, source: 'push', event: 'push' });
    expect(ref.annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(
          /^Unexpected input\(s\) 'not-an-input', valid inputs are \['ref', 'environment'/,
        ),
      }),
    ]);
    // The token default is ${{ github.token }}: given to the action, masked in the log.
    expect(ref.log).toContain('  token: ***');
    expect(stepOf(job, 'record').outputs).toEqual({ sha: SHA, step: `${SHA} push` });
    expect(job.outputs).toEqual({ sha: SHA });
    expect(job.summary).toContain(SHA.slice(0, 7));
    expect(result.summaries).toEqual([{ job: 'resolve', markdown: job.summary }]);
  });

  it('pre at the start, main in order, post at the end newest first; state carries; one summary', async () => {
    const lifecycle = 'acme/gatehouse/testing/runner-harness/test/fixtures/lifecycle@v1';
    const repo = await fixtureRepo({
      '.github/workflows/lifecycle.yml': `
on: push
jobs:
  phases:
    runs-on: ubuntu-latest
    steps:
      - id: first
        uses: ${lifecycle}
        with:
          greeting: one
      - id: between
        run: echo between
      - id: second
        uses: ${lifecycle}
        with:
          greeting: two
      - id: local
        uses: ./testing/runner-harness/test/fixtures/lifecycle
      - id: skipped
        if: false
        uses: ${lifecycle}
`,
    });
    const result = await run(repo, 'lifecycle.yml');
    const job = jobOf(result, 'phases');
    expect(job.steps.map((s) => `${s.phase} ${s.id}${s.ran ? '' : ' (skipped)'}`)).toEqual([
      'pre first',
      'pre second',
      // The runner runs every pre (pre-if: always()) whatever the step's own if, and registers its post.
      'pre skipped',
      'main first',
      'main between',
      'main second',
      'main local',
      'main skipped (skipped)',
      'post local',
      'post skipped',
      'post second',
      'post first',
    ]);
    expect(job.steps.find((s) => s.phase === 'pre')?.name).toBe(`Pre Run ${lifecycle}`);
    expect(job.steps.find((s) => s.phase === 'post')?.name).toBe(
      'Post Run ./testing/runner-harness/test/fixtures/lifecycle',
    );
    const post = (id: string) => job.steps.find((s) => s.phase === 'post' && s.id === id)!;
    expect(post('first').log).toContain('post ran with state started=yes phase-order=pre');
    expect(post('skipped').log).toContain('post ran with state started=undefined phase-order=pre');
    // A local action's pre is not run, as the runner warns.
    expect(post('local').log).toContain('post ran with state started=yes phase-order=undefined');
    expect(stepOf(job, 'local').annotations.map((a) => a.message)).toContain(
      "`pre` execution is not supported for local action from './testing/runner-harness/test/fixtures/lifecycle'",
    );
    expect(stepOf(job, 'first').outputs).toMatchObject({ greeting: 'one', 'event-ref': 'refs/heads/main' });
    expect(stepOf(job, 'second').outputs.greeting).toBe('two');
    expect(job.summary).toBe('# summary\n'.repeat(3));
  });

  it("an action.yml GitHub's parser refuses (an expression in a description) fails the job at set up", async () => {
    const repo = await fixtureRepo({
      'local-action/action.yml': `name: local
description: Fails to load on GitHub.
inputs:
  status:
    description: Pass \${{ job.status }} here.
runs:
  using: node24
  main: index.js
`,
      'local-action/index.js': "console.log('never runs');\n",
      '.github/workflows/bad-action.yml': `
on: push
jobs:
  uses-it:
    runs-on: ubuntu-latest
    steps:
      - run: echo never
      - uses: ./local-action
`,
    });
    const job = jobOf(await run(repo, 'bad-action.yml'), 'uses-it');
    expect(job.result).toBe('failure');
    expect(job.steps).toEqual([]);
    expect(job.annotations[0]?.message).toMatch(
      /local-action\/action.yml \(Line: 5, Col: 18\): Unrecognized named-value: 'job'/,
    );
  });
});
