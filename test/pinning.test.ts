import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/actions';
import { PIN_SETS, pinGatehouse } from '../scripts/pin-gatehouse';

/**
 * Pinning: the examples name Gatehouse by one full commit SHA, as GitHub's hardening guide advises,
 * and scripts/pin-gatehouse.ts is how a release writes that SHA in (checked on a real git repository).
 */
const GATEHOUSE_USES = /gatehouse-dev\/gatehouse\/([\w./-]+)@([^\s`]+)([^\n]*)/g;

function references(file: string): { path: string; ref: string; rest: string }[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(GATEHOUSE_USES)]
    .filter((m) => /^\s*(- )?uses:/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index)))
    .map((m) => ({ path: m[1]!, ref: m[2]!, rest: m[3]! }));
}

describe('the examples pin Gatehouse by full commit SHA', () => {
  const files = PIN_SETS.examples!.filter((file) => file.endsWith('.yml'));

  it.each(files)('%s', (file) => {
    const refs = references(file);
    expect(refs.length).toBeGreaterThan(0);
    for (const { ref, rest } of refs) {
      expect(ref).toMatch(/^[0-9a-f]{40}$/);
      // The comment says which release the SHA is (or, before one is filled in, that it must be).
      expect(rest).toMatch(/^ # \S/);
    }
  });

  it('all at the same commit', () => {
    const shas = new Set(files.flatMap((file) => references(file).map((r) => r.ref)));
    expect(shas.size).toBe(1);
  });
});

describe('scripts/pin-gatehouse.ts', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@gatehouse.invalid', ...args], {
      cwd,
      encoding: 'utf8',
    }).trim();

  function repository(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'gatehouse-pin-'));
    git(root, 'init', '-q');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'release');
    return root;
  }

  const workflow = [
    'jobs:',
    '  deploy:',
    '    uses: gatehouse-dev/gatehouse/.github/workflows/deploy.yml@v1',
    '    steps:',
    '      - uses: gatehouse-dev/gatehouse/actions/resolve-ref@0000000000000000000000000000000000000000 # FILL IN',
    '      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1',
    '',
  ].join('\n');

  it('names each Gatehouse action and workflow by the full SHA, with the version as a comment', () => {
    const root = repository({
      'actions/resolve-ref/action.yml': 'name: resolve-ref\n',
      '.github/workflows/deploy.yml': 'name: deploy\n',
      'example.yml': workflow,
    });
    const sha = git(root, 'rev-parse', 'HEAD');
    expect(pinGatehouse({ root, commit: 'HEAD', version: 'v1.4.0', files: ['example.yml'] })).toEqual({
      'example.yml': 2,
    });
    expect(readFileSync(join(root, 'example.yml'), 'utf8')).toBe(
      workflow
        .replace('deploy.yml@v1', `deploy.yml@${sha} # v1.4.0`)
        .replace(
          'resolve-ref@0000000000000000000000000000000000000000 # FILL IN',
          `resolve-ref@${sha} # v1.4.0`,
        ),
    );
  });

  it('changes nothing when the commit lacks something a file uses, or is no commit', () => {
    const root = repository({ '.github/workflows/deploy.yml': 'name: deploy\n', 'example.yml': workflow });
    expect(() => pinGatehouse({ root, commit: 'HEAD', version: 'v1.4.0', files: ['example.yml'] })).toThrow(
      /example\.yml uses actions\/resolve-ref, which commit [0-9a-f]{40} does not have/,
    );
    expect(() => pinGatehouse({ root, commit: 'v9', version: 'v1.4.0', files: ['example.yml'] })).toThrow(
      /'v9' is not a commit/,
    );
    expect(readFileSync(join(root, 'example.yml'), 'utf8')).toBe(workflow);
  });
});
