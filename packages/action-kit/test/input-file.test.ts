import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, readInputFile, replaceInputFile } from '../src/index';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatehouse-input-file-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('reading a file an input names', () => {
  it('reads a regular file, and a symlink to one; a missing file is undefined', async () => {
    await writeFile(join(dir, 'a'), 'text');
    await symlink(join(dir, 'a'), join(dir, 'link'));
    expect(readInputFile('history-file', join(dir, 'a'), 100)).toBe('text');
    expect(readInputFile('history-file', join(dir, 'link'), 100)).toBe('text');
    expect(readInputFile('history-file', join(dir, 'missing'), 100)).toBeUndefined();
  });

  it.each([
    ['a FIFO nobody writes to (would block forever)', 'fifo', /is a pipe \(FIFO\), not a regular file/],
    ['this process’s own stdout pipe', '/proc/self/fd/1', /not a regular file|is a (pipe|character device)/],
    ['an endless device', '/dev/zero', /is a character device, not a regular file/],
    ['a folder', '.', /is a folder/],
    ['a path through a file', '/dev/null/x', /has a part that is a file, not a folder \(ENOTDIR\)/],
  ])('refuses %s, naming the input', async (_, path, why) => {
    if (path === 'fifo') execFileSync('mkfifo', [join(dir, 'fifo')]);
    const full = path.startsWith('/') ? path : join(dir, path);
    const error = thrown(() => readInputFile('history-file', full, 100));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Input 'history-file': '.*' /);
    expect((error as Error).message).toMatch(why);
  });

  it('refuses a file over the cap, including a /proc file that says it is empty', async () => {
    await writeFile(join(dir, 'big'), 'x'.repeat(2000));
    expect(() => readInputFile('ca-file', join(dir, 'big'), 1024)).toThrow(/is larger than 1 KiB/);
    expect(() => readInputFile('ca-file', '/proc/self/environ', 8)).toThrow(/is larger than/);
  });
});

describe('replacing a file an input names', () => {
  it('writes a new file, creating its folders, and replaces a regular one whole', async () => {
    const file = join(dir, 'new', 'deeper', 'history.jsonl');
    replaceInputFile('history-file', file, 'one\n');
    replaceInputFile('history-file', file, 'two\n');
    expect(await readFile(file, 'utf8')).toBe('two\n');
  });

  it.each([
    ['/dev/null/x', /has a part that is a file, not a folder \(ENOTDIR\)/],
    ['/dev/null', /is a character device, not a regular file/],
    ['/proc/self/history.jsonl', /\/proc\/self\/history\.jsonl/],
  ])('refuses %s, naming the input', async (path, why) => {
    const error = thrown(() => replaceInputFile('history-file', path, 'x'));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Input 'history-file': /);
    expect((error as Error).message).toMatch(why);
  });

  it('a folder in the way is refused, and nothing is left beside it', async () => {
    await mkdir(join(dir, 'taken'));
    expect(() => replaceInputFile('history-file', join(dir, 'taken'), 'x')).toThrow(/is a folder/);
    expect(execFileSync('ls', ['-A', dir], { encoding: 'utf8' })).toBe('taken\n');
  });
});
