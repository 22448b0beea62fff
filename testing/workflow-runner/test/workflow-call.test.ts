import { describe, expect, it } from 'vitest';
import { jobOf, stepOf, WorkflowParseError, WorkflowStartupError } from '../src/index';
import { fixtureRepo, run } from './helpers';

const CALLED = `
name: called
on:
  workflow_call:
    inputs:
      name: { type: string, required: true }
      flag: { type: boolean, default: false }
      count: { type: number, default: 2 }
      where: { type: string, default: '\${{ github.ref_name }}' }
    secrets:
      DECLARED: { required: false }
    outputs:
      greeting: { value: '\${{ jobs.inner.outputs.greeting }}' }
      inner-result: { value: '\${{ jobs.inner.result }}' }
jobs:
  inner:
    name: inner for \${{ inputs.name }}
    runs-on: ubuntu-latest
    environment: \${{ inputs.flag && 'dev' || '' }}
    outputs:
      greeting: \${{ steps.g.outputs.greeting }}
    steps:
      - id: g
        run: |
          {
            echo "greeting=hello \${{ inputs.name }}"
            echo "flag=\${{ inputs.flag }} \${{ inputs.flag == true }}"
            echo "count=\${{ inputs.count }} \${{ inputs.count == 2 }}"
            echo "where=\${{ inputs.where }}"
            echo "declared=[\${{ secrets.DECLARED }}]"
            echo "other=[\${{ secrets.OTHER }}]"
            echo "workflow=\${{ github.workflow }} job=\${{ github.job }}"
          } >> "$GITHUB_OUTPUT"
`;

const CALLER = `
name: caller
on: push
jobs:
  call:
    name: call on \${{ github.event_name }}
    uses: ./.github/workflows/called.yml
    with:
      name: world
      flag: true
    secrets:
      DECLARED: \${{ secrets.REPO_SECRET }}
  inherit:
    uses: acme/gatehouse/.github/workflows/called.yml@v1
    with:
      name: inherited
    secrets: inherit
  after:
    needs: [call, inherit]
    runs-on: ubuntu-latest
    steps:
      - id: seen
        run: |
          echo "call=\${{ needs.call.outputs.greeting }} (\${{ needs.call.result }}, inner \${{ needs.call.outputs.inner-result }})" >> "$GITHUB_OUTPUT"
          echo "inherit=\${{ needs.inherit.outputs.greeting }}" >> "$GITHUB_OUTPUT"
`;

describe('workflow_call', () => {
  it('typed inputs with defaults, explicit vs inherited secrets, outputs back to the caller', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/called.yml': CALLED,
      '.github/workflows/caller.yml': CALLER,
    });
    const result = await run(repo, 'caller.yml', {
      secrets: { REPO_SECRET: 'repo-secret-1', OTHER: 'other-secret-2' },
      environmentSecrets: { dev: { OTHER: 'dev-other-3' } },
    });
    expect(result.jobs.map((j) => [j.key, j.result, j.calledBy ?? ''])).toEqual([
      ['call/inner', 'success', 'call'],
      ['call', 'success', ''],
      ['inherit/inner', 'success', 'inherit'],
      ['inherit', 'success', ''],
      ['after', 'success', ''],
    ]);
    expect(stepOf(jobOf(result, 'call/inner'), 'g').outputs).toEqual({
      greeting: 'hello world',
      flag: 'true true',
      count: '2 true',
      where: 'main',
      declared: '[repo-secret-1]',
      // Not passed, but the called job runs in environment dev, whose secrets it sees.
      other: '[dev-other-3]',
      workflow: 'caller job=inner',
    });
    expect(jobOf(result, 'call/inner').environment).toEqual({ name: 'dev' });
    expect([jobOf(result, 'call').name, jobOf(result, 'call/inner').name]).toEqual([
      'call on push',
      'inner for world',
    ]);
    expect(stepOf(jobOf(result, 'inherit/inner'), 'g').outputs).toMatchObject({
      greeting: 'hello inherited',
      flag: 'false false',
      declared: '[]',
      other: '[other-secret-2]',
    });
    expect(jobOf(result, 'call').outputs).toEqual({ greeting: 'hello world', 'inner-result': 'success' });
    expect(stepOf(jobOf(result, 'after'), 'seen').outputs).toEqual({
      call: 'hello world (success, inner success)',
      inherit: 'hello inherited',
    });
    expect(result.log).not.toContain('repo-secret-1');
    expect(result.log).not.toContain('dev-other-3');
  });

  it('a value of the wrong type fails the calling job; its dependants are skipped', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/called.yml': CALLED,
      '.github/workflows/caller.yml': `
on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
    with:
      name: world
      flag: \${{ 'true' }}
  after:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - run: echo never
`,
    });
    const result = await run(repo, 'caller.yml');
    expect(result.jobs.map((j) => [j.key, j.result])).toEqual([
      ['call', 'failure'],
      ['after', 'skipped'],
    ]);
    expect(jobOf(result, 'call').annotations[0]?.message).toMatch(
      /\(Line: 8, Col: 13\): Unexpected type of value 'true', expected type: Boolean\.$/,
    );
  });

  it('a missing required input or an undeclared input or secret is a parse error, as GitHub refuses the file', async () => {
    const caller = (body: string) => `
on: push
jobs:
  call:
    uses: ./.github/workflows/called.yml
${body}`;
    const cases: [string, RegExp][] = [
      ['    with: { flag: true }', /Input name is required, but not provided while calling/],
      ['    with: { name: x, nmae: y }', /Invalid input, nmae is not defined in the referenced workflow/],
      [
        '    with: { name: x }\n    secrets: { NOPE: x }',
        /Invalid secret, NOPE is not defined in the referenced workflow/,
      ],
    ];
    for (const [body, message] of cases) {
      const repo = await fixtureRepo({
        '.github/workflows/called.yml': CALLED,
        '.github/workflows/caller.yml': caller(body),
      });
      const failure = run(repo, 'caller.yml');
      await expect(failure).rejects.toThrow(WorkflowParseError);
      await expect(failure).rejects.toThrow(message);
    }
  });
});

describe('permissions through a call', () => {
  const CALLED_AWS = `
on:
  workflow_call: {}
jobs:
  aws:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: us-east-1
      - id: creds
        run: |
          echo "region=$AWS_REGION" >> "$GITHUB_OUTPUT"
          echo "key=\${AWS_ACCESS_KEY_ID:0:4}" >> "$GITHUB_OUTPUT"
`;
  const caller = (permissions: string) => `
on: push
permissions: {}
jobs:
  deploy:
    uses: ./.github/workflows/aws.yml
    permissions:
${permissions}
`;

  it('the called job gets what the caller grants: with id-token: write it gets AWS credentials', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/aws.yml': CALLED_AWS,
      '.github/workflows/caller.yml': caller('      contents: read\n      id-token: write'),
    });
    const result = await run(repo, 'caller.yml');
    const job = jobOf(result, 'deploy/aws');
    expect(job.permissions).toMatchObject({ contents: 'read', 'id-token': 'write', actions: 'none' });
    expect(job.result).toBe('success');
    expect(stepOf(job, 'creds').outputs).toEqual({ region: 'us-east-1', key: 'ASIA' });
  });

  it('without id-token: write, configure-aws-credentials fails as the real one does', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/aws.yml': CALLED_AWS,
      '.github/workflows/caller.yml': caller('      contents: read'),
    });
    const result = await run(repo, 'caller.yml');
    const job = jobOf(result, 'deploy/aws');
    expect(job.permissions['id-token']).toBe('none');
    const step = job.steps[0]!;
    expect(step.outcome).toBe('failure');
    expect(step.log).toContain(
      'It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.',
    );
    expect(step.annotations.map((a) => a.message)).toEqual([
      'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    ]);
    expect(jobOf(result, 'deploy').result).toBe('failure');
  });

  it('a called job asking for more than its caller grants stops the run before it starts', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/aws.yml': CALLED_AWS.replace(
        '    runs-on: ubuntu-latest',
        '    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n      contents: read',
      ),
      '.github/workflows/caller.yml': caller('      contents: read'),
    });
    const failure = run(repo, 'caller.yml');
    await expect(failure).rejects.toThrow(WorkflowStartupError);
    await expect(failure).rejects.toThrow(
      "The nested job 'aws' is requesting 'id-token: write', but is only allowed 'id-token: none'.",
    );
  });

  it('a job without permissions gets the workflow default, else the repository default', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/p.yml': `
on: push
jobs:
  default:
    runs-on: ubuntu-latest
    steps: [{ run: 'true' }]
  all:
    runs-on: ubuntu-latest
    permissions: write-all
    steps: [{ run: 'true' }]
`,
    });
    const restricted = await run(repo, 'p.yml');
    expect(jobOf(restricted, 'default').permissions).toMatchObject({
      contents: 'read',
      packages: 'read',
      actions: 'none',
    });
    expect(jobOf(restricted, 'all').permissions).toMatchObject({ contents: 'write', 'id-token': 'write' });
    const permissive = await run(repo, 'p.yml', { defaultPermissions: 'permissive' });
    expect(jobOf(permissive, 'default').permissions).toMatchObject({ contents: 'write', 'id-token': 'none' });
  });
});
