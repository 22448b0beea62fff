import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/index';

const actionDir = join(import.meta.dirname, 'fixtures', 'lifecycle');

describe('runAction runs an action as the GitHub runner does', () => {
  it('pre, main and post in order, with defaults, context, outputs, summary and state', async () => {
    const run = await runAction({
      actionDir,
      github: {
        token: 'ghs_abc',
        eventName: 'push',
        event: { ref: 'refs/heads/dev' },
        ref: 'refs/heads/dev',
        sha: 'c'.repeat(40),
      },
    });
    expect(run.phases.map((p) => p.phase)).toEqual(['pre', 'main', 'post']);
    expect(run.outputs).toEqual({
      greeting: 'hello',
      token: 'ghs_abc',
      'event-ref': 'refs/heads/dev',
      env: `push refs/heads/dev dev ${'c'.repeat(40)}`,
    });
    expect(run.summary).toBe('# summary\n');
    expect(run.stdout).toContain('post ran with state started=yes phase-order=pre');
    expect(run.succeeded).toBe(true);
  });

  it('given inputs override defaults; undeclared inputs are refused', async () => {
    const run = await runAction({ actionDir, inputs: { greeting: 'hi' } });
    expect(run.outputs.greeting).toBe('hi');
    await expect(runAction({ actionDir, inputs: { nope: 'x' } })).rejects.toThrow(
      /input 'nope' is not declared/,
    );
  });

  it('cancellation sends SIGINT to main and still runs post', async () => {
    const run = await runAction({ actionDir, inputs: { wait: '30' }, cancelAfterMs: 300 });
    expect(run.stdout).toContain('main got SIGINT');
    expect(run.exitCode).toBe(130);
    expect(run.stdout).toContain('post ran with state started=yes');
    expect(run.succeeded).toBe(false);
  });
});

describe('runAction and a manifest GitHub would refuse', () => {
  it('refuses it, as the runner does at "Set up job", saying why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bad-manifest-'));
    await writeFile(
      join(dir, 'action.yml'),
      `name: x\ndescription: y\ninputs:\n  a:\n    description: Pass \${{ job.status }}.\nruns:\n  using: node24\n  main: main.mjs\n`,
    );
    await writeFile(join(dir, 'main.mjs'), "console.log('ran');\n");
    await expect(runAction({ actionDir: dir })).rejects.toThrow("Unrecognized named-value: 'job'");
  });
});
