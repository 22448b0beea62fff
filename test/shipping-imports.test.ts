import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../scripts/actions';

/**
 * What ships (each action's `src/` and the shared `packages/`) never reaches into `testing/`: the
 * emulators, stand-ins and runners there are test and demo tools, and a bundle that pulled one in
 * would carry a fake AWS or GitHub into a user's workflow.
 */
const testingDir = join(repoRoot, 'testing');

/** Workspace package name → its folder, for every package under testing/. */
function testingPackages(): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of readdirSync(testingDir)) {
    const manifest = join(testingDir, name, 'package.json');
    if (existsSync(manifest))
      found.set(JSON.parse(readFileSync(manifest, 'utf8')).name, join(testingDir, name));
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Every module specifier in a file: static imports and exports, dynamic import(), require(). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

const shipped = [
  ...readdirSync(join(repoRoot, 'actions')).map((name) => join(repoRoot, 'actions', name, 'src')),
  ...readdirSync(join(repoRoot, 'packages')).map((name) => join(repoRoot, 'packages', name, 'src')),
];

describe('what ships stays apart from testing/', () => {
  const packages = testingPackages();

  it('finds the test tools it guards against', () => {
    expect([...packages.keys()]).toEqual(
      expect.arrayContaining(['@gatehouse/runner-harness', '@gatehouse/ssm-emulator']),
    );
    expect(
      specifiers(`import { a } from '@gatehouse/ssm-emulator';\nconst b = await import('../x');`),
    ).toEqual(['@gatehouse/ssm-emulator', '../x']);
  });

  it('no action src/ or packages/*/src imports a testing/ module, by name or by path', () => {
    const offences: string[] = [];
    for (const dir of shipped) {
      for (const file of sourceFiles(dir)) {
        for (const spec of specifiers(readFileSync(file, 'utf8'))) {
          const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec;
          const target = spec.startsWith('.') ? resolve(dirname(file), spec) : packages.get(name);
          if (target && !relative(testingDir, target).startsWith('..')) {
            offences.push(`${relative(repoRoot, file)} imports '${spec}'`);
          }
        }
      }
    }
    expect(offences).toEqual([]);
  });

  it('no shipped package.json lists a testing/ package among its runtime dependencies', () => {
    const offences: string[] = [];
    for (const dir of shipped) {
      const manifest = join(dirname(dir), 'package.json');
      if (!existsSync(manifest)) continue;
      const deps = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')).dependencies ?? {});
      for (const dep of deps.filter((d) => packages.has(d)))
        offences.push(`${relative(repoRoot, manifest)}: ${dep}`);
    }
    expect(offences).toEqual([]);
  });
});
