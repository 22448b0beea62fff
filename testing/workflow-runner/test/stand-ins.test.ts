import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ArtifactStore, jobOf, pushEvent, type StandIn, stepOf } from '../src/index';
import { fixtureRepo, gitRepository, run } from './helpers';

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';

describe('actions/checkout stand-in', () => {
  it('clones the event commit shallow by default, full history with fetch-depth 0, a SHA detached', async () => {
    const git = await gitRepository();
    const [first, , head] = git.commits as [string, string, string];
    const repo = await fixtureRepo({
      '.github/workflows/checkout.yml': `
on: push
jobs:
  co:
    runs-on: ubuntu-latest
    steps:
      - id: default
        uses: ${CHECKOUT}
      - id: facts
        run: |
          {
            echo "head=$(git rev-parse HEAD)"
            echo "shallow=$(git rev-parse --is-shallow-repository)"
            echo "count=$(git rev-list --count HEAD)"
            echo "branch=$(git branch --show-current)"
            echo "header=$(git config --local --get http.https://github.com/.extraheader | cut -d' ' -f1-2)"
          } >> "$GITHUB_OUTPUT"
      - id: full
        uses: ${CHECKOUT}
        with:
          fetch-depth: 0
          path: full
          ref: feature
          persist-credentials: false
      - id: full-facts
        working-directory: full
        run: |
          {
            echo "count=$(git rev-list --count HEAD)"
            echo "branch=$(git branch --show-current)"
            echo "tags=$(git tag | tr '\\n' ' ')"
            echo "header=[$(git config --local --get http.https://github.com/.extraheader || true)]"
          } >> "$GITHUB_OUTPUT"
      - id: sha
        uses: ${CHECKOUT}
        with:
          ref: ${first}
          path: old
      - id: sha-facts
        working-directory: old
        run: echo "head=$(git rev-parse HEAD) branch=[$(git branch --show-current)]" >> "$GITHUB_OUTPUT"
      - id: missing
        continue-on-error: true
        uses: ${CHECKOUT}
        with:
          ref: no-such-branch
          path: missing
          fetch-depth: 0
      - id: missing-shallow
        continue-on-error: true
        uses: ${CHECKOUT}
        with:
          ref: no-such-branch
          path: missing
      - id: outside
        continue-on-error: true
        uses: ${CHECKOUT}
        with:
          path: ../elsewhere
`,
    });
    const result = await run(repo, 'checkout.yml', {
      event: pushEvent({ sha: head, ref: 'refs/heads/main', repository: 'acme/api' }),
      gitRepository: git.path,
    });
    const job = jobOf(result, 'co');
    expect(stepOf(job, 'default').outputs).toEqual({ ref: 'refs/heads/main', commit: head });
    expect(stepOf(job, 'facts').outputs).toEqual({
      head,
      shallow: 'true',
      count: '1',
      branch: 'main',
      header: 'AUTHORIZATION: basic',
    });
    // The persisted token is masked where checkout writes it to the log.
    expect(stepOf(job, 'default').log.join('\n')).toContain('.extraheader AUTHORIZATION: basic ***');
    expect(stepOf(job, 'full-facts').outputs).toEqual({
      count: '3',
      branch: 'feature',
      tags: 'v1 ',
      header: '[]',
    });
    expect(stepOf(job, 'sha-facts').outputs.head).toBe(`${first} branch=[]`);
    expect(stepOf(job, 'missing').annotations.map((a) => a.message)).toEqual([
      "A branch or tag with the name 'no-such-branch' could not be found",
    ]);
    // A shallow fetch of a name that matches nothing: git itself exits 1, as under the real action.
    expect(stepOf(job, 'missing-shallow').annotations.map((a) => a.message)).toEqual([
      "The process '/usr/bin/git' failed with exit code 1",
    ]);
    expect(stepOf(job, 'outside').annotations[0]?.message).toMatch(
      /^Repository path '.*elsewhere' is not under '/,
    );
    // Its post step removed the persisted credentials at the end of the job.
    expect(job.steps.filter((s) => s.phase === 'post').map((s) => s.id)).toEqual([
      'outside',
      'missing-shallow',
      'missing',
      'sha',
      'full',
      'default',
    ]);
    const config = () =>
      execFileSync('git', ['config', '--local', '--get-regexp', 'extraheader'], {
        cwd: job.workspace,
      }).toString();
    expect(config).toThrow();
  });
});

describe('artifact stand-ins', () => {
  const UPLOAD = `
name: build
on: push
jobs:
  up:
    runs-on: ubuntu-latest
    steps:
      - run: |
          mkdir -p out/sub
          echo a > out/a.txt
          echo b > out/sub/b.txt
          echo hidden > out/.hidden
      - id: bundle
        uses: actions/upload-artifact@v4
        with:
          name: bundle
          path: out/
          retention-days: 5
      - id: single
        uses: actions/upload-artifact@v4
        with:
          name: single
          path: |
            out/**/*.txt
            !out/sub
      - id: duplicate
        continue-on-error: true
        uses: actions/upload-artifact@v4
        with:
          name: single
          path: out/a.txt
      - id: overwrite
        uses: actions/upload-artifact@v4
        with:
          name: single
          path: out/sub/b.txt
          overwrite: true
      - id: nothing-warns
        uses: actions/upload-artifact@v4
        with:
          name: empty
          path: nothing/*
      - id: nothing-fails
        continue-on-error: true
        uses: actions/upload-artifact@v4
        with:
          name: empty
          path: nothing/*
          if-no-files-found: error
  down:
    needs: up
    runs-on: ubuntu-latest
    steps:
      - id: download
        uses: actions/download-artifact@v4
        with:
          name: bundle
          path: got
      - id: files
        run: echo "files=$(cd got && find . -type f | sort | tr '\\n' ' ')" >> "$GITHUB_OUTPUT"
`;

  it('upload by path (root, exclusions, hidden files), name conflicts, if-no-files-found; download in the run', async () => {
    const repo = await fixtureRepo({ '.github/workflows/build.yml': UPLOAD });
    const result = await run(repo, 'build.yml');
    const up = jobOf(result, 'up');
    expect(up.result).toBe('success');
    expect(stepOf(up, 'duplicate').annotations[0]?.message).toContain(
      '(409) Conflict: an artifact with this name already exists',
    );
    expect(stepOf(up, 'nothing-warns').annotations).toEqual([
      expect.objectContaining({
        level: 'warning',
        message: 'No files were found with the provided path: nothing/*. No artifacts will be uploaded.',
      }),
    ]);
    expect(stepOf(up, 'nothing-fails').outcome).toBe('failure');
    const stored = result.artifacts.list({ runId: result.runId });
    expect(stored.map((a) => [a.name, a.files, a.retentionDays])).toEqual([
      ['bundle', ['a.txt', 'sub/b.txt'], 5],
      ['single', ['b.txt'], 90],
    ]);
    expect(stepOf(up, 'bundle').outputs).toMatchObject({
      'artifact-id': String(stored[0]!.id),
      'artifact-url': `https://github.com/acme/api/actions/runs/${result.runId}/artifacts/${stored[0]!.id}`,
    });
    expect(stepOf(jobOf(result, 'down'), 'files').outputs.files).toBe('./a.txt ./sub/b.txt ');
  });

  it("another run downloads a run's artifact with run-id and a token that may read actions", async () => {
    const store = await ArtifactStore.create();
    const repo = await fixtureRepo({
      '.github/workflows/build.yml': UPLOAD,
      '.github/workflows/later.yml': `
on: push
jobs:
  allowed:
    runs-on: ubuntu-latest
    permissions:
      actions: read
    steps:
      - id: fetch
        uses: actions/download-artifact@v4
        with:
          name: bundle
          run-id: \${{ vars.BUILD_RUN }}
          github-token: \${{ github.token }}
      - run: test -f a.txt && test -f sub/b.txt
  without-token:
    runs-on: ubuntu-latest
    steps:
      - id: fetch
        continue-on-error: true
        uses: actions/download-artifact@v4
        with:
          name: bundle
          run-id: \${{ vars.BUILD_RUN }}
  not-allowed:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - id: fetch
        continue-on-error: true
        uses: actions/download-artifact@v4
        with:
          name: bundle
          run-id: \${{ vars.BUILD_RUN }}
          github-token: \${{ github.token }}
`,
    });
    const build = await run(repo, 'build.yml', { artifacts: store });
    const later = await run(repo, 'later.yml', {
      artifacts: store,
      vars: { BUILD_RUN: String(build.runId) },
    });
    expect(jobOf(later, 'allowed').result).toBe('success');
    expect(stepOf(jobOf(later, 'without-token'), 'fetch').annotations[0]?.message).toMatch(
      /^Unable to download artifact\(s\): Artifact not found for name: bundle/,
    );
    expect(stepOf(jobOf(later, 'not-allowed'), 'fetch').annotations[0]?.message).toBe(
      'Unable to download artifact(s): Resource not accessible by integration',
    );
    store.expire(store.find(build.runId, 'bundle')!);
    const expired = await run(repo, 'later.yml', {
      artifacts: store,
      vars: { BUILD_RUN: String(build.runId) },
    });
    expect(jobOf(expired, 'allowed').result).toBe('failure');
  });
});

describe('aws-actions/configure-aws-credentials stand-in', () => {
  const AWS = (withBlock: string) => `
on: push
permissions:
  id-token: write
jobs:
  aws:
    runs-on: ubuntu-latest
    steps:
      - id: creds
        continue-on-error: true
        uses: aws-actions/configure-aws-credentials@v6
        with:
${withBlock}
      - id: env
        run: |
          echo "region=$AWS_REGION/$AWS_DEFAULT_REGION key=\${AWS_ACCESS_KEY_ID:0:4} secret=\${#AWS_SECRET_ACCESS_KEY} session=\${AWS_SESSION_TOKEN:+set}" >> "$GITHUB_OUTPUT"
          echo "leak: $AWS_SECRET_ACCESS_KEY $AWS_SESSION_TOKEN"
          echo "endpoint=$AWS_ENDPOINT_URL_SSM" >> "$GITHUB_OUTPUT"
`;

  it('exports the region and masked session credentials; the SSM endpoint comes from the machine', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/aws.yml': AWS(
        '          role-to-assume: arn:aws:iam::123456789012:role/gatehouse-deploy-dev\n          aws-region: us-east-1\n          role-session-name: gatehouse-dev-1',
      ),
    });
    const result = await run(repo, 'aws.yml', { env: { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:4566' } });
    const job = jobOf(result, 'aws');
    expect(stepOf(job, 'creds').outputs).toEqual({
      'aws-account-id': '123456789012',
      'authenticated-arn': 'arn:aws:sts::123456789012:assumed-role/gatehouse-deploy-dev/gatehouse-dev-1',
    });
    expect(stepOf(job, 'env').outputs).toEqual({
      region: 'us-east-1/us-east-1 key=ASIA secret=40 session=set',
      endpoint: 'http://127.0.0.1:4566',
    });
    expect(stepOf(job, 'env').log).toContain('leak: *** ***');
    expect(job.steps.at(-1)).toMatchObject({ phase: 'post', id: 'creds', ran: true });
  });

  it.each([
    [
      '          aws-region: US-EAST-1\n          role-to-assume: arn:aws:iam::123456789012:role/r',
      'Region is not valid: US-EAST-1',
    ],
    [
      '          aws-region: us-east-1\n          role-to-assume: deploy-role',
      'Could not assume role with OIDC: Request ARN is invalid',
    ],
    [
      '          role-to-assume: arn:aws:iam::123456789012:role/r',
      'Input required and not supplied: aws-region',
    ],
  ])('refuses what the real action refuses', async (withBlock, message) => {
    const repo = await fixtureRepo({ '.github/workflows/aws.yml': AWS(withBlock) });
    const creds = stepOf(jobOf(await run(repo, 'aws.yml'), 'aws'), 'creds');
    expect(creds.outcome).toBe('failure');
    expect(creds.annotations.map((a) => a.message)).toEqual([message]);
  });
});

describe('stand-ins a caller registers, and actions nobody stands in for', () => {
  it('a registered stand-in gets its declared inputs and defaults, and its effects reach later steps', async () => {
    const notify: StandIn = {
      manifest: `
name: notify
description: Sends a notification.
inputs:
  channel: { description: where, required: true }
  who: { description: by whom, default: '\${{ github.actor }}' }
outputs:
  id: { description: message id }
runs: { using: node24, main: index.js }
`,
      async main(step) {
        step.info(`to ${step.input('channel', { required: true })} by ${step.input('who')} (${step.ref})`);
        step.setOutput('id', 'msg-1');
        step.exportVariable('NOTIFIED', 'yes');
      },
    };
    const repo = await fixtureRepo({
      '.github/workflows/notify.yml': `
on: push
jobs:
  tell:
    runs-on: ubuntu-latest
    steps:
      - id: notify
        uses: acme/notify@v2
        with:
          channel: deploys
      - id: after
        run: echo "seen=$NOTIFIED \${{ steps.notify.outputs.id }}" >> "$GITHUB_OUTPUT"
`,
    });
    const job = jobOf(await run(repo, 'notify.yml', { standIns: { 'acme/notify': notify } }), 'tell');
    expect(stepOf(job, 'notify').log).toContain('to deploys by octocat (v2)');
    expect(stepOf(job, 'after').outputs.seen).toBe('yes msg-1');
  });

  it('an action with no stand-in fails its job before any step runs, even behind if: false', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/unknown.yml': `
on: push
jobs:
  unknown:
    runs-on: ubuntu-latest
    steps:
      - run: echo never
      - if: false
        uses: someone/unknown-action@v1
  other:
    runs-on: ubuntu-latest
    steps:
      - run: echo independent jobs still run
`,
    });
    const result = await run(repo, 'unknown.yml');
    const job = jobOf(result, 'unknown');
    expect(job.result).toBe('failure');
    expect(job.steps).toEqual([]);
    expect(job.annotations[0]?.message).toBe(
      "Unable to resolve action `someone/unknown-action@v1`: no stand-in is registered for 'someone/unknown-action' (pass one in `standIns`).",
    );
    expect(jobOf(result, 'other').result).toBe('success');
  });
});
