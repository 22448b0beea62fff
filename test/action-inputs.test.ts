import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionNames, repoRoot } from '../scripts/actions';
import {
  actionSources,
  compareWithManifest,
  findInputReads,
  importGraph,
  importsOf,
  manifestInputs,
  workspaceModule,
} from './action-inputs';

describe.each(actionNames())('actions/%s', (name) => {
  it('reads only inputs its action.yml declares, with the defaults it declares, and reads them all', () => {
    const { reads, problems } = findInputReads(actionSources(name));
    expect(problems).toEqual([]);
    expect(compareWithManifest(reads, manifestInputs(name))).toEqual([]);
  });
});

describe('the scan finds the reads behind helpers and shared readers', () => {
  const byName = (action: string) =>
    new Map(findInputReads(actionSources(action)).reads.map((read) => [read.name, read.codeDefault]));

  it('follows a helper that passes its parameter on as the name, and a workspace package’s reader', () => {
    const deploy = byName('deploy-ssm');
    expect(deploy.get('max-concurrency')).toEqual({ kind: 'literal', value: '50' }); // rate('max-concurrency', '50', 1)
    expect(deploy.get('image-tag-key')).toEqual({ kind: 'literal', value: 'IMAGE_TAG' }); // matching(…) ?? 'IMAGE_TAG'
    expect(deploy.get('target')).toEqual({ kind: 'literal', value: 'ssm' }); // @gatehouse/command-runner/inputs
    expect(byName('smoke-check').get('request-timeout')).toEqual({ kind: 'literal', value: '10s' }); // http-probe/inputs
    expect(byName('db-bootstrap').get('version-table')).toEqual({
      kind: 'computed',
      text: 'preset?.versionTable',
    });
  });
});

describe('the comparison fails on a mismatch', () => {
  const source = `
    import { input } from '@gatehouse/action-kit';
    function rate(name: string, defaultValue: string) {
      return input.optionalString(name) ?? defaultValue;
    }
    export function readSettings() {
      return {
        timeout: input.duration('timeout', '5m'),
        concurrency: rate('max-concurrency', '10'),
        mode: input.choice('mode', ['a', 'b'], 'a'),
        table: input.optionalString('table') ?? preset.table,
        typo: input.boolean('forse', false),
      };
    }
    export const lost = (name: string) => input.optionalString(name.toUpperCase());
  `;
  const { reads, problems } = findInputReads([{ path: 'src/settings.ts', text: source }]);

  it('names a read whose input name it cannot see', () => {
    expect(problems).toEqual([
      expect.stringMatching(/^src\/settings\.ts:15: reads an input whose name is not a literal/),
    ]);
  });

  it('reports an undeclared input, a different default (also through a helper), a fixed default over a computed one, and an input never read', () => {
    const found = compareWithManifest(reads, {
      timeout: { default: '10m' },
      'max-concurrency': { default: '50' },
      mode: { default: 'a' },
      table: { default: 'orders' },
      force: { default: 'false' },
    });
    expect(found).toEqual([
      "src/settings.ts:8: input 'timeout' defaults to '5m' in the code but to '10m' in action.yml",
      "src/settings.ts:9: input 'max-concurrency' defaults to '10' in the code but to '50' in action.yml",
      "src/settings.ts:11: input 'table' has a default worked out in the code (preset.table), but action.yml fixes it to 'orders', which replaces it",
      "src/settings.ts:12: reads input 'forse', which action.yml does not declare",
      "action.yml declares input 'force', which the code never reads",
    ]);
  });

  it('accepts the same defaults written differently (YAML booleans and numbers, list separators, empty)', () => {
    const { reads: more } = findInputReads([
      {
        path: 'src/settings.ts',
        text: `input.boolean('force', false); input.integer('keep', { default: 5 }); input.list('ids', ['a', 'b']); input.optionalString('x') ?? '';`,
      },
    ]);
    expect(
      compareWithManifest(more, {
        force: { default: false },
        keep: { default: 5 },
        ids: { default: 'a\nb' },
        x: {},
      }),
    ).toEqual([]);
  });
});

describe('libraries read no action inputs', () => {
  /** Each shared package's main entry point and everything it loads. */
  const libraries = readdirSync(join(repoRoot, 'packages'))
    .filter((name) => name !== 'action-kit')
    .map((name) => `@gatehouse/${name}`)
    .filter((name) => workspaceModule(name) !== undefined);

  it('finds the libraries it guards', () => {
    expect(libraries).toEqual(
      expect.arrayContaining([
        '@gatehouse/command-runner',
        '@gatehouse/http-probe',
        '@gatehouse/github-client',
      ]),
    );
  });

  it.each(libraries)('%s: its main entry point neither reads an input nor loads @actions/core', (library) => {
    const files = importGraph([workspaceModule(library)!]);
    const sources = files.map((file) => ({
      path: relative(repoRoot, file),
      text: readFileSync(file, 'utf8'),
    }));
    expect(findInputReads(sources).reads).toEqual([]);
    const protocol = sources.filter(({ text }) => importsOf(text).includes('@actions/core'));
    expect(protocol.map((s) => s.path)).toEqual([]);
  });

  it('the action-facing entry points do read inputs (the check above can tell)', () => {
    for (const entry of ['@gatehouse/command-runner/inputs', '@gatehouse/http-probe/inputs']) {
      const files = importGraph([workspaceModule(entry)!]);
      expect(files.some((file) => importsOf(readFileSync(file, 'utf8')).includes('@actions/core'))).toBe(
        true,
      );
    }
  });
});
