import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseActionManifest } from '@gatehouse/runner-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionNames, repoRoot } from '../scripts/actions';
import { buildAction } from '../scripts/build-dist';
import { generatedBlock, renderBlock } from '../scripts/generate-readmes';

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-dist-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

describe.each(actionNames())('actions/%s', (name) => {
  const actionDir = join(repoRoot, 'actions', name);
  const manifest = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8'));

  it('runs on node24 from a committed bundle', () => {
    expect(manifest.runs.using).toBe('node24');
    expect(existsSync(join(actionDir, manifest.runs.main))).toBe(true);
    if (manifest.runs.post) expect(existsSync(join(actionDir, manifest.runs.post))).toBe(true);
    expect(JSON.parse(readFileSync(join(actionDir, 'dist', 'package.json'), 'utf8'))).toEqual({
      type: 'module',
    });
    expect(readFileSync(join(actionDir, 'dist', 'licenses.txt'), 'utf8')).not.toBe('');
  });

  // GitHub loads action.yml with this parser at "Set up job"; a manifest it refuses fails every job
  // that uses the action before any step runs (e.g. an expression in an input's description).
  it("is an action.yml GitHub's own parser accepts", () => {
    const content = readFileSync(join(actionDir, 'action.yml'), 'utf8');
    expect(
      parseActionManifest(content, `actions/${name}/action.yml`, actionDir, { tolerate: true }).problems,
    ).toEqual([]);
  });

  it("has a README whose generated block is action.yml's (prose around it is free)", () => {
    const readme = readFileSync(join(actionDir, 'README.md'), 'utf8');
    expect(generatedBlock(readme), 'one generated block, between its markers').toBeDefined();
    expect(generatedBlock(readme)).toBe(renderBlock(name));
  });

  it('has a committed dist/ identical to a fresh build', () => {
    const out = join(scratch, name);
    buildAction(name, out);
    const committed = join(actionDir, 'dist');
    expect(files(committed)).toEqual(files(out));
    for (const file of files(out)) {
      const same = readFileSync(join(committed, file)).equals(readFileSync(join(out, file)));
      expect(same, `dist/${file} differs from a fresh build; run pnpm build ${name}`).toBe(true);
    }
  }, 180_000);
});
