import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyMasks,
  inputEnvName,
  parseFileCommands,
  readKeyValueFile,
  readPathFile,
  SecretMasker,
  StepFiles,
} from '../src/index';

describe('file commands, read as the runner reads them', () => {
  it('reads name=value and heredoc values; a value keeps its inner newlines and a \\r', () => {
    const text = 'a=1\nreport<<ghadelimiter_x\n{"rows":[\n1]}\nghadelimiter_x\nempty=\ncr=x\r\n';
    expect(parseFileCommands(text)).toEqual({ a: '1', report: '{"rows":[\n1]}', empty: '', cr: 'x\r' });
  });

  it('the first of = and << decides the form', () => {
    expect(readKeyValueFile('a=b<<c\n')).toEqual([['a', 'b<<c']]);
    expect(readKeyValueFile('a<<=EOF\nv\n=EOF\n')).toEqual([['a', 'v']]);
  });

  it('an empty heredoc, and a delimiter on the last line without a newline', () => {
    expect(readKeyValueFile('a<<EOF\nEOF\nb<<X\nline\nX')).toEqual([
      ['a', ''],
      ['b', 'line'],
    ]);
  });

  it("refuses what the runner refuses, with the runner's message", () => {
    expect(() => readKeyValueFile('x<<EOF\nvalue\n')).toThrow(
      "Invalid value. Matching delimiter not found 'EOF'",
    );
    expect(() => readKeyValueFile('x<<EOF\nvalue')).toThrow('Invalid value. EOF marker missing new line.');
    expect(() => readKeyValueFile('<<EOF\nv\nEOF\n')).toThrow(/Name must not be empty/);
    expect(() => readKeyValueFile('no equals sign\n')).toThrow("Invalid format 'no equals sign'");
  });

  it('GITHUB_PATH lines split at any newline, empty lines skipped', () => {
    expect(readPathFile('/a\r\n\n/b\r/c')).toEqual(['/a', '/b', '/c']);
  });

  it('step files are fresh per step, named as the runner names them, and report a bad file', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'files-'));
    const files = await StepFiles.create(temp);
    expect(basename(dirname(files.paths.GITHUB_OUTPUT))).toBe('_runner_file_commands');
    expect(basename(files.paths.GITHUB_OUTPUT)).toMatch(/^set_output_[0-9a-f-]{36}$/);
    await writeFile(files.paths.GITHUB_OUTPUT, 'ok=1\n');
    await writeFile(files.paths.GITHUB_ENV, 'broken\n');
    await writeFile(files.paths.GITHUB_STATE, '=no-name-is-fine-for-state\n');
    const read = await files.read();
    expect(read.outputs).toEqual([['ok', '1']]);
    expect(read.state).toEqual([['', 'no-name-is-fine-for-state']]);
    expect(read.errors).toEqual([
      "Unable to process file command 'env' successfully.",
      "Invalid format 'broken'",
    ]);
    const next = await StepFiles.create(temp);
    expect(next.paths.GITHUB_OUTPUT).not.toBe(files.paths.GITHUB_OUTPUT);
  });

  it('names inputs as the runner does', () => {
    expect(inputEnvName('base-url')).toBe('INPUT_BASE-URL');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });
});

describe('secret masking', () => {
  it('masks a secret, its lines and its encodings; overlapping hits become one ***', () => {
    const masker = new SecretMasker();
    masker.addSecret('pa:ss word\nline-two');
    expect(masker.mask('x pa:ss word y')).toBe('x *** y');
    expect(masker.mask('only line-two here')).toBe('only *** here');
    expect(masker.mask(`url pa%3Ass%20word`)).toBe('url ***');
    expect(masker.mask(Buffer.from('pa:ss word\nline-two').toString('base64'))).toBe('***');
    expect(masker.mask('"pa:ss word\\nline-two"')).toBe('"***"');
  });

  it('applyMasks masks a finished text with the given values', () => {
    expect(applyMasks('plain s3cret line', ['s3cret', ' '])).toBe('plain *** line');
  });
});
