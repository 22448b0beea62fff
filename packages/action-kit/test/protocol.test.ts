import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendSummary, input } from '../src/index';

/** What action-kit writes through @actions/core, as the runner reads it. */
const writes: string[] = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-protocol-'));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
});
afterEach(async () => {
  vi.restoreAllMocks();
  writes.length = 0;
  delete process.env.INPUT_TOKEN;
  delete process.env.GITHUB_STEP_SUMMARY;
  await rm(dir, { recursive: true, force: true });
});

describe('secrets', () => {
  it('masks every line of a multi-line secret, and nothing for an empty one', () => {
    process.env.INPUT_TOKEN = '  line-one\n\nline-two  ';
    expect(input.secretString('token')).toBe('line-one\n\nline-two');
    expect(writes).toEqual(['::add-mask::line-one\n', '::add-mask::line-two\n']);
    writes.length = 0;
    process.env.INPUT_TOKEN = '   ';
    expect(input.secretString('token')).toBeUndefined();
    expect(writes).toEqual([]);
  });
});

describe('job summary', () => {
  it('appends markdown to the step summary file, a line at a time', async () => {
    const file = join(dir, 'summary');
    await writeFile(file, '');
    process.env.GITHUB_STEP_SUMMARY = file;
    await appendSummary('**one**');
    await appendSummary('two\n');
    expect(await readFile(file, 'utf8')).toBe('**one**\ntwo\n');
  });
  it('is skipped, not failed, where there is no summary (a local run)', async () => {
    await expect(appendSummary('x')).resolves.toBeUndefined();
  });
});
