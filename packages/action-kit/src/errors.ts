/**
 * A mistake in what the workflow author wrote: a bad input, an impossible combination, a ref that
 * does not exist. Reported as a plain message; it is not a bug in Gatehouse.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/**
 * The thing the action guards against happened: a host is unfit, a check failed, a deploy failed.
 * The action did its job by failing; the message says what happened where.
 */
export class ActionFailure extends Error {
  override name = 'ActionFailure';
}

/** Text for anything thrown, including non-Error values (strings, objects from SDKs). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
