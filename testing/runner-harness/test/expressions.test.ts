import { describe, expect, it } from 'vitest';
import {
  ExpressionEvaluationError,
  evaluateCondition,
  evaluateExpression,
  toStringValue,
} from '../src/index';

const contexts = {
  github: { event_name: 'push', event: { inputs: { flag: 'true' } } },
  inputs: { flag: true, count: 3 },
  steps: { deploy: { outcome: 'failure', outputs: { 'command-id': 'c-1' } } },
};

describe('expressions on GitHub’s engine', () => {
  it('evaluates contexts, operators and functions as GitHub does', () => {
    expect(
      evaluateExpression("steps.deploy.outputs.command-id != '' && steps.deploy.outcome", { contexts }),
    ).toBe('failure');
    expect(evaluateExpression('inputs.flag && inputs.count > 2', { contexts })).toBe(true);
    expect(evaluateExpression("github.event.inputs.flag == 'TRUE'", { contexts })).toBe(true);
    expect(evaluateExpression('fromJSON(\'{"sha":"abc"}\').sha', { contexts })).toBe('abc');
    expect(evaluateExpression('steps.missing.outputs.x', { contexts })).toBeNull();
  });

  it("unescapes every '' in a string literal, as GitHub does (the library alone unescapes the first)", () => {
    expect(evaluateExpression("format('echo ''a'' ''{0}''', 'b')", { contexts })).toBe("echo 'a' 'b'");
  });

  it('status functions answer from the caller; outside a condition they are refused', () => {
    const status = { success: () => false, failure: () => true, cancelled: () => false };
    expect(evaluateCondition('failure() && always()', { contexts, status })).toBe(true);
    expect(evaluateCondition("success() && (steps.deploy.outcome == 'failure')", { contexts, status })).toBe(
      false,
    );
    expect(() => evaluateExpression('success()', { contexts })).toThrow('success() is not allowed here.');
  });

  it('matrix and hashFiles fail loudly', () => {
    expect(() => evaluateExpression('matrix.os', { contexts: { ...contexts, matrix: {} } })).toThrow(
      ExpressionEvaluationError,
    );
    expect(() => evaluateExpression("hashFiles('x')", { contexts })).toThrow('hashFiles() is not supported');
  });

  it('strings where the runner wants strings: scalars as printed, objects refused', () => {
    expect([true, 1.5, null, 'x'].map((v) => toStringValue(v, 'with.a'))).toEqual(['true', '1.5', '', 'x']);
    expect(() => toStringValue({ a: 1 }, 'with.a')).toThrow('with.a: a mapping was not expected.');
  });
});
