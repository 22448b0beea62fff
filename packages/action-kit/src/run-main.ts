import { ActionFailure, ConfigurationError, errorMessage } from './errors';
import * as core from './workflow-core';

/**
 * The one top-level catch of every action entry point: a single `setFailed`, whatever was thrown.
 * A user's mistake and a guarded failure are reported as they are; anything else is a bug and says so.
 */
export async function runMain(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      core.setFailed(`Configuration error: ${error.message}`);
    } else if (error instanceof ActionFailure) {
      core.setFailed(error.message);
    } else {
      if (error instanceof Error && error.stack) core.debug(error.stack);
      core.setFailed(
        `Unexpected error (this is a bug in Gatehouse; please report it with this log): ${errorMessage(error)}`,
      );
    }
  }
}
