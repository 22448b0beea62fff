import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `dist/licenses.txt`: the license of every third-party package in a bundle, its lazily loaded
 * chunks and its post step included. Written from ncc's webpack stats because ncc's own
 * `--license` writes the file once per chunk, so a bundle with chunks (the AWS SDK, Octokit, pg
 * are loaded on use) shipped only one chunk's licenses.
 */

interface StatsModule {
  name?: string;
  modules?: StatsModule[];
}

const NODE_MODULES = 'node_modules/';

/** The folder of every package a bundle holds code from; `baseDir` is where ncc ran. */
export function bundledPackages(statsFile: string, baseDir: string): string[] {
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { modules?: StatsModule[] };
  const dirs = new Set<string>();
  const visit = (modules: StatsModule[] = []) => {
    for (const module of modules) {
      const name = module.name ?? '';
      const at = name.lastIndexOf(NODE_MODULES);
      if (at >= 0) {
        const [first = '', second = ''] = name.slice(at + NODE_MODULES.length).split('/');
        const pkg = first.startsWith('@') ? `${first}/${second}` : first;
        dirs.add(resolve(baseDir, name.slice(0, at + NODE_MODULES.length), pkg));
      }
      visit(module.modules);
    }
  };
  visit(stats.modules);
  return [...dirs];
}

export function renderLicenses(packageDirs: readonly string[]): string {
  const entries = new Map<string, string>();
  for (const dir of packageDirs) {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
      license?: string;
    };
    const file = readdirSync(dir)
      .sort()
      .find((entry) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(entry));
    const text = file
      ? readFileSync(join(dir, file), 'utf8').trim()
      : `(no license file; package.json says ${license})`;
    entries.set(`${name}@${version}`, `${name} ${version}\n${license ?? 'UNKNOWN'}\n${text}\n`);
  }
  return [...entries.keys()]
    .sort()
    .map((key) => entries.get(key))
    .join('\n');
}

export function writeLicenses(outFile: string, statsFiles: readonly string[], baseDir: string): void {
  writeFileSync(outFile, renderLicenses(statsFiles.flatMap((file) => bundledPackages(file, baseDir))));
}
