/**
 * Tolerant field access for result records written by other actions. A record's fields may be
 * kebab-case (as outputs are named), camelCase or snake_case, and may be missing or of an
 * unexpected type: each reader answers undefined rather than throwing, so a record that changed
 * shape shows as "missing" in the summary instead of failing the job's last step.
 */
export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function spellings(name: string): string[] {
  const camel = name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
  const snake = name.replace(/-/g, '_').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const kebab = snake.replace(/_/g, '-');
  return [...new Set([name, camel, snake, kebab])];
}

/** The first of `names` (in any spelling) present on `record`. */
export function raw(record: unknown, ...names: string[]): unknown {
  if (!isObj(record)) return undefined;
  for (const name of names) {
    for (const spelling of spellings(name)) {
      if (record[spelling] !== undefined && record[spelling] !== null) return record[spelling];
    }
  }
  return undefined;
}

/** Text for strings, numbers and booleans; JSON strings that hold an object are not text. */
export function str(record: unknown, ...names: string[]): string | undefined {
  const value = raw(record, ...names);
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function num(record: unknown, ...names: string[]): number | undefined {
  const value = raw(record, ...names);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

export function bool(record: unknown, ...names: string[]): boolean | undefined {
  const value = raw(record, ...names);
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Outputs such as `results` and `report` are JSON text; records may hold them parsed or not. */
export function json(record: unknown, ...names: string[]): unknown {
  const value = raw(record, ...names);
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return value;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A list found at any of `names`, or inside an object at one of them (e.g. `report.checks`). */
export function list(record: unknown, names: string[], inner: string[] = []): Obj[] | undefined {
  const value = json(record, ...names);
  const found = Array.isArray(value) ? value : isObj(value) ? json(value, ...inner) : undefined;
  if (Array.isArray(found)) return found.filter(isObj);
  // A map of name → entry (`{ "i-0abc": {...} }`) is a list with the name carried inside.
  if (isObj(found)) return mapToList(found);
  return undefined;
}

export function mapToList(map: Obj, key = 'name'): Obj[] {
  return Object.entries(map).map(([name, value]) =>
    isObj(value) ? { [key]: name, ...value } : { [key]: name, value },
  );
}

/** Milliseconds from an ISO time; undefined for anything else. */
export function time(record: unknown, ...names: string[]): number | undefined {
  const value = str(record, ...names);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
