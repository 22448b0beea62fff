import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { actionNames, isMain, repoRoot } from './actions';

/**
 * Bundles one action with ncc: minified ESM (ncc writes `dist/package.json` with
 * `{"type":"module"}`), third-party licenses in `dist/licenses.txt`, no cache so a build on any
 * machine gives the same bytes. Transpile only: `pnpm typecheck` checks types once for the whole
 * repository, so a type error elsewhere cannot make every bundle's build fail.
 */
export function buildAction(name: string, outDir = join(repoRoot, 'actions', name, 'dist')): void {
  const actionDir = join(repoRoot, 'actions', name);
  const entry = ['src/main.ts', 'src/index.ts'].find((file) => existsSync(join(actionDir, file)));
  if (!entry) throw new Error(`actions/${name} has no src/main.ts`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const ncc = join(repoRoot, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js');
  const args = [
    ncc,
    'build',
    entry,
    '-o',
    outDir,
    '--minify',
    '--no-cache',
    '--transpile-only',
    '--license',
    'licenses.txt',
    '--target',
    'es2022',
    '--quiet',
  ];
  const result = spawnSync(process.execPath, args, { cwd: actionDir, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`ncc failed for actions/${name}:\n${result.stdout}\n${result.stderr}`);
  }
  // Post-step entry points (e.g. a `post:` cleanup) are bundled from src/post.ts the same way.
  if (existsSync(join(actionDir, 'src', 'post.ts'))) {
    const postOut = join(outDir, 'post');
    const post = spawnSync(
      process.execPath,
      [
        ncc,
        'build',
        'src/post.ts',
        '-o',
        postOut,
        '--minify',
        '--no-cache',
        '--transpile-only',
        '--target',
        'es2022',
        '--quiet',
      ],
      { cwd: actionDir, encoding: 'utf8' },
    );
    if (post.status !== 0) throw new Error(`ncc failed for actions/${name}/src/post.ts:\n${post.stderr}`);
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
