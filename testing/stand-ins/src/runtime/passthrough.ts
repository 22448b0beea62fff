import { spawn } from 'node:child_process';

export interface PassthroughOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `inherit` passes the caller's stdin through (docker run -i); `ignore` gives an empty, closed stdin. */
  stdin: 'inherit' | 'ignore';
}

export type PassthroughResult =
  | { exitCode: number }
  | { error: 'not-found' | 'not-executable'; message: string };

/**
 * Runs a program with the caller's stdout/stderr, as a container's process or a seed command would
 * run. This is the stand-in playing a runtime, which is why it does not capture output like
 * action-kit's `runCommand`: the output belongs to whoever called the real tool.
 */
export function passthrough(
  argv: readonly string[],
  options: PassthroughOptions,
): Promise<PassthroughResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.stdin, 'inherit', 'inherit'],
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve({ error: 'not-found', message: error.message });
      else if (error.code === 'EACCES') resolve({ error: 'not-executable', message: error.message });
      else resolve({ exitCode: 126 });
    });
    child.on('close', (code, signal) => {
      resolve({ exitCode: code ?? 128 + (signal ? signalNumber(signal) : 0) });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return (
    ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[
      signal
    ] ?? 1
  );
}
