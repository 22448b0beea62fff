import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { repoRoot } from '../scripts/actions';

/**
 * Finds every action input the code reads and checks it against `action.yml`. A read is a call of
 * one of action-kit's readers (`input.optionalString('name')`, `input.duration('name', '10m')`,
 * `structured('name', shape)`, …), a direct `core.getInput('name')`, or a call of a local helper
 * that passes its own parameter on as the name (`rate('max-concurrency', '50', 1)`). The code's
 * default is the reader's default argument, or the `?? value` right after the read.
 */

/** What the code falls back to when the input is empty. */
export type CodeDefault =
  | { kind: 'none' }
  | { kind: 'literal'; value: string }
  /** Worked out at run time (a preset's value, an object): action.yml must not fix one. */
  | { kind: 'computed'; text: string };

export interface InputRead {
  name: string;
  codeDefault: CodeDefault;
  where: string;
}

export interface SourceFile {
  path: string;
  text: string;
}

/** How a reader call names its input and gives its default. */
interface Reader {
  nameArg: number;
  defaultOf: (call: ts.CallExpression) => CodeDefault | undefined;
}

const arg = (index: number) => (call: ts.CallExpression) => {
  const node = call.arguments[index];
  return node === undefined ? undefined : defaultFrom(node);
};

/** action-kit's readers (`input.*`, `structured`) and @actions/core's own. */
const PRIMITIVES: Record<string, Reader> = {
  'input.optionalString': { nameArg: 0, defaultOf: () => undefined },
  'input.requiredString': { nameArg: 0, defaultOf: () => ({ kind: 'none' }) },
  'input.secretString': { nameArg: 0, defaultOf: () => undefined },
  'input.boolean': { nameArg: 0, defaultOf: arg(1) },
  'input.duration': { nameArg: 0, defaultOf: arg(1) },
  'input.choice': { nameArg: 0, defaultOf: arg(2) },
  'input.list': { nameArg: 0, defaultOf: arg(1) },
  'input.identifier': { nameArg: 0, defaultOf: () => undefined },
  'input.requiredIdentifier': { nameArg: 0, defaultOf: () => ({ kind: 'none' }) },
  'input.identifierList': { nameArg: 0, defaultOf: arg(1) },
  'input.url': { nameArg: 0, defaultOf: () => undefined },
  'input.integer': {
    nameArg: 0,
    defaultOf: (call) => {
      const options = call.arguments[1];
      if (options === undefined || !ts.isObjectLiteralExpression(options)) return undefined;
      const found = options.properties.find(
        (p): p is ts.PropertyAssignment =>
          ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'default',
      );
      return found ? defaultFrom(found.initializer) : undefined;
    },
  },
  structured: { nameArg: 0, defaultOf: () => undefined },
  'core.getInput': { nameArg: 0, defaultOf: () => undefined },
  'core.getBooleanInput': { nameArg: 0, defaultOf: () => undefined },
  'core.getMultilineInput': { nameArg: 0, defaultOf: () => undefined },
};

function defaultFrom(node: ts.Expression): CodeDefault {
  const inner = unwrap(node);
  if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) {
    return { kind: 'literal', value: inner.text };
  }
  if (ts.isNumericLiteral(inner)) return { kind: 'literal', value: String(Number(inner.text)) };
  if (inner.kind === ts.SyntaxKind.TrueKeyword) return { kind: 'literal', value: 'true' };
  if (inner.kind === ts.SyntaxKind.FalseKeyword) return { kind: 'literal', value: 'false' };
  if (
    inner.kind === ts.SyntaxKind.UndefinedKeyword ||
    (ts.isIdentifier(inner) && inner.text === 'undefined')
  ) {
    return { kind: 'none' };
  }
  if (ts.isArrayLiteralExpression(inner) && inner.elements.every((e) => ts.isStringLiteral(e))) {
    return { kind: 'literal', value: inner.elements.map((e) => (e as ts.StringLiteral).text).join(',') };
  }
  return { kind: 'computed', text: inner.getText() };
}

function unwrap(node: ts.Expression): ts.Expression {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** The `?? fallback` applied to a read, looking through parentheses and `!`. */
function fallbackAfter(call: ts.Expression): CodeDefault | undefined {
  let node: ts.Node = call;
  while (
    ts.isParenthesizedExpression(node.parent) ||
    ts.isNonNullExpression(node.parent) ||
    ts.isAsExpression(node.parent)
  ) {
    node = node.parent;
  }
  const parent = node.parent;
  if (
    ts.isBinaryExpression(parent) &&
    parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken &&
    parent.left === node
  ) {
    return defaultFrom(parent.right);
  }
  return undefined;
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
    return `${callee.expression.text}.${callee.name.text}`;
  }
  return undefined;
}

type FunctionLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** The named function a node sits in (`function f` or `const f = () =>`), with its parameters. */
function enclosingFunction(node: ts.Node): { name: string; params: string[] } | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (
      ts.isFunctionDeclaration(current) ||
      ts.isArrowFunction(current) ||
      ts.isFunctionExpression(current)
    ) {
      const fn = current as FunctionLike;
      const name =
        ts.isFunctionDeclaration(fn) && fn.name
          ? fn.name.text
          : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
            ? fn.parent.name.text
            : undefined;
      if (!name) return undefined;
      return { name, params: fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : '')) };
    }
  }
  return undefined;
}

/** Every input read in these files; helpers that pass their parameter on as a name are followed. */
export function findInputReads(files: readonly SourceFile[]): { reads: InputRead[]; problems: string[] } {
  const parsed = files.map((file) => ({
    file,
    source: ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true),
  }));
  const calls = parsed.flatMap(({ file, source }) => {
    const found: { call: ts.CallExpression; path: string; source: ts.SourceFile }[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) found.push({ call: node, path: file.path, source });
      ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
  });

  // Helpers are local to their file: a name maps to a reader only where it was found.
  const localReaders = new Map<string, Reader>();
  const readerFor = (path: string, name: string) => localReaders.get(`${path}#${name}`) ?? PRIMITIVES[name];

  // Each pass may learn helpers (a helper calling a helper takes one more); the pass that learns
  // nothing has found every read.
  for (let pass = 0; pass < 10; pass++) {
    const reads: InputRead[] = [];
    const problems: string[] = [];
    let learned = false;
    for (const { call, path, source } of calls) {
      const callee = calleeName(call);
      const reader = callee === undefined ? undefined : readerFor(path, callee);
      if (!reader) continue;
      const nameNode = call.arguments[reader.nameArg];
      const { line } = source.getLineAndCharacterOfPosition(call.getStart());
      const where = `${path}:${line + 1}`;
      if (nameNode === undefined) continue;
      const name = unwrap(nameNode);
      if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) {
        reads.push({
          name: name.text,
          codeDefault: reader.defaultOf(call) ?? fallbackAfter(call) ?? { kind: 'none' },
          where,
        });
        continue;
      }
      const fn = ts.isIdentifier(name) ? enclosingFunction(call) : undefined;
      const nameParam = fn && ts.isIdentifier(name) ? fn.params.indexOf(name.text) : -1;
      if (!fn || nameParam < 0) {
        problems.push(`${where}: reads an input whose name is not a literal: ${call.getText()}`);
        continue;
      }
      const key = `${path}#${fn.name}`;
      if (localReaders.has(key)) continue;
      // The helper's default: the read's own, or one of the helper's parameters, or the caller's `??`.
      const own = reader.defaultOf(call) ?? fallbackAfter(call);
      const ownText = own?.kind === 'computed' ? own.text : undefined;
      const defaultParam = ownText === undefined ? -1 : fn.params.indexOf(ownText);
      localReaders.set(key, {
        nameArg: nameParam,
        defaultOf: defaultParam >= 0 ? arg(defaultParam) : own === undefined ? () => undefined : () => own,
      });
      learned = true;
    }
    if (!learned) return { reads, problems };
  }
  throw new Error('findInputReads: helpers nested too deep to follow');
}

interface ManifestInput {
  default?: unknown;
  required?: boolean;
}

/** What action.yml says against what the code reads. */
export function compareWithManifest(
  reads: readonly InputRead[],
  inputs: Record<string, ManifestInput>,
): string[] {
  const problems: string[] = [];
  const declaredDefault = (name: string) => {
    const value = inputs[name]?.default;
    return value === undefined || value === null ? '' : String(value);
  };
  const listed = (value: string) =>
    value
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .join(',');
  for (const read of reads) {
    if (!(read.name in inputs)) {
      problems.push(`${read.where}: reads input '${read.name}', which action.yml does not declare`);
      continue;
    }
    const declared = declaredDefault(read.name);
    const code = read.codeDefault;
    if (code.kind === 'literal' && code.value !== '' && listed(declared) !== listed(code.value)) {
      problems.push(
        `${read.where}: input '${read.name}' defaults to '${code.value}' in the code but to '${declared}' in action.yml`,
      );
    }
    if (code.kind === 'computed' && declared !== '') {
      problems.push(
        `${read.where}: input '${read.name}' has a default worked out in the code (${code.text}), ` +
          `but action.yml fixes it to '${declared}', which replaces it`,
      );
    }
  }
  const read = new Set(reads.map((r) => r.name));
  for (const name of Object.keys(inputs)) {
    if (!read.has(name)) problems.push(`action.yml declares input '${name}', which the code never reads`);
  }
  return problems;
}

// --- The repository: an action's sources and the workspace packages they import. ---

const IMPORT =
  /\b(?:import|export)\s(?!type\b)[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `@gatehouse/<name>[/<subpath>]` → the file its package.json `exports` names. */
export function workspaceModule(specifier: string): string | undefined {
  const match = /^@gatehouse\/([^/]+)(\/.+)?$/.exec(specifier);
  if (!match) return undefined;
  for (const area of ['packages', 'actions']) {
    const dir = join(repoRoot, area, match[1]!);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const exports = JSON.parse(readFileSync(manifest, 'utf8')).exports as Record<string, string> | undefined;
    const target = exports?.[`.${match[2] ?? ''}`];
    return target ? join(dir, target) : undefined;
  }
  return undefined;
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const base = resolve(dirname(from), specifier);
    return [base, `${base}.ts`, join(base, 'index.ts')].find(
      (file) => existsSync(file) && file.endsWith('.ts'),
    );
  }
  return workspaceModule(specifier);
}

/** Every module specifier a file imports for its code (type-only imports aside). */
export function importsOf(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => match[1] ?? match[2]!);
}

/** The files these entries load, following relative and workspace imports; `skip` is not entered. */
export function importGraph(entries: readonly string[], skip?: string): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file) || (skip && !relative(skip, file).startsWith('..'))) continue;
    seen.add(file);
    for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
      const target = resolveImport(file, specifier);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen].sort();
}

/**
 * The files that run when the action does: its `src/` and everything it imports from the
 * workspace. action-kit is left out: its readers take the name as a parameter, and every call of
 * them is a read found in the caller.
 */
export function actionSources(name: string): SourceFile[] {
  const files = importGraph(
    tsFiles(join(repoRoot, 'actions', name, 'src')),
    join(repoRoot, 'packages', 'action-kit'),
  );
  return files.map((file) => ({ path: relative(repoRoot, file), text: readFileSync(file, 'utf8') }));
}

export function manifestInputs(name: string): Record<string, ManifestInput> {
  const manifest = parse(readFileSync(join(repoRoot, 'actions', name, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, ManifestInput>;
  };
  return manifest.inputs ?? {};
}
