import { describe, expect, it } from 'vitest';
import { jobOf, type RunLogLine, stepOf } from '../src/index';
import { fixtureRepo, run } from './helpers';

describe('masking', () => {
  it('secrets, their lines and encodings, and add-mask values are *** from then on', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/mask.yml': `
on: push
jobs:
  mask:
    runs-on: ubuntu-latest
    environment: prod
    steps:
      - id: leak
        env:
          PASSWORD: \${{ secrets.DB_PASSWORD }}
          KEY: \${{ secrets.MULTILINE }}
        run: |
          echo "password: $PASSWORD"
          echo "base64: $(printf '%s' "$PASSWORD" | base64)"
          echo "second line: $(printf '%s' "$KEY" | sed -n 2p)"
          echo "env secret: \${{ secrets.PROD_ONLY }}"
          echo "token: \${{ github.token }}"
      - id: add-mask
        run: |
          value="computed-$RANDOM-value"
          echo "before: $value"
          echo "::add-mask::$value"
          echo "after: $value"
          echo "value=$value" >> "$GITHUB_OUTPUT"
`,
    });
    const lines: RunLogLine[] = [];
    const result = await run(repo, 'mask.yml', {
      secrets: { DB_PASSWORD: 'hunter2-s3cret', MULTILINE: 'line-one-abc\nline-two-xyz' },
      environmentSecrets: { prod: { PROD_ONLY: 'prod-only-value' } },
      onLine: (line) => lines.push(line),
    });
    const job = jobOf(result, 'mask');
    const leak = stepOf(job, 'leak').log;
    expect(leak).toContain('password: ***');
    expect(leak).toContain('base64: ***');
    expect(leak).toContain('second line: ***');
    expect(leak).toContain('env secret: ***');
    expect(leak).toContain('token: ***');
    // The env block the runner prints is masked too.
    expect(leak).toContain('  PASSWORD: ***');
    const value = stepOf(job, 'add-mask').outputs.value!;
    expect(stepOf(job, 'add-mask').log).toEqual(expect.arrayContaining([`before: ${value}`, 'after: ***']));
    for (const secret of [
      'hunter2-s3cret',
      'line-two-xyz',
      'prod-only-value',
      Buffer.from('hunter2-s3cret').toString('base64'),
    ]) {
      expect(result.log).not.toContain(secret);
      expect(lines.map((l) => l.text).join('\n')).not.toContain(secret);
    }
    expect(lines.find((l) => l.text === 'password: ***')).toMatchObject({
      job: 'mask',
      step: 'Run echo "password: $PASSWORD"',
    });
  });
});

describe('workflow commands in a step', () => {
  it('both syntaxes, properties and escaping, stderr too, stop-commands, groups and debug', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/commands.yml': `
on: push
jobs:
  commands:
    runs-on: ubuntu-latest
    steps:
      - id: say
        run: |
          echo "::error title=Bad%3A thing,file=src/a.ts,line=3::first%0Asecond 100%25"
          echo "  ::warning::indented is still a command"
          echo "text before ##[notice]legacy anywhere in the line"
          echo "::group::Details"
          echo "inside"
          echo "::endgroup::"
          echo "::debug::hidden unless debugging"
          echo "::stop-commands::pause-here-123"
          echo "::error::not an error while stopped"
          echo "::pause-here-123::"
          echo "::warning::counted again"
          echo "not ::error:: a command"
      - id: stderr
        run: echo "::notice::on stderr" >&2
`,
    });
    const result = await run(repo, 'commands.yml');
    const step = stepOf(jobOf(result, 'commands'), 'say');
    expect(step.annotations).toEqual([
      {
        level: 'error',
        message: 'first\nsecond 100%',
        properties: { title: 'Bad: thing', file: 'src/a.ts', line: '3' },
      },
      { level: 'warning', message: 'indented is still a command', properties: {} },
      { level: 'notice', message: 'legacy anywhere in the line', properties: {} },
      { level: 'warning', message: 'counted again', properties: {} },
    ]);
    // stderr is read for commands too (its own pipe: its order against stdout is not fixed).
    expect(stepOf(jobOf(result, 'commands'), 'stderr').annotations).toEqual([
      { level: 'notice', message: 'on stderr', properties: {} },
    ]);
    expect(step.log).toEqual(
      expect.arrayContaining([
        '##[group]Details',
        'inside',
        '##[endgroup]',
        '::error::not an error while stopped',
        'not ::error:: a command',
      ]),
    );
    expect(step.log.filter((l) => l.startsWith('##[debug]'))).toEqual([]);
    // The stop token is masked, so the log does not tell how to resume.
    expect(step.log).toContain('::stop-commands::***');
    expect(step.outcome).toBe('success');

    const debug = await run(repo, 'commands.yml', { debug: true });
    expect(stepOf(jobOf(debug, 'commands'), 'say').log).toContain('##[debug]hidden unless debugging');
  });

  it('set-output and save-state still work, with the deprecation warning; set-env fails the step', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/deprecated.yml': `
on: push
jobs:
  old:
    runs-on: ubuntu-latest
    steps:
      - id: out
        run: echo "::set-output name=legacy::value"
      - id: env
        continue-on-error: true
        run: echo "::set-env name=X::y"
      - id: read
        run: echo "legacy=\${{ steps.out.outputs.legacy }} x=[\${X:-}]" >> "$GITHUB_OUTPUT"
`,
    });
    const job = jobOf(await run(repo, 'deprecated.yml'), 'old');
    expect(stepOf(job, 'out').outputs).toEqual({ legacy: 'value' });
    expect(stepOf(job, 'out').annotations[0]?.message).toContain('The `set-output` command is deprecated');
    expect(stepOf(job, 'env').outcome).toBe('failure');
    expect(stepOf(job, 'env').annotations[1]?.message).toContain('The `set-env` command is disabled');
    expect(stepOf(job, 'read').outputs.legacy).toBe('value x=[]');
  });
});
