import { SSMClient } from '@aws-sdk/client-ssm';
import type { SsmEmulator } from '../src/index';

/** A real SDK client pointed at the emulator, with dummy credentials, as an action would build it. */
export function ssmClient(emulator: SsmEmulator, maxAttempts = 1): SSMClient {
  return new SSMClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts,
  });
}

/** Polls `read` until `done` holds; generous limit because the CI machine is slow and shared. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  limitMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Condition not reached in ${limitMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
