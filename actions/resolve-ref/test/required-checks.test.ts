import { ConfigurationError } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { parseRequiredChecks } from '../src/required-checks';

describe('input require-checks', () => {
  it('is empty, all, or names', () => {
    expect(parseRequiredChecks(undefined)).toBeUndefined();
    expect(parseRequiredChecks('all')).toEqual({ kind: 'all' });
    expect(parseRequiredChecks('Run Tests, Lint & Type Check\nBuild Docker Image\n')).toEqual({
      kind: 'named',
      names: ['Run Tests', 'Lint & Type Check', 'Build Docker Image'],
    });
  });

  it("keeps a matrix job's name whole: a comma inside parentheses belongs to it", () => {
    expect(parseRequiredChecks('test (ubuntu-latest, 20), lint')).toEqual({
      kind: 'named',
      names: ['test (ubuntu-latest, 20)', 'lint'],
    });
    expect(parseRequiredChecks('test (ubuntu-latest, 20)\ntest (windows-latest, 20)')).toEqual({
      kind: 'named',
      names: ['test (ubuntu-latest, 20)', 'test (windows-latest, 20)'],
    });
  });

  it('refuses what no check is called, naming the input', () => {
    expect(() => parseRequiredChecks('test (ubuntu')).toThrow(/unbalanced parentheses/);
    expect(() => parseRequiredChecks(`a\u0007b`)).toThrow(ConfigurationError);
    expect(() => parseRequiredChecks('x'.repeat(256))).toThrow(
      /Input 'require-checks' takes 'all' or check names/,
    );
    expect(() => parseRequiredChecks(Array.from({ length: 101 }, (_, i) => `c${i}`).join(','))).toThrow(
      /lists 101 checks; at most 100/,
    );
  });
});
