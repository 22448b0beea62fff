import { spawn } from 'node:child_process';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the command's standard input (e.g. a script for `bash -s`). */
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The one process runner for what @actions/exec cannot do: a script fed on standard input
 * (`bash -s`), a timeout, cancellation by an AbortSignal and, in time, killing the whole process
 * group — @actions/exec has no timeout and cannot kill a group. Plain tool calls that need none of
 * that use @actions/exec (resolve-ref's git lookups). Arguments as an array (never a shell
 * string), output captured, the exit code returned rather than thrown so callers decide what a
 * failure means.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? (signal ? 128 + signalNumber(signal) : 1), stdout, stderr });
    });
    child.stdin.on('error', () => {
      // The program may exit without reading its input; that is its exit code's story, not ours.
    });
    child.stdin.end(options.input ?? '');
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 1;
}
