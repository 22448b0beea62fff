/**
 * `${{ }}` evaluation on GitHub's own expression engine (@actions/expressions) over the template
 * tokens GitHub's workflow parser produces (@actions/workflow-parser): a string with expressions in
 * it arrives as one `format(…)` expression, so only tokens are walked here, never text.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { ContextAccess, Expr } from '@actions/expressions/ast';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { TokenType } from '@actions/expressions/lexer';
import { truthy } from '@actions/expressions/result';
import {
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
} from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export type ContextValue =
  | string
  | number
  | boolean
  | null
  | readonly ContextValue[]
  | { readonly [key: string]: ContextValue };

/** Named contexts (`github`, `env`, `steps`…) as plain data. */
export type Contexts = Readonly<Record<string, ContextValue>>;

/**
 * Answers of the status functions where they are allowed (`if:`, `pre-if`, `post-if`). In a job's
 * `if`, `success()` and `failure()` may name jobs (`failure('build')`); elsewhere they take none.
 */
export interface StatusFunctions {
  success(jobs: readonly string[]): boolean;
  failure(jobs: readonly string[]): boolean;
  cancelled(): boolean;
}

export interface Scope {
  contexts: Contexts;
  status?: StatusFunctions;
}

/** An expression the runner cannot evaluate, or a value of the wrong shape; the message says where. */
export class ExpressionEvaluationError extends Error {}

function toData(value: ContextValue | undefined): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(
    ...Object.entries(value as Record<string, ContextValue>).map(([key, v]) => ({ key, value: toData(v) })),
  );
}

function fromData(value: data.ExpressionData): ContextValue {
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.String:
      return (value as data.StringData).value;
    case data.Kind.Number:
      return (value as data.NumberData).value;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map((p) => [p.key, fromData(p.value)]));
  }
}

const UNSUPPORTED_CONTEXTS = new Set(['matrix', 'strategy']);

class ScopedEvaluator extends Evaluator {
  override visitContextAccess(contextAccess: ContextAccess): data.ExpressionData {
    const name = contextAccess.name.lexeme.toLowerCase();
    if (UNSUPPORTED_CONTEXTS.has(name)) {
      throw new ExpressionEvaluationError(
        `The '${name}' context is not supported by this runner (no matrix jobs).`,
      );
    }
    return super.visitContextAccess(contextAccess) ?? new data.Null();
  }
}

function statusFunction(
  name: string,
  maxArgs: number,
  answer: (status: StatusFunctions, args: string[]) => boolean,
  scope: Scope,
): FunctionDefinition {
  return {
    name,
    minArgs: 0,
    maxArgs,
    call: (...args) => {
      if (!scope.status) throw new ExpressionEvaluationError(`${name}() is not allowed here.`);
      return new data.BooleanData(
        answer(
          scope.status,
          args.map((a) => a.coerceString()),
        ),
      );
    },
  };
}

function functionsFor(scope: Scope): FunctionDefinition[] {
  return [
    statusFunction('success', 255, (s, jobs) => s.success(jobs), scope),
    statusFunction('failure', 255, (s, jobs) => s.failure(jobs), scope),
    statusFunction('cancelled', 0, (s) => s.cancelled(), scope),
    statusFunction('always', 0, () => true, scope),
    {
      name: 'hashFiles',
      minArgs: 1,
      maxArgs: 255,
      call: () => {
        throw new ExpressionEvaluationError('hashFiles() is not supported by this runner.');
      },
    },
  ];
}

function evaluateData(expression: string, scope: Scope): data.ExpressionData {
  const functions = functionsFor(scope);
  let tree: Expr;
  try {
    const { tokens } = new Lexer(expression).lex();
    // @actions/expressions 0.3.61 unescapes only the first `''` of a string literal; GitHub unescapes
    // all (`run: echo 'a' '${{ x }}'` becomes format('echo ''a'' ''{0}''', x)).
    for (const token of tokens) {
      if (token.type === TokenType.STRING) token.value = token.lexeme.slice(1, -1).replaceAll("''", "'");
    }
    tree = new Parser(tokens, Object.keys(scope.contexts), functions).parse();
  } catch (error) {
    throw new ExpressionEvaluationError(`Invalid expression '${expression}': ${(error as Error).message}`);
  }
  if (!tree) return new data.Null();
  const contexts = toData(scope.contexts) as data.Dictionary;
  const byName = new Map(functions.map((f) => [f.name.toLowerCase(), f]));
  try {
    return new ScopedEvaluator(tree, contexts, byName).evaluate();
  } catch (error) {
    if (error instanceof ExpressionEvaluationError) throw error;
    throw new ExpressionEvaluationError(`Error evaluating '${expression}': ${(error as Error).message}`);
  }
}

/** Evaluates one expression (without `${{ }}`). */
export function evaluateExpression(expression: string, scope: Scope): ContextValue {
  return fromData(evaluateData(expression, scope));
}

/** An `if:` condition: the runner takes the truthiness of the result. */
export function evaluateCondition(expression: string, scope: Scope): boolean {
  return truthy(evaluateData(expression, scope));
}

/** Evaluates a template token (scalar, mapping or sequence) with every expression in it. */
export function evaluateToken(token: TemplateToken, scope: Scope): ContextValue {
  if (isBasicExpression(token)) return evaluateExpression(token.expression, scope);
  if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
  if (isSequence(token)) return [...token].map((item) => evaluateToken(item, scope));
  if (isMapping(token)) {
    const out: Record<string, ContextValue> = {};
    for (const { key, value } of token)
      out[toStringValue(evaluateToken(key, scope), 'a key')] = evaluateToken(value, scope);
    return out;
  }
  if (token.isExpression) {
    throw new ExpressionEvaluationError(`${where(token)}: '\${{ insert }}' is not supported by this runner.`);
  }
  return null;
}

/** A value where the runner expects a string: scalars as the runner prints them, never an object. */
export function toStringValue(value: ContextValue, what: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return toData(value).coerceString();
  throw new ExpressionEvaluationError(
    `${what}: a ${Array.isArray(value) ? 'sequence' : 'mapping'} was not expected.`,
  );
}

/** Evaluates a token where the runner expects a string. */
export function evaluateString(token: TemplateToken, scope: Scope, what: string): string {
  return toStringValue(evaluateToken(token, scope), what);
}

/** A mapping of strings (`env`, `with`, `outputs`), keys in declaration order. */
export function evaluateStringMap(
  token: TemplateToken | undefined,
  scope: Scope,
  what: string,
): Record<string, string> {
  if (!token) return {};
  const value = evaluateToken(token, scope);
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ExpressionEvaluationError(`${what}: a mapping was expected.`);
  }
  return Object.fromEntries(
    Object.entries(value as Record<string, ContextValue>).map(([k, v]) => [
      k,
      toStringValue(v, `${what}.${k}`),
    ]),
  );
}

/** Where a token was written, as the parser's errors say it: `(Line: 3, Col: 7)`. */
export function where(token: TemplateToken): string {
  return token.range ? `(Line: ${token.range.start.line}, Col: ${token.range.start.column})` : '(generated)';
}
