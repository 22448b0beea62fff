import { describe, expect, it } from 'vitest';
import { jobOf, stepOf } from '../src/index';
import { fixtureRepo, run } from './helpers';

describe('step conditions and continue-on-error', () => {
  it('success() is implicit; failure(), always() and cancelled() see the job status', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/if.yml': `
on: push
jobs:
  steps:
    runs-on: ubuntu-latest
    steps:
      - id: ok
        run: echo fine
      - id: on-success-before
        if: success()
        run: echo still fine
      - id: boom
        run: exit 3
      - id: implicit
        if: steps.ok.outcome == 'success'
        run: echo skipped, the implicit success() is false now
      - id: on-failure
        if: failure() && steps.boom.outcome == 'failure'
        run: echo "status=\${{ job.status }}" >> "$GITHUB_OUTPUT"
      - id: on-always
        if: always()
        run: echo always
      - id: on-cancelled
        if: cancelled()
        run: echo never
`,
    });
    const result = await run(repo, 'if.yml');
    const job = jobOf(result, 'steps');
    const ran = Object.fromEntries(job.steps.map((s) => [s.id, s.ran]));
    expect(ran).toEqual({
      ok: true,
      'on-success-before': true,
      boom: true,
      implicit: false,
      'on-failure': true,
      'on-always': true,
      'on-cancelled': false,
    });
    expect(stepOf(job, 'implicit').skippedBy).toBe("success() && (steps.ok.outcome == 'success')");
    expect(stepOf(job, 'boom').annotations).toEqual([
      { level: 'error', message: 'Process completed with exit code 3.', properties: {} },
    ]);
    expect(stepOf(job, 'on-failure').outputs.status).toBe('failure');
    expect(job.result).toBe('failure');
    expect(result.conclusion).toBe('failure');
  });

  it('continue-on-error: outcome failure, conclusion success, the job goes on and succeeds', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/coe.yml': `
on: push
jobs:
  tolerant:
    runs-on: ubuntu-latest
    steps:
      - id: flaky
        continue-on-error: \${{ github.event_name == 'push' }}
        run: |
          echo "partial=yes" >> "$GITHUB_OUTPUT"
          exit 1
      - id: after
        run: |
          echo "outcome=\${{ steps.flaky.outcome }}" >> "$GITHUB_OUTPUT"
          echo "conclusion=\${{ steps.flaky.conclusion }}" >> "$GITHUB_OUTPUT"
          echo "partial=\${{ steps.flaky.outputs.partial }}" >> "$GITHUB_OUTPUT"
      - id: skipped
        if: false
        run: echo no
      - id: reads-skipped
        run: echo "skipped=\${{ steps.skipped.outcome }}/\${{ steps.skipped.conclusion }}" >> "$GITHUB_OUTPUT"
`,
    });
    const job = jobOf(await run(repo, 'coe.yml'), 'tolerant');
    expect(stepOf(job, 'flaky')).toMatchObject({ outcome: 'failure', conclusion: 'success' });
    expect(stepOf(job, 'after').outputs).toEqual({
      outcome: 'failure',
      conclusion: 'success',
      partial: 'yes',
    });
    expect(stepOf(job, 'reads-skipped').outputs.skipped).toBe('skipped/skipped');
    expect(job.result).toBe('success');
  });

  it('a condition that cannot be evaluated fails the step', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/bad-if.yml': `
on: push
jobs:
  bad:
    runs-on: ubuntu-latest
    steps:
      - id: bad
        if: fromJSON('not json')
        run: echo never
`,
    });
    const job = jobOf(await run(repo, 'bad-if.yml'), 'bad');
    expect(stepOf(job, 'bad')).toMatchObject({ outcome: 'failure' });
    expect(stepOf(job, 'bad').annotations[0]?.message).toMatch(/fromJSON|JSON/i);
    expect(job.result).toBe('failure');
  });
});

describe('jobs: needs, outputs and skipped jobs', () => {
  const WORKFLOW = `
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      version: \${{ steps.v.outputs.version }}
      empty: \${{ steps.v.outputs.nothing }}
    steps:
      - id: v
        run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
  test:
    needs: build
    runs-on: ubuntu-latest
    outputs:
      verdict: \${{ steps.t.outputs.verdict }}
    steps:
      - id: t
        run: |
          echo "got \${{ needs.build.outputs.version }} from a \${{ needs.build.result }} build"
          echo "verdict=bad" >> "$GITHUB_OUTPUT"
          exit 1
  deploy:
    needs: test
    runs-on: ubuntu-latest
    steps:
      - run: echo never, a needed job failed
  report:
    needs: [build, test]
    if: always()
    runs-on: ubuntu-latest
    steps:
      - id: r
        run: echo "seen=\${{ needs.test.result }} \${{ needs.test.outputs.verdict }}" >> "$GITHUB_OUTPUT"
  after-deploy:
    needs: deploy
    runs-on: ubuntu-latest
    steps:
      - run: echo never, deploy was skipped
  rescue:
    needs: deploy
    if: failure()
    runs-on: ubuntu-latest
    steps:
      - run: echo an ancestor failed
`;

  it('runs in needs order, passes outputs, skips dependants of a failure unless their if says otherwise', async () => {
    const repo = await fixtureRepo({ '.github/workflows/jobs.yml': WORKFLOW });
    const result = await run(repo, 'jobs.yml');
    const byKey = Object.fromEntries(result.jobs.map((j) => [j.key, j]));
    expect(result.jobs.map((j) => [j.key, j.result])).toEqual([
      ['build', 'success'],
      ['test', 'failure'],
      ['deploy', 'skipped'],
      ['report', 'success'],
      ['after-deploy', 'skipped'],
      ['rescue', 'success'],
    ]);
    expect(byKey.build?.outputs).toEqual({ version: '1.2.3' });
    expect(byKey.test?.steps[0]?.log).toContain('got 1.2.3 from a success build');
    expect(byKey.deploy?.skippedBy).toBe('success()');
    expect(stepOf(jobOf(result, 'report'), 'r').outputs.seen).toBe('failure bad');
    expect(result.conclusion).toBe('failure');
  });

  it('runs only the chosen jobs, with the results it is told to assume for their needs', async () => {
    const repo = await fixtureRepo({ '.github/workflows/jobs.yml': WORKFLOW });
    const result = await run(repo, 'jobs.yml', {
      jobs: ['report'],
      assumeJobs: {
        build: { result: 'success', outputs: {} },
        test: { result: 'success', outputs: { verdict: 'assumed' } },
      },
    });
    expect(result.jobs.map((j) => j.key)).toEqual(['report']);
    expect(stepOf(jobOf(result, 'report'), 'r').outputs.seen).toBe('success assumed');
    await expect(run(repo, 'jobs.yml', { jobs: ['report'] })).rejects.toThrow(/needs 'build'.*assumeJobs/);
  });

  it('a job output holding a secret is dropped with a warning, as GitHub does', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/secret-output.yml': `
on: push
jobs:
  leaky:
    runs-on: ubuntu-latest
    outputs:
      token: \${{ secrets.API_TOKEN }}
      plain: ok
    steps:
      - run: true
`,
    });
    const job = jobOf(
      await run(repo, 'secret-output.yml', { secrets: { API_TOKEN: 'tok-123456' } }),
      'leaky',
    );
    expect(job.outputs).toEqual({ plain: 'ok' });
    expect(job.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: "Skip output 'token' since it may contain secret.",
      }),
    );
  });
});

describe('timeouts', () => {
  it('a step over its timeout-minutes is stopped and fails; the job goes on with failure()', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/step-timeout.yml': `
on: push
jobs:
  slow:
    runs-on: ubuntu-latest
    steps:
      - id: sleeper
        timeout-minutes: 0.01
        run: exec sleep 60
      - id: cleanup
        if: failure()
        run: echo cleaning up
`,
    });
    const job = jobOf(await run(repo, 'step-timeout.yml'), 'slow');
    expect(stepOf(job, 'sleeper').outcome).toBe('failure');
    expect(stepOf(job, 'sleeper').annotations.map((a) => a.message)).toContain(
      "The action 'Run exec sleep 60' has timed out after 0.01 minutes.",
    );
    expect(stepOf(job, 'cleanup').ran).toBe(true);
    expect(job.result).toBe('failure');
  });

  it('a job over its timeout-minutes is cancelled: the step stops, only always() and cancelled() steps run', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/job-timeout.yml': `
on: push
jobs:
  slow:
    runs-on: ubuntu-latest
    timeout-minutes: 0.01
    steps:
      - id: sleeper
        run: exec sleep 60
      - id: next
        run: echo never
      - id: on-cancel
        if: cancelled()
        run: echo "status=\${{ job.status }}" >> "$GITHUB_OUTPUT"
`,
    });
    const job = jobOf(await run(repo, 'job-timeout.yml'), 'slow');
    expect(stepOf(job, 'sleeper').outcome).toBe('cancelled');
    expect(stepOf(job, 'next').ran).toBe(false);
    expect(stepOf(job, 'on-cancel').outputs.status).toBe('cancelled');
    expect(job.result).toBe('cancelled');
    expect(job.annotations[0]?.message).toContain('has exceeded the maximum execution time of 0.01 minutes');
  });
});
