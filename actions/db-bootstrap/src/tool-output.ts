import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';

/**
 * A tool's own output, in a collapsed group of the log. The runner would act on any workflow
 * command in it (`::add-mask::`, `##[set-output …]`), so it is fenced with `stop-commands` and a
 * token the tool cannot guess.
 */
export function showToolOutput(title: string, output: string): void {
  const token = randomBytes(16).toString('hex');
  core.startGroup(title);
  core.info(`::stop-commands::${token}`);
  core.info(output.trimEnd() || '(no output)');
  core.info(`::${token}::`);
  core.endGroup();
}
