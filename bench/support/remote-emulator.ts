import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { EmulatorStats, InvocationView } from '@gatehouse/ssm-emulator';

/** The emulator in its own process (see emulator-process.ts), with the few calls a benchmark makes. */
export interface RemoteEmulator {
  endpoint: string;
  stats(): Promise<Omit<EmulatorStats, 'log'>>;
  invocations(): Promise<InvocationView[]>;
  resetStats(): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteEmulator(hosts: string[]): Promise<RemoteEmulator> {
  const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [join(import.meta.dirname, 'emulator-process.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (message: unknown) => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
    const next = await lines.next();
    if (next.done) throw new Error('the emulator process ended');
    return JSON.parse(next.value) as unknown;
  };
  const { endpoint } = (await ask({ hosts })) as { endpoint: string };
  return {
    endpoint,
    stats: async () => (await ask('stats')) as Omit<EmulatorStats, 'log'>,
    invocations: async () => (await ask('invocations')) as InvocationView[],
    resetStats: async () => void (await ask('reset')),
    close: async () => {
      await ask('close');
      child.stdin.end();
    },
  };
}
