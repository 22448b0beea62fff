import { randomUUID } from 'node:crypto';
import { runCommand } from '@gatehouse/action-kit/command';
import type { CommandRunner, HostOutput, HostResult, RunRequest, RunResult } from './types';

/**
 * `target: local`: the same script, run with bash on the runner itself (a self-hosted runner on
 * the box, or a platform CLI such as kubectl or railway). One "host", named `local`.
 */
export function localRunner(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CommandRunner {
  return {
    kind: 'local',
    describeTargets: () => 'this runner (target: local)',
    resolveHosts: async () => ['local'],
    // The local run keeps all of its output.
    fullOutput: async (host): Promise<HostOutput> => ({
      stdout: host.stdout,
      stderr: host.stderr,
      truncated: false,
    }),
    async run(request: RunRequest): Promise<RunResult> {
      if (request.hosts && !request.hosts.includes('local'))
        return { commandId: '', hosts: [], succeeded: false };
      const commandId = `local-${randomUUID()}`;
      await request.onSent?.(commandId);
      const started = Date.now();
      let result: Awaited<ReturnType<typeof runCommand>>;
      try {
        result = await runCommand('bash', ['-s'], {
          input: request.script,
          cwd: options.cwd,
          env: options.env,
          timeoutMs: request.executionTimeoutMs,
          signal: request.signal,
        });
      } catch (error) {
        if ((error as { name?: string }).name === 'AbortError') {
          return single(commandId, { status: 'Cancelled', statusDetails: 'Cancelled', exitCode: null });
        }
        throw error;
      }
      const timedOut = result.exitCode === 137 && Date.now() - started >= request.executionTimeoutMs;
      if (timedOut) {
        return single(commandId, {
          status: 'TimedOut',
          statusDetails: 'ExecutionTimedOut',
          exitCode: null,
          stdout: result.stdout,
          stderr: result.stderr,
        });
      }
      const ok = result.exitCode === 0;
      return single(commandId, {
        status: ok ? 'Success' : 'Failed',
        statusDetails: ok ? 'Success' : 'Failed',
        exitCode: result.exitCode,
        stdout: result.stdout,
        stderr: result.stderr,
      });
    },
  };
}

function single(
  commandId: string,
  partial: Pick<HostResult, 'status' | 'statusDetails' | 'exitCode'> & Partial<HostResult>,
): RunResult {
  const host: HostResult = {
    host: 'local',
    stdout: '',
    stderr: '',
    outputTruncated: false,
    commandId,
    started: true,
    ...partial,
  };
  return { commandId, hosts: [host], succeeded: host.status === 'Success' };
}
