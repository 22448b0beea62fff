import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every action folder: `actions/<name>/action.yml`. */
export function actionNames(): string[] {
  return readdirSync(join(repoRoot, 'actions'))
    .filter((name) => existsSync(join(repoRoot, 'actions', name, 'action.yml')))
    .sort();
}

export function isMain(importMetaUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(importMetaUrl) === process.argv[1];
}
