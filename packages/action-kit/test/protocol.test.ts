import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendSummary, input, mask, maskUrlPassword } from '../src/index';

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

describe('masking values and URL passwords', () => {
  it("masks a URL's password as written and decoded, returns both, and leaves the URL readable", () => {
    expect(maskUrlPassword('postgres://app:p%40ss%2Fw0rd@db.internal:5432/app')).toEqual([
      'p%40ss%2Fw0rd',
      'p@ss/w0rd',
    ]);
    // The protocol writes % as %25; the runner reads it back as p%40ss%2Fw0rd.
    expect(writes).toEqual(['::add-mask::p%2540ss%252Fw0rd\n', '::add-mask::p@ss/w0rd\n']);
  });

  it('masks a password once when it needs no encoding, and nothing for a URL without one', () => {
    expect(maskUrlPassword('https://user:plainpass@example.com/')).toEqual(['plainpass']);
    expect(maskUrlPassword('https://example.com/')).toEqual([]);
    expect(maskUrlPassword('host=db user=app password=x')).toEqual([]);
    expect(writes).toEqual(['::add-mask::plainpass\n']);
  });

  it('does not mask values under 3 characters, which would star out every 1 in the log', () => {
    expect(mask('1')).toBe('1');
    expect(mask('abc')).toBe('abc');
    expect(writes).toEqual(['::add-mask::abc\n']);
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
