import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from './types';

/**
 * SSM's service model, as Debian's python3-botocore ships it
 * (`botocore/data/ssm/2014-11-06/service-2.json`), and a checker of requests and answers against
 * it: member names, types, required members, lengths, value ranges, patterns, enums, and each
 * operation's error codes. Tests use it to hold both the product's requests and the emulator's
 * answers to what the real service accepts and returns.
 */
interface Shape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  exception?: boolean;
}

export interface ServiceModel {
  file: string;
  operations: Record<
    string,
    { input?: { shape: string }; output?: { shape: string }; errors?: { shape: string }[] }
  >;
  shapes: Record<string, Shape>;
}

/** Debian's own location, when python3 cannot say (botocore installed but not importable). */
const DEBIAN_BOTOCORE = '/usr/lib/python3/dist-packages/botocore';

export const INSTALL_HINT =
  "Install Debian's python3-botocore, which ships AWS's service models: apt-get install -y python3-botocore " +
  '(scripts/setup.sh --system-packages does it).';

/** Where botocore lives: asked of python3 first, then Debian's path. */
function botocoreDirs(): string[] {
  const asked = spawnSync(
    'python3',
    ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__))'],
    {
      encoding: 'utf8',
    },
  );
  const fromPython = asked.status === 0 ? asked.stdout.trim() : '';
  return [...new Set([fromPython, DEBIAN_BOTOCORE].filter((dir) => dir !== ''))];
}

/** A service's model from botocore's data, e.g. (`ssm`, `2014-11-06`); fails with the install hint. */
export function loadServiceModel(service: string, version: string): ServiceModel {
  const relative = join('data', service, version, 'service-2.json');
  const file = botocoreDirs()
    .map((dir) => join(dir, relative))
    .find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`The service model botocore/${relative} was not found. ${INSTALL_HINT}`);
  const model = JSON.parse(readFileSync(file, 'utf8')) as Omit<ServiceModel, 'file'>;
  return { file, operations: model.operations, shapes: model.shapes };
}

export const loadSsmServiceModel = () => loadServiceModel('ssm', '2014-11-06');
/** CloudWatch Logs, whose GetLogEvents the emulator serves on the same endpoint. */
export const loadLogsServiceModel = () => loadServiceModel('logs', '2014-03-28');

/**
 * Errors any AWS JSON 1.1 service may answer with, on top of each operation's own
 * ("Common errors" in the AWS API references).
 */
export const COMMON_ERRORS = new Set([
  'AccessDeniedException',
  'IncompleteSignature',
  'InternalFailure',
  'InvalidClientTokenId',
  'SerializationException',
  'ServiceUnavailable',
  'ThrottlingException',
  'UnknownOperationException',
  'UnrecognizedClientException',
  'ValidationException',
]);

const patterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) {
    // The model's patterns are Java regular expressions. Read with JS's `u` flag they mean the same
    // (\p{L} and friends), except that Java also allows escaping any punctuation (`\:`), which only
    // JS's non-unicode mode allows; a pattern with no \p{…} reads the same there. One that compiles
    // in neither mode fails the check, loudly.
    try {
      compiled = new RegExp(source, 'u');
    } catch (error) {
      if (source.includes('\\p{')) throw error;
      compiled = new RegExp(source);
    }
    patterns.set(source, compiled);
  }
  return compiled;
}

/** Every way `value` breaks the shape `name`, as `path: problem` lines; empty when it conforms. */
export function shapeProblems(model: ServiceModel, name: string, value: unknown, path = '$'): string[] {
  const shape = model.shapes[name];
  if (!shape) return [`${path}: the model has no shape ${name}`];
  const problems: string[] = [];
  const fail = (what: string) => problems.push(`${path}: ${what} (shape ${name})`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        fail(`expected an object, got ${JSON.stringify(value)}`);
        break;
      }
      const record = value as Record<string, unknown>;
      for (const required of shape.required ?? []) {
        if (record[required] === undefined || record[required] === null)
          fail(`missing required member ${required}`);
      }
      for (const [member, memberValue] of Object.entries(record)) {
        const spec = shape.members?.[member];
        if (!spec) {
          // Error bodies carry the protocol's own fields besides the shape's members.
          if (!(shape.exception && ['__type', 'message', 'Message'].includes(member)))
            fail(`unknown member ${member}`);
          continue;
        }
        if (memberValue === null || memberValue === undefined) continue;
        problems.push(...shapeProblems(model, spec.shape, memberValue, `${path}.${member}`));
      }
      break;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        fail(`expected a list, got ${JSON.stringify(value)}`);
        break;
      }
      if (shape.min !== undefined && value.length < shape.min)
        fail(`${value.length} items, fewer than ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max)
        fail(`${value.length} items, more than ${shape.max}`);
      value.forEach((item, i) => {
        problems.push(...shapeProblems(model, shape.member!.shape, item, `${path}[${i}]`));
      });
      break;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        fail(`expected a map, got ${JSON.stringify(value)}`);
        break;
      }
      for (const [key, item] of Object.entries(value)) {
        problems.push(...shapeProblems(model, shape.key!.shape, key, `${path}{key ${key}}`));
        problems.push(...shapeProblems(model, shape.value!.shape, item, `${path}.${key}`));
      }
      break;
    }
    case 'string': {
      if (typeof value !== 'string') {
        fail(`expected a string, got ${JSON.stringify(value)}`);
        break;
      }
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min)
        fail(`${JSON.stringify(value)} is shorter than ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) fail(`${length} characters, more than ${shape.max}`);
      if (shape.enum && !shape.enum.includes(value))
        fail(`${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}`);
      if (shape.pattern && !patternOf(shape.pattern).test(value)) {
        fail(`${JSON.stringify(value.slice(0, 80))} does not match ${shape.pattern}`);
      }
      break;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        fail(`expected an integer, got ${JSON.stringify(value)}`);
        break;
      }
      if (shape.min !== undefined && value < shape.min) fail(`${value} is below ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) fail(`${value} is above ${shape.max}`);
      break;
    }
    case 'double':
    case 'float':
      if (typeof value !== 'number') fail(`expected a number, got ${JSON.stringify(value)}`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') fail(`expected a boolean, got ${JSON.stringify(value)}`);
      break;
    case 'timestamp':
      // AWS JSON 1.1 carries timestamps as epoch seconds.
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(`expected epoch seconds, got ${JSON.stringify(value)}`);
      break;
    case 'blob':
      if (typeof value !== 'string') fail(`expected base64 text, got ${JSON.stringify(value)}`);
      break;
    default:
      fail(`shape type ${shape.type} is not checked`);
  }
  return problems;
}

/** Problems of one exchange: its request against the input shape, its answer against the output or errors. */
export function exchangeProblems(model: ServiceModel, exchange: Exchange): string[] {
  const operation = model.operations[exchange.op];
  const where = `#${exchange.seq} ${exchange.op}`;
  if (!operation) return [`${where}: not an operation of this service`];
  const problems = operation.input
    ? shapeProblems(model, operation.input.shape, exchange.request, `${where} request`)
    : [];
  if (exchange.status === 200) {
    if (operation.output) {
      problems.push(...shapeProblems(model, operation.output.shape, exchange.response, `${where} response`));
    }
    return problems;
  }
  const code = (exchange.response as { __type?: string }).__type ?? '(none)';
  const own = (operation.errors ?? []).map((e) => e.shape);
  if (!own.includes(code) && !COMMON_ERRORS.has(code)) {
    problems.push(
      `${where} error: ${code} is neither among ${exchange.op}'s errors (${own.join(', ')}) nor a common one`,
    );
  } else if (own.includes(code)) {
    problems.push(...shapeProblems(model, code, exchange.response, `${where} error`));
  }
  return problems;
}
