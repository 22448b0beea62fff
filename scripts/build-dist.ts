import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { actionNames, isMain, repoRoot } from './actions';
import { writeLicenses } from './bundle-licenses';

/**
 * Bundles one action with ncc: minified ESM (ncc writes `dist/package.json` with
 * `{"type":"module"}`), no cache so a build on any machine gives the same bytes, and
 * `dist/licenses.txt` for every third-party package in the main and post bundles. Transpile only:
 * `pnpm typecheck` checks types once for the whole repository, so a type error elsewhere cannot
 * make every bundle's build fail.
 *
 * The host scripts are `.sh` files that a module names as `new URL('./x.sh', import.meta.url)` and
 * reads when it builds a script. ncc copies each such file into `dist/` under its own name and
 * points the bundle at the copy, but only for files under the folder it runs in: so it runs at the
 * repository's root, where `packages/` (the deploy script's files) is inside too.
 */
export function buildAction(name: string, outDir = join(repoRoot, 'actions', name, 'dist')): void {
  const actionDir = join(repoRoot, 'actions', name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), `gatehouse-build-${name}-`));
  try {
    // `src/index.ts` only calls `run()` from `src/main.ts` (GitHub's TypeScript action template);
    // a `post:` step is the same pair, `src/post-index.ts` calling `run()` from `src/post.ts`.
    const bundles = [{ entry: 'src/index.ts', out: outDir }];
    if (!existsSync(join(actionDir, bundles[0]!.entry)))
      throw new Error(`actions/${name} has no src/index.ts`);
    if (existsSync(join(actionDir, 'src', 'post-index.ts'))) {
      bundles.push({ entry: 'src/post-index.ts', out: join(outDir, 'post') });
    }
    const stats = bundles.map(({ entry, out }, i) => {
      const statsFile = join(scratch, `stats-${i}.json`);
      ncc([relative(repoRoot, join(actionDir, entry)), '-o', out, '--stats-out', statsFile]);
      return statsFile;
    });
    writeLicenses(join(outDir, 'licenses.txt'), stats, repoRoot);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function ncc(args: string[]): void {
  const cli = join(repoRoot, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const options = ['--minify', '--no-cache', '--transpile-only', '--target', 'es2022', '--quiet'];
  const result = spawnSync(process.execPath, [cli, 'build', ...args, ...options], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`ncc failed for ${args[0]}:\n${result.stdout}\n${result.stderr}`);
  }
}

if (isMain(import.meta.url)) {
  const requested = process.argv.slice(2);
  const names = requested.length > 0 ? requested : actionNames();
  for (const name of names) {
    const started = performance.now();
    buildAction(name);
    console.log(`built actions/${name}/dist in ${Math.round(performance.now() - started)} ms`);
  }
}
