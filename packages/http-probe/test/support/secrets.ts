import { expect } from 'vitest';

/** What an action run left behind that a person or a later step can read. */
export interface RunTraces {
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The result record's raw text ('' when none was written). */
  recordText: string;
}

/** No trace of the run — log (apart from the mask commands), outputs, summary, record — holds the secret. */
export function expectNowhere(run: RunTraces, secret: string): void {
  const stdoutWithoutMasks = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  expect(stdoutWithoutMasks).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
  expect(JSON.stringify(run.outputs)).not.toContain(secret);
  expect(run.summary).not.toContain(secret);
  expect(run.recordText).not.toContain(secret);
}
