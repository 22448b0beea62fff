import { ConfigurationError } from './errors';

/**
 * A tiny schema checker for structured inputs (YAML/JSON). Each shape turns `unknown` into a typed
 * value or throws a ConfigurationError whose message names where the value sits, e.g.
 * `checks[2].expect-status: expected a status code, a list of codes or a class like 2xx`.
 */
export type Shape<T> = (value: unknown, where: string) => T;

function fail(where: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60);
  throw new ConfigurationError(`${where}: expected ${expected}, got ${got}`);
}

export const string: Shape<string> = (value, where) =>
  typeof value === 'string' ? value : fail(where, 'a string', value);

/** Scalars a YAML author may write unquoted (`200`, `true`) are accepted as their text. */
export const text: Shape<string> = (value, where) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : fail(where, 'a string', value);

export const number: Shape<number> = (value, where) =>
  typeof value === 'number' && Number.isFinite(value) ? value : fail(where, 'a number', value);

export const boolean: Shape<boolean> = (value, where) =>
  typeof value === 'boolean' ? value : fail(where, 'true or false', value);

export const anyValue: Shape<unknown> = (value) => value;

export function oneOf<const T extends string>(...options: T[]): Shape<T> {
  return (value, where) =>
    typeof value === 'string' && (options as string[]).includes(value)
      ? (value as T)
      : fail(where, `one of ${options.join(', ')}`, value);
}

export function arrayOf<T>(item: Shape<T>): Shape<T[]> {
  return (value, where) =>
    Array.isArray(value) ? value.map((v, i) => item(v, `${where}[${i}]`)) : fail(where, 'a list', value);
}

export function recordOf<T>(item: Shape<T>): Shape<Record<string, T>> {
  return (value, where) => {
    if (!isPlainObject(value)) fail(where, 'a map of names to values', value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, item(v, `${where}.${k}`)]));
  };
}

export function either<A, B>(a: Shape<A>, b: Shape<B>, expected: string): Shape<A | B> {
  return (value, where) => {
    for (const shape of [a, b]) {
      try {
        return shape(value, where);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
      }
    }
    return fail(where, expected, value);
  };
}

type Field<T> = { shape: Shape<T>; optional: boolean };
export function optional<T>(shape: Shape<T>): Field<T | undefined> {
  return { shape: shape as Shape<T | undefined>, optional: true };
}

type FieldSpec = Record<string, Shape<unknown> | Field<unknown>>;
type Out<S extends FieldSpec> = {
  [K in keyof S]: S[K] extends Field<infer T> ? T : S[K] extends Shape<infer T> ? T : never;
};

/** An object with exactly these fields; unknown fields are rejected so typos do not pass silently. */
export function object<S extends FieldSpec>(spec: S): Shape<Out<S>> {
  return (value, where) => {
    if (!isPlainObject(value)) fail(where, 'a map', value);
    const unknown = Object.keys(value).filter((key) => !(key in spec));
    if (unknown.length > 0) {
      throw new ConfigurationError(
        `${where}: unknown field ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${Object.keys(spec).join(', ')})`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(spec)) {
      const { shape, optional: isOptional } =
        typeof field === 'function' ? { shape: field, optional: false } : field;
      const raw = value[key];
      if (raw === undefined || raw === null) {
        if (!isOptional) throw new ConfigurationError(`${where}: missing required field '${key}'`);
        continue;
      }
      out[key] = shape(raw, `${where}.${key}`);
    }
    return out as Out<S>;
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
