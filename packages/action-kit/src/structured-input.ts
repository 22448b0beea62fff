import { parse } from 'yaml';
import { ConfigurationError } from './errors';
import { optionalString } from './inputs';
import type { Shape } from './shape';

/**
 * A YAML (and so also JSON) input checked against a shape. Kept apart from `inputs.ts` so only
 * the actions that take structured inputs carry a YAML parser in their bundle.
 */
export function structured<T>(name: string, shape: Shape<T>): T | undefined {
  const text = optionalString(name);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = parse(text, { prettyErrors: true });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigurationError(`Input '${name}' is not valid YAML: ${detail}`);
  }
  return shape(value, name);
}
