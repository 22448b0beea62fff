/**
 * The SSM emulator in a process of its own, for benchmarks: SSM does not share the runner's
 * event loop, so neither should the emulator's 100 host processes. Driven over stdin/stdout,
 * one JSON line each way: `{"hosts": [...]}` starts it and answers `{"endpoint"}`; then
 * `"stats"`, `"invocations"`, `"reset"` and `"close"`.
 */
import { createInterface } from 'node:readline';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';

let emulator: SsmEmulator | undefined;
const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const message = JSON.parse(line) as string | { hosts: string[] };
  if (typeof message === 'object') {
    emulator = await startSsmEmulator({ hosts: message.hosts });
    reply({ endpoint: emulator.endpoint });
  } else if (message === 'stats') {
    const { log: _, ...stats } = emulator!.stats();
    reply(stats);
  } else if (message === 'invocations') {
    reply(emulator!.invocations());
  } else if (message === 'reset') {
    emulator!.resetStats();
    reply('ok');
  } else if (message === 'close') {
    await emulator?.close();
    reply('ok');
    break;
  }
}
