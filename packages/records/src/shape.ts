import { ConfigurationError } from '@gatehouse/action-kit/errors';
import { isPlainObject, type Shape } from '@gatehouse/action-kit/shape';

export {
  arrayOf,
  boolean,
  number,
  oneOf,
  type Shape,
  string,
} from '@gatehouse/action-kit/shape';

/** The type a shape reads: records' types are written once, as shapes, and read off them. */
export type Infer<S> = S extends Shape<infer T> ? T : never;

/**
 * A record's object: every field always present (`null` says "none"), no other field. Strict both
 * ways, unlike an input's `object()`: a writer that renames or drops a field fails its reader's
 * test, rather than the summary showing it as missing.
 */
export function fields<F extends Record<string, Shape<unknown>>>(
  spec: F,
): Shape<{ [K in keyof F]: Infer<F[K]> }> {
  return (value, where) => {
    if (!isPlainObject(value)) fail(where, 'an object', value);
    const unknown = Object.keys(value).filter((key) => !(key in spec));
    if (unknown.length > 0) {
      throw new ConfigurationError(`${where}: unknown field ${unknown.map((k) => `'${k}'`).join(', ')}`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, shape] of Object.entries(spec)) {
      if (!(key in value)) throw new ConfigurationError(`${where}: missing field '${key}'`);
      out[key] = shape(value[key], `${where}.${key}`);
    }
    return out as { [K in keyof F]: Infer<F[K]> };
  };
}

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, where) => (value === null ? null : shape(value, where));
}

export function literal<const T extends string | number>(expected: T): Shape<T> {
  return (value, where) => (value === expected ? expected : fail(where, JSON.stringify(expected), value));
}

export const count: Shape<number> = (value, where) =>
  Number.isSafeInteger(value) && (value as number) >= 0
    ? (value as number)
    : fail(where, 'a whole number', value);

/** A UTC time as `Date.toISOString()` writes it. */
export const isoTime: Shape<string> = (value, where) =>
  typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)
    ? value
    : fail(where, 'a UTC time like 2025-05-02T10:00:00.000Z', value);

function fail(where: string, expected: string, value: unknown): never {
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60);
  throw new ConfigurationError(`${where}: expected ${expected}, got ${got}`);
}
