import { ConfigurationError } from '@gatehouse/action-kit';
import type { ResolveRefRecord } from '@gatehouse/records';

/** The environment rolled back: the input when given, else the one resolve-ref recorded in this job. */
export function rollbackEnvironment(
  given: string | undefined,
  resolveRef: ResolveRefRecord | undefined,
): string {
  const environment = given ?? resolveRef?.environment;
  if (!environment) {
    throw new ConfigurationError("Input 'environment' is empty and no resolve-ref record names one.");
  }
  return environment;
}
