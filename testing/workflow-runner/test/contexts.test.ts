import { describe, expect, it } from 'vitest';
import {
  jobOf,
  pushEvent,
  releaseEvent,
  stepOf,
  WorkflowStartupError,
  workflowDispatchEvent,
  workflowRunEvent,
} from '../src/index';
import { fixtureRepo, run, SHA } from './helpers';

const PRINT_CONTEXT = `
name: contexts
on: [push, workflow_dispatch, workflow_run, release]
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - id: ctx
        run: |
          {
            echo "event_name=\${{ github.event_name }}"
            echo "ref=\${{ github.ref }}"
            echo "ref_name=\${{ github.ref_name }}"
            echo "ref_type=\${{ github.ref_type }}"
            echo "sha=\${{ github.sha }}"
            echo "repository=\${{ github.repository }}"
            echo "owner=\${{ github.repository_owner }}"
            echo "actor=\${{ github.actor }}"
            echo "job=\${{ github.job }}"
            echo "workflow=\${{ github.workflow }}"
            echo "workflow_ref=\${{ github.workflow_ref }}"
            echo "run_id=\${{ github.run_id }}"
            echo "run_number=\${{ github.run_number }}"
            echo "run_attempt=\${{ github.run_attempt }}"
            echo "server_url=\${{ github.server_url }}"
            echo "api_url=\${{ github.api_url }}"
            echo "token_is_set=\${{ github.token != '' }}"
            echo "temp=\${{ runner.temp }}"
            echo "os=\${{ runner.os }}"
            echo "status=\${{ job.status }}"
            echo "env_ref=$GITHUB_REF"
            echo "env_ref_name=$GITHUB_REF_NAME"
            echo "env_sha=$GITHUB_SHA"
            echo "env_event=$GITHUB_EVENT_NAME"
            echo "env_repository=$GITHUB_REPOSITORY"
            echo "env_workspace_ok=$([ "$GITHUB_WORKSPACE" = "$PWD" ] && echo yes)"
            echo "env_temp_ok=$([ "$RUNNER_TEMP" = '\${{ runner.temp }}' ] && echo yes)"
            echo "env_action=$GITHUB_ACTION"
            echo "env_ci=$CI $GITHUB_ACTIONS"
            echo "event_path_ref=$(jq -r '.ref // .release.tag_name // .workflow_run.head_sha' "$GITHUB_EVENT_PATH")"
          } >> "$GITHUB_OUTPUT"
`;

describe('the github context and the GITHUB_* variables, per event', () => {
  it('push: ref, sha and the rest as the runner sets them', async () => {
    const repo = await fixtureRepo({ '.github/workflows/ctx.yml': PRINT_CONTEXT });
    const result = await run(repo, 'ctx.yml', {
      event: pushEvent({ sha: SHA, ref: 'refs/heads/main', repository: 'acme/api', actor: 'dev1' }),
      github: { runId: 4242, runNumber: 7, runAttempt: 2, apiUrl: 'http://127.0.0.1:1/api' },
    });
    const outputs = stepOf(jobOf(result, 'show'), 'ctx').outputs;
    expect(outputs).toMatchObject({
      event_name: 'push',
      ref: 'refs/heads/main',
      ref_name: 'main',
      ref_type: 'branch',
      sha: SHA,
      repository: 'acme/api',
      owner: 'acme',
      actor: 'dev1',
      job: 'show',
      workflow: 'contexts',
      workflow_ref: 'acme/api/.github/workflows/ctx.yml@refs/heads/main',
      run_id: '4242',
      run_number: '7',
      run_attempt: '2',
      server_url: 'https://github.com',
      api_url: 'http://127.0.0.1:1/api',
      token_is_set: 'true',
      os: 'Linux',
      status: 'success',
      env_ref: 'refs/heads/main',
      env_ref_name: 'main',
      env_sha: SHA,
      env_event: 'push',
      env_repository: 'acme/api',
      env_workspace_ok: 'yes',
      env_temp_ok: 'yes',
      env_action: 'ctx',
      env_ci: 'true true',
      event_path_ref: 'refs/heads/main',
    });
    expect(outputs.temp).toMatch(/temp$/);
  });

  it('release: the tag as ref; workflow_run: the default branch, the upstream head in the payload', async () => {
    const repo = await fixtureRepo({ '.github/workflows/ctx.yml': PRINT_CONTEXT });
    const release = await run(repo, 'ctx.yml', { event: releaseEvent({ tag: 'v1.2.0', sha: SHA }) });
    expect(stepOf(jobOf(release, 'show'), 'ctx').outputs).toMatchObject({
      event_name: 'release',
      ref: 'refs/tags/v1.2.0',
      ref_name: 'v1.2.0',
      ref_type: 'tag',
      event_path_ref: 'v1.2.0',
    });

    const upstream = await run(repo, 'ctx.yml', {
      event: pushEvent({ sha: 'a'.repeat(40), ref: 'refs/heads/main' }),
    });
    const triggered = await run(repo, 'ctx.yml', {
      event: workflowRunEvent({ run: upstream, sha: 'b'.repeat(40) }),
    });
    expect(stepOf(jobOf(triggered, 'show'), 'ctx').outputs).toMatchObject({
      event_name: 'workflow_run',
      ref: 'refs/heads/main',
      sha: 'b'.repeat(40),
      event_path_ref: 'a'.repeat(40),
    });
    expect(triggered.event.payload.workflow_run).toMatchObject({
      conclusion: 'success',
      name: 'contexts',
      head_branch: 'main',
      id: upstream.runId,
    });
  });
});

describe('inputs and vars', () => {
  const DISPATCH = `
on:
  workflow_dispatch:
    inputs:
      flag: { type: boolean, default: true }
      count: { type: number, default: 3 }
      target: { type: choice, options: [dev, prod], required: true }
      note: { type: string }
jobs:
  show:
    runs-on: ubuntu-latest
    steps:
      - id: types
        run: |
          echo "flag=\${{ inputs.flag }} \${{ inputs.flag == true }} \${{ github.event.inputs.flag == 'true' }}" >> "$GITHUB_OUTPUT"
          echo "count=\${{ inputs.count }} \${{ inputs.count > 2 }}" >> "$GITHUB_OUTPUT"
          echo "target=\${{ inputs.target }}" >> "$GITHUB_OUTPUT"
          echo "note=[\${{ inputs.note }}]" >> "$GITHUB_OUTPUT"
          echo "var=\${{ vars.REGION }}" >> "$GITHUB_OUTPUT"
      - if: inputs.flag
        run: echo a boolean input is a boolean
      - if: \${{ !inputs.flag }}
        run: echo never
`;

  it('workflow_dispatch inputs are typed, defaulted, and strings in the payload', async () => {
    const repo = await fixtureRepo({ '.github/workflows/d.yml': DISPATCH });
    const result = await run(repo, 'd.yml', {
      event: workflowDispatchEvent({ sha: SHA, inputs: { target: 'prod' } }),
      vars: { REGION: 'us-east-1' },
    });
    const job = jobOf(result, 'show');
    expect(stepOf(job, 'types').outputs).toEqual({
      flag: 'true true true',
      count: '3 true',
      target: 'prod',
      note: '[]',
      var: 'us-east-1',
    });
    expect(job.steps.map((s) => s.ran)).toEqual([true, true, false]);
    expect(result.event.payload.inputs).toEqual({ flag: 'true', count: '3', target: 'prod' });
  });

  it('a missing required input or a value outside the choices stops the run before it starts', async () => {
    const repo = await fixtureRepo({ '.github/workflows/d.yml': DISPATCH });
    await expect(run(repo, 'd.yml', { event: workflowDispatchEvent({ sha: SHA }) })).rejects.toThrow(
      "Required input 'target' not provided",
    );
    await expect(
      run(repo, 'd.yml', { event: workflowDispatchEvent({ sha: SHA, inputs: { target: 'stage' } }) }),
    ).rejects.toThrow(WorkflowStartupError);
    await expect(run(repo, 'd.yml', { event: pushEvent({ sha: SHA }) })).rejects.toThrow(
      "The workflow does not run on 'push'",
    );
  });
});

describe('env is layered workflow → job → step, and GITHUB_ENV reaches later steps', () => {
  it('each level overrides the one above; the step sees its own env in if and expressions', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/env.yml': `
on: push
env:
  LEVEL: workflow
  WF_ONLY: wf
jobs:
  layered:
    runs-on: ubuntu-latest
    env:
      LEVEL: job
      JOB_ONLY: \${{ github.job }}-job
    steps:
      - id: one
        env:
          LEVEL: step
        if: env.LEVEL == 'step'
        run: |
          echo "level=$LEVEL wf=$WF_ONLY job=$JOB_ONLY expr=\${{ env.LEVEL }}" >> "$GITHUB_OUTPUT"
          echo "LEVEL=exported" >> "$GITHUB_ENV"
      - id: two
        run: echo "level=$LEVEL expr=\${{ env.LEVEL }}" >> "$GITHUB_OUTPUT"
      - id: three
        env:
          LEVEL: step-again
        run: echo "level=$LEVEL" >> "$GITHUB_OUTPUT"
`,
    });
    const job = jobOf(await run(repo, 'env.yml'), 'layered');
    expect(stepOf(job, 'one').outputs.level).toBe('step wf=wf job=layered-job expr=step');
    expect(stepOf(job, 'two').outputs.level).toBe('exported expr=exported');
    expect(stepOf(job, 'three').outputs.level).toBe('step-again');
  });
});
