import { spawn } from 'node:child_process';

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
 * directory. It gets its own process group (detached) so that a timeout, a cancel or the agent
 * dying kills every process it started, not just bash. This is the emulator playing the agent,
 * which is why it spawns directly instead of through action-kit's `runCommand` (no groups there).
 */
export function runScript(scriptFile: string, cwd: string, env: NodeJS.ProcessEnv): RunningScript {
  const child = spawn('bash', [scriptFile], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let exited = false;
  const done = new Promise<ScriptExit>((resolve) => {
    child.on('error', (error) => {
      exited = true;
      resolve({ exitCode: null, stdout, stderr: `${stderr}${error.message}\n` });
    });
    child.on('close', (code) => {
      exited = true;
      resolve({ exitCode: code, stdout, stderr });
    });
  });
  return {
    done,
    kill() {
      if (exited || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    },
  };
}
