import * as core from '@actions/core';
import { parseDuration, TIMER_LIMIT_MS } from './duration';
import { ConfigurationError } from './errors';
import { identifierProblem } from './identifier';
import { splitList } from './list';
import { hideUserInfo } from './secrets';

/**
 * The one way Gatehouse reads action inputs. Every reader trims, treats an empty value as "not
 * given", and rejects a bad value with a ConfigurationError naming the input and what was expected
 * — never a silent NaN or a cast.
 */

/** The raw value, or undefined when the input is empty or absent. */
export function optionalString(name: string): string | undefined {
  // Trimming asked for explicitly: local-action's stand-in for @actions/core trims only when told to.
  const value = core.getInput(name, { trimWhitespace: true });
  return value === '' ? undefined : value;
}

export function requiredString(name: string): string {
  const value = optionalString(name);
  if (value === undefined) throw new ConfigurationError(`Input '${name}' is required but was empty.`);
  return value;
}

/** A secret: masked in every log line before anything else can print it. */
export function secretString(name: string): string | undefined {
  const value = optionalString(name);
  // Line by line, as GitHub's docs advise for multi-line values: a tool that prints one line of
  // the value is masked too.
  for (const line of value?.split(/\r?\n/) ?? []) if (line.trim() !== '') core.setSecret(line);
  return value;
}

function checkedIdentifier(name: string, value: string): string {
  const problem = identifierProblem(value);
  if (problem) throw new ConfigurationError(`Input '${name}' ${problem}, got ${JSON.stringify(value)}.`);
  return value;
}

/** A name (see `identifierProblem`), or undefined when empty. */
export function identifier(name: string): string | undefined {
  const value = optionalString(name);
  return value === undefined ? undefined : checkedIdentifier(name, value);
}

export function requiredIdentifier(name: string): string {
  return checkedIdentifier(name, requiredString(name));
}

/** Names separated by commas or newlines (see `list`), each checked as `identifier` is. */
export function identifierList(name: string, defaultValue: readonly string[] = []): string[] {
  return list(name, defaultValue).map((item) => checkedIdentifier(name, item));
}

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core booleans only: `yes`, `on` and `1` are rejected rather than guessed at. */
export function boolean(name: string, defaultValue: boolean): boolean {
  const value = optionalString(name);
  if (value === undefined) return defaultValue;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw new ConfigurationError(`Input '${name}' must be true or false (YAML 1.2 boolean), got '${value}'.`);
}

/** The bounds of a duration input, written as the input is (`0s`, `48h`), so messages quote them as documented. */
export interface DurationRange {
  min?: string;
  max?: string;
}

/** Below Node's timer limit (`TIMER_LIMIT_MS`, about 596h31m), in whole hours: the default maximum. */
const LONGEST = '596h';

/**
 * Milliseconds, from `90s`, `10m`, `1h30m` or `250ms`, within `range` (by default 0s to 596h, under
 * Node's timer limit: a longer timer would fire at once). Out of range names the input and both bounds.
 */
export function duration(name: string, defaultValue: string, range?: DurationRange): number;
export function duration(name: string, defaultValue?: undefined, range?: DurationRange): number | undefined;
export function duration(name: string, defaultValue?: string, range: DurationRange = {}): number | undefined {
  const value = optionalString(name) ?? defaultValue;
  if (value === undefined) return undefined;
  const min = range.min ?? '0s';
  const max = range.max ?? LONGEST;
  const [minMs, maxMs] = [bound(min), bound(max)];
  const ms = parseDuration(value);
  if (ms === undefined || ms < minMs || ms > maxMs) {
    throw new ConfigurationError(
      `Input '${name}' must be a duration from ${min} to ${max} (like 90s, 10m or 1h30m), got '${value}'.`,
    );
  }
  return ms;
}

function bound(text: string): number {
  const ms = parseDuration(text);
  // A bound is written by us, not by a user: a bad one is a bug, caught by the first test that reads it.
  if (ms === undefined || ms > TIMER_LIMIT_MS) throw new Error(`Not a duration bound: '${text}'`);
  return ms;
}

/**
 * A whole number from `min` to `max` (by default 0 to 2^31-1: no count Gatehouse takes is larger, and
 * a 20-digit number is a typo, not a wish).
 */
export function integer(
  name: string,
  options: { default?: number; min?: number; max?: number } = {},
): number | undefined {
  const value = optionalString(name);
  if (value === undefined) return options.default;
  const { min = 0, max = 2 ** 31 - 1 } = options;
  const parsed = /^[+-]?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigurationError(
      `Input '${name}' must be a whole number from ${min} to ${max}, got '${value}'.`,
    );
  }
  return parsed;
}

export interface UrlOptions {
  /** Shown in the error, e.g. `https://dev.example.com`. */
  example?: string;
  /** Masked, and never quoted back (a database URL with its password). */
  secret?: boolean;
  required?: boolean;
}

/**
 * An absolute URL whose scheme is one of `schemes` (`['http', 'https']`), naming a host; undefined
 * when empty. Without this, `example.com` or `javascript:…` would pass as a URL, and the WHATWG
 * parser would quietly drop a line break inside one. A secret URL (a database URL with its
 * password) is never quoted back.
 */
export function url(
  name: string,
  schemes: readonly string[],
  options: UrlOptions & { required: true },
): string;
export function url(name: string, schemes: readonly string[], options?: UrlOptions): string | undefined;
export function url(name: string, schemes: readonly string[], options: UrlOptions = {}): string | undefined {
  const value = options.secret ? secretString(name) : optionalString(name);
  if (value === undefined) {
    if (options.required) throw new ConfigurationError(`Input '${name}' is required but was empty.`);
    return undefined;
  }
  const expected = `an absolute ${schemes.map((s) => `${s}://`).join(' or ')} URL${options.example ? ` such as ${options.example}` : ''}`;
  // A URL may carry a password in its user part even when the input is not a secret: never echo it.
  const got = options.secret ? '' : `, got '${hideUserInfo(value)}'`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
  if (/[\s\x00-\x1f\x7f]/.test(value) || !URL.canParse(value)) {
    throw new ConfigurationError(`Input '${name}' must be ${expected}${got}.`);
  }
  const parsed = new URL(value);
  const scheme = parsed.protocol.slice(0, -1);
  if (!schemes.includes(scheme)) {
    throw new ConfigurationError(
      `Input '${name}' must be ${expected}; '${scheme}' is not one of the schemes it takes${got}.`,
    );
  }
  if (parsed.hostname === '') {
    throw new ConfigurationError(`Input '${name}' must be ${expected}, naming a host${got}.`);
  }
  return value;
}

/** One of `options`; without a default, undefined when the input is empty. */
export function choice<const T extends string>(name: string, options: readonly T[], defaultValue: T): T;
export function choice<const T extends string>(name: string, options: readonly T[]): T | undefined;
export function choice<const T extends string>(
  name: string,
  options: readonly T[],
  defaultValue?: T,
): T | undefined {
  const value = optionalString(name) ?? defaultValue;
  if (value === undefined) return undefined;
  if (!(options as readonly string[]).includes(value)) {
    throw new ConfigurationError(`Input '${name}' must be one of ${options.join(', ')}, got '${value}'.`);
  }
  return value as T;
}

/** Items separated by commas or newlines; blanks dropped. */
export function list(name: string, defaultValue: readonly string[] = []): string[] {
  const value = optionalString(name);
  if (value === undefined) return [...defaultValue];
  return splitList(value);
}
