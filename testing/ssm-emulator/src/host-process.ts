import { runCommand } from '@gatehouse/action-kit/command';

export interface ScriptExit {
  /** The exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningScript {
  /** Kills the whole process group: the script and anything it started. */
  kill(): void;
  readonly done: Promise<ScriptExit>;
}

/**
 * What the SSM agent does for aws:runShellScript: run the script file with bash in the host's
 * directory, and wait until its output closes. It gets a process group of its own (action-kit's
 * process runner gives every command one), so that a timeout, a cancel or the agent dying kills
 * every process it started, not just bash: SIGKILL to the group, as the emulator has no grace.
 */
export function runScript(scriptFile: string, cwd: string, env: NodeJS.ProcessEnv): RunningScript {
  const stop = new AbortController();
  const done = runCommand('bash', [scriptFile], { cwd, env, signal: stop.signal, killGraceMs: 0 }).then(
    (exit): ScriptExit => ({
      exitCode: exit.signal ? null : exit.exitCode,
      stdout: exit.stdout,
      stderr: exit.stderr,
    }),
    (error: Error): ScriptExit => ({ exitCode: null, stdout: '', stderr: `${error.message}\n` }),
  );
  return { done, kill: () => stop.abort() };
}
