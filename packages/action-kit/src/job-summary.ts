import * as core from '@actions/core';

/**
 * Appends markdown to the job summary. The summary is a report, not the step's purpose: where
 * there is none (a local run without GITHUB_STEP_SUMMARY) it is skipped rather than failing the
 * step, as `core.summary.write()` would.
 */
export async function appendSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, !markdown.endsWith('\n')).write();
}
