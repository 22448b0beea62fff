import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobOf, stepOf } from '../src/index';
import { fixtureRepo, run } from './helpers';

describe('run steps, shells and defaults', () => {
  it('bash -e by default, bash -eo pipefail for shell: bash: a failing pipe head passes in one, fails in the other', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/shells.yml': `
on: push
jobs:
  shells:
    runs-on: ubuntu-latest
    steps:
      - id: default
        run: |
          false | true
          echo "reached=yes" >> "$GITHUB_OUTPUT"
          echo "script=$0" >> "$GITHUB_OUTPUT"
          echo "bash=\${BASH_VERSION:+yes}" >> "$GITHUB_OUTPUT"
      - id: bash
        shell: bash
        continue-on-error: true
        run: |
          false | true
          echo "reached=yes" >> "$GITHUB_OUTPUT"
      - id: sh
        shell: sh
        run: echo "bash=\${BASH_VERSION:-no}" >> "$GITHUB_OUTPUT"
      - id: custom
        shell: node {0}
        run: require('fs').appendFileSync(process.env.GITHUB_OUTPUT, 'lang=' + 'node' + '\\n')
      - id: temp
        run: echo "temp=\${{ runner.temp }}" >> "$GITHUB_OUTPUT"
`,
    });
    const job = jobOf(await run(repo, 'shells.yml'), 'shells');
    const def = stepOf(job, 'default');
    expect(def.outputs).toMatchObject({ reached: 'yes', bash: 'yes' });
    expect(def.log).toContain('shell: /usr/bin/bash -e {0}');
    // The script is a file under RUNNER_TEMP, as the runner writes it.
    expect(dirname(def.outputs.script!)).toBe(stepOf(job, 'temp').outputs.temp);
    expect(basename(def.outputs.script!)).toMatch(/^[0-9a-f-]{36}\.sh$/);

    const bash = stepOf(job, 'bash');
    expect(bash).toMatchObject({ outcome: 'failure', conclusion: 'success', outputs: {} });
    expect(bash.log).toContain('shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}');
    expect(bash.annotations.map((a) => a.message)).toEqual(['Process completed with exit code 1.']);

    expect(stepOf(job, 'sh').outputs.bash).toBe('no');
    expect(stepOf(job, 'sh').log).toContain('shell: /usr/bin/sh -e {0}');
    expect(stepOf(job, 'custom').outputs.lang).toBe('node');
    expect(job.result).toBe('success');
  });

  it('defaults.run: the job overrides the workflow per setting; a step overrides both', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/defaults.yml': `
on: push
defaults:
  run:
    shell: bash
    working-directory: from-workflow
jobs:
  workflow-defaults:
    runs-on: ubuntu-latest
    steps:
      - run: mkdir -p from-workflow from-job from-step
        working-directory: .
      - id: where
        run: echo "dir=\${PWD##*/} pipefail=$(set -o | grep -c 'pipefail.*on')" >> "$GITHUB_OUTPUT"
  job-defaults:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: from-job
    steps:
      - run: mkdir -p from-job from-step
        working-directory: \${{ github.workspace }}
      - id: where
        run: echo "dir=\${PWD##*/}" >> "$GITHUB_OUTPUT"
      - id: step
        working-directory: from-step
        shell: sh
        run: echo "dir=\${PWD##*/}" >> "$GITHUB_OUTPUT"
`,
    });
    const result = await run(repo, 'defaults.yml');
    expect(stepOf(jobOf(result, 'workflow-defaults'), 'where').outputs.dir).toBe('from-workflow pipefail=1');
    expect(stepOf(jobOf(result, 'job-defaults'), 'where').outputs.dir).toBe('from-job');
    expect(stepOf(jobOf(result, 'job-defaults'), 'step').outputs.dir).toBe('from-step');
  });

  it('a working-directory that does not exist fails the step', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/wd.yml': `
on: push
jobs:
  missing:
    runs-on: ubuntu-latest
    steps:
      - id: nowhere
        working-directory: does/not/exist
        run: echo never
`,
    });
    const step = stepOf(jobOf(await run(repo, 'wd.yml'), 'missing'), 'nowhere');
    expect(step.outcome).toBe('failure');
    expect(step.annotations[0]?.message).toMatch(
      /with working directory '.*does\/not\/exist'. No such file or directory/,
    );
  });
});

describe('file commands between steps', () => {
  it('GITHUB_OUTPUT, GITHUB_ENV (heredocs too), GITHUB_PATH prepended newest first, GITHUB_STEP_SUMMARY', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/files.yml': `
on: push
jobs:
  files:
    runs-on: ubuntu-latest
    steps:
      - id: write
        run: |
          mkdir -p tools-a tools-b
          printf '#!/bin/sh\\necho tool-a\\n' > tools-a/which-tool
          printf '#!/bin/sh\\necho tool-b\\n' > tools-b/which-tool
          chmod +x tools-a/which-tool tools-b/which-tool
          echo "$PWD/tools-a" >> "$GITHUB_PATH"
          echo "$PWD/tools-b" >> "$GITHUB_PATH"
          {
            echo "single=one line"
            echo "multi<<EOF_MARK"
            echo "line 1"
            echo "line 2"
            echo "EOF_MARK"
          } >> "$GITHUB_OUTPUT"
          {
            echo "PLAIN=plain"
            echo "MULTI<<END"
            echo "a"
            echo "b"
            echo "END"
            echo "NODE_OPTIONS=--require=./evil.js"
          } >> "$GITHUB_ENV"
          echo "## from write" >> "$GITHUB_STEP_SUMMARY"
      - id: read
        run: |
          echo "tool=$(which-tool)" >> "$GITHUB_OUTPUT"
          echo "first-path=\${PATH%%:*}" >> "$GITHUB_OUTPUT"
          echo "plain=$PLAIN" >> "$GITHUB_OUTPUT"
          echo "multi=$(printf '%s' "$MULTI" | tr '\\n' ',')" >> "$GITHUB_OUTPUT"
          echo "node-options=\${NODE_OPTIONS:-unset}" >> "$GITHUB_OUTPUT"
          echo "expr=\${{ steps.write.outputs.multi }}" | tr '\\n' '|' >> "$GITHUB_OUTPUT"
          echo >> "$GITHUB_OUTPUT"
          echo "and more" >> "$GITHUB_STEP_SUMMARY"
`,
    });
    const job = jobOf(await run(repo, 'files.yml'), 'files');
    expect(stepOf(job, 'write').outputs).toEqual({ single: 'one line', multi: 'line 1\nline 2' });
    expect(stepOf(job, 'write').annotations.map((a) => a.message)).toEqual([
      "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.",
    ]);
    expect(stepOf(job, 'read').outputs).toEqual({
      tool: 'tool-b',
      'first-path': `${dirname(stepOf(job, 'read').outputs['first-path']!)}/tools-b`,
      plain: 'plain',
      multi: 'a,b',
      'node-options': 'unset',
      expr: 'line 1|line 2|',
    });
    expect(job.summary).toBe('## from write\nand more\n');
  });

  it('a file the runner cannot read fails the step with its message', async () => {
    const repo = await fixtureRepo({
      '.github/workflows/bad-file.yml': `
on: push
jobs:
  bad:
    runs-on: ubuntu-latest
    steps:
      - id: bad
        run: printf 'value<<EOF\\nno end marker\\n' >> "$GITHUB_OUTPUT"
`,
    });
    const step = stepOf(jobOf(await run(repo, 'bad-file.yml'), 'bad'), 'bad');
    expect(step.outcome).toBe('failure');
    expect(step.annotations.map((a) => a.message)).toEqual([
      "Unable to process file command 'output' successfully.",
      "Invalid value. Matching delimiter not found 'EOF'",
    ]);
  });
});
