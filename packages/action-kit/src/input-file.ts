import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { ActionFailure, ConfigurationError } from './errors';

/**
 * Files on the runner named by an input (a history file, a CA file) or found in a folder an input
 * names (result records). Reading a path is not harmless: a FIFO or `/proc/self/fd/1` blocks
 * forever, `/dev/zero` never ends, and writing "beside" a device replaces it. So only a regular
 * file is read, never more than a cap, opened without blocking; and a file is written only where
 * a regular file is, or where none is yet. Synchronous: the files are small, and settings readers
 * that take a file stay plain functions.
 */

/** Why a path was not read: what a person would fix, in words. */
export class FileProblem extends Error {
  override name = 'FileProblem';
  constructor(
    readonly path: string,
    readonly problem: string,
    /** The system error code, when there was one. */
    readonly code?: string,
  ) {
    super(`'${path}' ${problem}`);
  }
}

/** The text of a regular file of at most `maxBytes`; undefined when there is no such file. */
export function readRegularFile(path: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer that never comes.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw problemOf(path, error);
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new FileProblem(path, `is ${kindOf(info)}, not a regular file`);
    if (info.size > maxBytes) throw new FileProblem(path, `is larger than ${sizeText(maxBytes)}`);
    // Files under /proc say they are empty and are not: read in chunks, never past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileProblem(path, `is larger than ${sizeText(maxBytes)}`);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    throw error instanceof FileProblem ? error : problemOf(path, error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` with `text` whole: written to a new temp file beside it and renamed, so a killed
 * step never leaves half a file. Missing folders are created; an existing path must be a regular file.
 */
export function replaceRegularFile(path: string, text: string): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(path);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw problemOf(path, error);
  }
  if (existing && !existing.isFile()) {
    throw new FileProblem(path, `is ${kindOf(existing)}, not a regular file`);
  }
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  let created = false;
  try {
    mkdirSync(dirname(path), { recursive: true });
    // `wx`: never write through whatever might already sit at the temp name.
    writeFileSync(temp, text, { flag: 'wx' });
    created = true;
    renameSync(temp, path);
  } catch (error) {
    if (created) rmSync(temp, { force: true });
    throw problemOf(path, error);
  }
}

/** `readRegularFile` for a path an input names: a problem is the input's, and says so. */
export function readInputFile(inputName: string, path: string, maxBytes: number): string | undefined {
  try {
    return readRegularFile(path, maxBytes);
  } catch (error) {
    throw inputFileError(inputName, 'read', error);
  }
}

/** `replaceRegularFile` for a path an input names. */
export function replaceInputFile(inputName: string, path: string, text: string): void {
  try {
    replaceRegularFile(path, text);
  } catch (error) {
    throw inputFileError(inputName, 'written', error);
  }
}

function inputFileError(inputName: string, verb: 'read' | 'written', error: unknown): Error {
  if (!(error instanceof FileProblem)) return error as Error;
  const message = `Input '${inputName}': ${error.message}, so it cannot be ${verb}.`;
  // A full disk or a failing one is the runner's state, not the input's.
  return error.code && RUNNER_PROBLEMS.has(error.code)
    ? new ActionFailure(message)
    : new ConfigurationError(`${message} Name a regular file, or a new file in a folder this job can write.`);
}

const RUNNER_PROBLEMS = new Set(['ENOSPC', 'EDQUOT', 'EIO']);

const PROBLEMS: Record<string, string> = {
  ENOTDIR: 'has a part that is a file, not a folder',
  EISDIR: 'is a folder, not a regular file',
  EACCES: 'is not accessible to this job (permission denied)',
  EPERM: 'is not accessible to this job (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOENT: 'is in a folder that does not exist and cannot be created',
  ENAMETOOLONG: 'is too long a path',
  ELOOP: 'has too many symbolic links',
  ENXIO: 'is a socket or a device, not a regular file',
  ENOSPC: 'cannot be written: the disk is full',
  EDQUOT: 'cannot be written: the disk quota is used up',
  EIO: 'cannot be accessed: input/output error',
};

function problemOf(path: string, error: unknown): FileProblem {
  const code = codeOf(error);
  const problem = (code && PROBLEMS[code]) ?? `cannot be used (${(error as Error).message})`;
  return new FileProblem(path, `${problem}${code ? ` (${code})` : ''}`, code);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
