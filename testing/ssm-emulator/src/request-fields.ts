import { validation } from './errors';

/** Reading request members with the checks SSM's model would apply (wrong type → ValidationException). */

export function optionalString(request: Record<string, unknown>, name: string): string | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${name} must be a string`);
  return value;
}

export function requiredString(request: Record<string, unknown>, name: string): string {
  const value = optionalString(request, name);
  if (value === undefined || value === '') {
    throw validation(
      `1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function optionalStringList(request: Record<string, unknown>, name: string): string[] | undefined {
  const value = request[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw validation(`${name} must be a list of strings`);
  }
  return value as string[];
}

export function optionalList(request: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const value = request[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => !item || typeof item !== 'object')) {
    throw validation(`${name} must be a list of objects`);
  }
  return value as Record<string, unknown>[];
}

/** SSM command ids are UUIDs (36 characters). */
export const COMMAND_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
