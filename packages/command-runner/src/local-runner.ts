import { randomUUID } from 'node:crypto';
import { runCommand } from '@gatehouse/action-kit/command';
import type { CommandRunner, HostOutput, HostResult, RunRequest, RunResult } from './types';

/**
 * `target: local`: the same script, run with bash on the runner itself (a self-hosted runner on
 * the box, or a platform CLI such as kubectl or railway). One "host", named `local`. The script
 * and everything it starts form one process group, stopped whole on a timeout, an abort or the
 * step's cancellation (see `runCommand`).
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
      const result = await runCommand('bash', ['-s'], {
        input: request.script,
        cwd: options.cwd,
        env: options.env,
        timeoutMs: request.executionTimeoutMs,
        signal: request.signal,
      });
      const output = { stdout: result.stdout, stderr: result.stderr };
      if (result.aborted) {
        return single(commandId, {
          status: 'Cancelled',
          statusDetails: 'Cancelled',
          exitCode: null,
          ...output,
        });
      }
      if (result.timedOut) {
        // As the SSM runner reports it: the precise status, not SSM's coarse TimedOut.
        return single(commandId, {
          status: 'ExecutionTimedOut',
          statusDetails: 'ExecutionTimedOut',
          exitCode: null,
          ...output,
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
