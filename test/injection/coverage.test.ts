import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionNames, repoRoot } from '../../scripts/actions';
import { manifestInputs, PLANS } from './suite';

describe('the injection tests cover every action and every input', () => {
  it.each(actionNames())('actions/%s has a plan and a test file', (action) => {
    expect(PLANS[action]).toBeDefined();
    expect(existsSync(join(import.meta.dirname, `${action}.test.ts`))).toBe(true);
  });

  it.each(Object.keys(PLANS))('the plan for %s names only inputs its action.yml declares', (action) => {
    const plan = PLANS[action]!;
    const named = [...Object.keys(plan.carry ?? {}), ...(plan.alternate?.inputs ?? [])];
    expect(named.filter((input) => !manifestInputs(action).includes(input))).toEqual([]);
  });
});

/**
 * The guarantee that no value forms a workflow command rests on one sink: a line reaches the log
 * through action-kit's `log` (neutralised, or fenced when verbatim), or through @actions/core's
 * commands (annotations, groups, debug), which escape their text. Nothing that ships writes to
 * stdout or stderr another way.
 */
describe('what ships writes its log through the one sink', () => {
  const shipped = [
    ...readdirSync(join(repoRoot, 'actions')).map((name) => join(repoRoot, 'actions', name, 'src')),
    ...readdirSync(join(repoRoot, 'packages')).map((name) => join(repoRoot, 'packages', name, 'src')),
  ].filter(existsSync);
  const sink = join(repoRoot, 'packages', 'action-kit', 'src', 'log.ts');
  const forbidden =
    /\bcore\.info\(|process\.(?:stdout|stderr)\.write|\bconsole\.(?:log|info|warn|error|debug)\(/;

  it('no core.info, console or direct stdout/stderr writes outside packages/action-kit/src/log.ts', () => {
    const offences: string[] = [];
    for (const dir of shipped) {
      for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
        const file = join(entry.parentPath, entry.name);
        if (file === sink) continue;
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (forbidden.test(line)) offences.push(`${relative(repoRoot, file)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(offences).toEqual([]);
  });
});
