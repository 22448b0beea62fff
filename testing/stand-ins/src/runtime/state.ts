import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * State files are small JSON documents shared by concurrent stand-in processes (two hosts pulling
 * from one registry, a deploy and a status check on one cluster). Writes go to a temp file and are
 * renamed, so a reader never sees half a file; read-modify-write runs under `withLock`.
 */
export function readJson<T>(file: string, fallback: T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
  return JSON.parse(text) as T;
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temp, file);
}

export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
export function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * A lock between processes: an exclusive `mkdir`. A lock whose owner died (a host script killed
 * by a timeout) is taken over, so a crash never wedges the world.
 */
export function withLock<T>(lockDir: string, fn: () => T): T {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'owner'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (ownerIsGone(lockDir)) rmSync(lockDir, { recursive: true, force: true });
      else sleepSync(5);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ownerIsGone(lockDir: string): boolean {
  let owner: number;
  try {
    owner = Number(readFileSync(join(lockDir, 'owner'), 'utf8'));
  } catch {
    // Created but not yet signed: give its owner a moment before calling it abandoned.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
