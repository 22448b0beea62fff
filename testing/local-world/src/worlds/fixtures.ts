/**
 * The system apps' files (testing/local-world/fixtures/<app>/): what a release commits, read into
 * the tree `world.push()` takes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileChanges } from '../app-repository';

const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/** Every file under `fixtures/<path>`, by its path relative to that folder (caches left out). */
export function fixtureTree(path: string): Record<string, string> {
  const root = join(FIXTURES_DIR, path);
  const files: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.parentPath.includes('__pycache__')) continue;
    const file = join(entry.parentPath, entry.name);
    files[relative(root, file)] = readFileSync(file, 'utf8');
  }
  return files;
}

export function fixtureText(path: string): string {
  return readFileSync(join(FIXTURES_DIR, path), 'utf8');
}

/** The tree with every file of `previous` that `next` lacks deleted (a release is a whole tree). */
export function wholeTree(next: FileChanges, previous: Iterable<string> = []): FileChanges {
  const changes: Record<string, string | null> = {};
  for (const path of previous) changes[path] = null;
  return { ...changes, ...next };
}
