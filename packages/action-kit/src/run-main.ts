import * as core from '@actions/core';
import { ActionFailure, ConfigurationError, errorMessage } from './errors';
import { classifyKnownError } from './known-errors/top-level';

/**
 * The one top-level catch of every action entry point: a single `core.setFailed`, whatever was
 * thrown. A user's mistake and a guarded failure are reported as they are; a known failure of the
 * world around the action (the network, a full disk) says what it is; only anything else is a bug
 * and says so.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    const known =
      error instanceof ConfigurationError || error instanceof ActionFailure
        ? error
        : classifyKnownError(error);
    if (!known && error instanceof Error && error.stack) core.debug(error.stack);
    core.setFailed(failureMessage(known ?? error));
  }
}

function failureMessage(error: unknown): string {
  if (error instanceof ConfigurationError) return `Configuration error: ${error.message}`;
  if (error instanceof ActionFailure) return error.message;
  return `Unexpected error (this is a bug in Gatehouse; please report it with this log): ${errorMessage(error)}`;
}
