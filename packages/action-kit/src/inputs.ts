import * as core from '@actions/core';
import { parseDuration } from './duration';
import { ConfigurationError } from './errors';
import { splitList } from './list';

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

/** Milliseconds, from `90s`, `10m`, `1h30m` or `250ms`. */
export function duration(name: string, defaultValue: string): number;
export function duration(name: string): number | undefined;
export function duration(name: string, defaultValue?: string): number | undefined {
  const value = optionalString(name) ?? defaultValue;
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new ConfigurationError(
      `Input '${name}' must be a duration like 90s, 10m or 1h30m, got '${value}'.`,
    );
  }
  return ms;
}

export function integer(
  name: string,
  options: { default?: number; min?: number; max?: number } = {},
): number | undefined {
  const value = optionalString(name);
  if (value === undefined) return options.default;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigurationError(
      `Input '${name}' must be a whole number from ${min} to ${max}, got '${value}'.`,
    );
  }
  return parsed;
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
