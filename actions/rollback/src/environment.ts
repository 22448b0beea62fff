import { ConfigurationError } from '@gatehouse/action-kit';

/** The environment rolled back: the input when given, else the one resolve-ref recorded in this job. */
export function rollbackEnvironment(
  given: string | undefined,
  records: Record<string, Record<string, unknown>>,
): string {
  const recorded = records['resolve-ref']?.environment;
  const environment = given ?? (typeof recorded === 'string' ? recorded : undefined);
  if (!environment) {
    throw new ConfigurationError("Input 'environment' is empty and no resolve-ref record names one.");
  }
  return environment;
}
