import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from './errors';
import { HostFleet } from './fleet';
import { cancelCommand } from './operations/cancel-command';
import { describeInstanceInformation } from './operations/describe-instance-information';
import { getLogEvents } from './operations/get-log-events';
import { getCommandInvocation, listCommandInvocations } from './operations/invocations';
import { listCommands } from './operations/list-commands';
import { sendCommand } from './operations/send-command';
import { createJsonServer, type Operation } from './protocol';
import { EmulatorState } from './state';
import { CallStats } from './stats';
import { INVOCATION_STATE } from './statuses';
import { SlidingWindow } from './throttle';
import type { Exchange, SsmEmulator, StartOptions } from './types';

/**
 * Starts the emulator on 127.0.0.1 (a free port). Point the SDK at `endpoint` (the client's
 * `endpoint` option or `AWS_ENDPOINT_URL_SSM`) with any credentials; signatures are not checked.
 */
export async function startSsmEmulator(options: StartOptions): Promise<SsmEmulator> {
  const ownsRoot = options.rootDir === undefined;
  const rootDir = options.rootDir ?? mkdtempSync(join(tmpdir(), 'ssm-emulator-'));
  const fleet = new HostFleet(rootDir, options.hosts);
  for (const id of fleet.hosts.keys()) mkdirSync(fleet.hostDir(id), { recursive: true });
  const scriptDir = join(rootDir, '.ssm-emulator-scripts');
  mkdirSync(scriptDir, { recursive: true });
  fleet.setFaults(options.faults ?? {});
  const state = new EmulatorState(fleet, scriptDir);
  const stats = new CallStats(fleet);
  const traffic: Exchange[] = [];
  const window = new SlidingWindow();

  const operations: Record<string, Operation> = {
    SendCommand: (request, context) => sendCommand(state, request, context),
    ListCommands: (request) => listCommands(state, request),
    ListCommandInvocations: (request) => listCommandInvocations(state, request),
    GetCommandInvocation: (request) => getCommandInvocation(state, request),
    CancelCommand: (request) => cancelCommand(state, request),
    DescribeInstanceInformation: (request) => describeInstanceInformation(fleet, request),
    // CloudWatch Logs, on the same endpoint (point AWS_ENDPOINT_URL_CLOUDWATCH_LOGS here too).
    GetLogEvents: (request) => getLogEvents(state, request),
  };
  const server = createJsonServer({
    operations,
    exchanged: options.recordTraffic
      ? (exchange) => traffic.push({ seq: traffic.length, ...structuredClone(exchange) })
      : undefined,
    admit(op) {
      const now = Date.now();
      stats.record(op, now);
      const limit = fleet.faults.throttleAboveRps;
      if (limit !== undefined && !window.tryAdmit(limit, now)) {
        stats.recordThrottled();
        throw new ServiceError('ThrottlingException', 'Rate exceeded');
      }
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    rootDir,
    hostDir: (id) => fleet.hostDir(id),
    setFaults: (faults) => fleet.setFaults(faults),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    commands: () => [...state.runs.values()].map((run) => structuredClone(run.sent)),
    invocations: () =>
      [...state.runs.values()].flatMap((run) =>
        run.invocations.map((inv) => ({
          commandId: run.sent.commandId,
          instanceId: inv.instanceId,
          status: INVOCATION_STATE[inv.state].status,
          statusDetails: INVOCATION_STATE[inv.state].details,
          ...(inv.startedAt !== undefined ? { startedAt: inv.startedAt } : {}),
          ...(inv.endedAt !== undefined ? { endedAt: inv.endedAt } : {}),
        })),
      ),
    traffic: () => [...traffic],
    fullOutput(commandId, instanceId) {
      const inv = state.runs.get(commandId)?.invocation(instanceId);
      return inv ? { stdout: inv.stdout, stderr: inv.stderr } : undefined;
    },
    async waitForCommand(commandId) {
      const run = state.runs.get(commandId);
      if (!run) throw new Error(`The emulator was sent no command ${commandId}`);
      return { lastFinishedAt: await run.waitUntilDone() };
    },
    setHostOnline: (id, online) => fleet.setOnline(id, online),
    async close() {
      for (const run of state.runs.values()) run.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsRoot) rmSync(rootDir, { recursive: true, force: true });
    },
  };
}
