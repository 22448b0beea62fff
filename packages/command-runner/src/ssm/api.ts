import type {
  CancelCommandRequest,
  DescribeInstanceInformationRequest,
  DescribeInstanceInformationResult,
  GetCommandInvocationRequest,
  GetCommandInvocationResult,
  ListCommandInvocationsRequest,
  ListCommandInvocationsResult,
  ListCommandsRequest,
  ListCommandsResult,
  SendCommandRequest,
  SendCommandResult,
} from '@aws-sdk/client-ssm';

/**
 * The few SSM (and CloudWatch Logs) calls the runner makes, behind a small interface: the real
 * SDK adapter in `sdk-client.ts`, hand-written fakes in unit tests. Types only come from the SDK.
 */
export interface SsmApi {
  sendCommand(input: SendCommandRequest): Promise<SendCommandResult>;
  listCommandInvocations(input: ListCommandInvocationsRequest): Promise<ListCommandInvocationsResult>;
  listCommands(input: ListCommandsRequest): Promise<ListCommandsResult>;
  getCommandInvocation(input: GetCommandInvocationRequest): Promise<GetCommandInvocationResult>;
  cancelCommand(input: CancelCommandRequest): Promise<unknown>;
  describeInstanceInformation(
    input: DescribeInstanceInformationRequest,
  ): Promise<DescribeInstanceInformationResult>;
  /** The whole text of a CloudWatch Logs stream, or undefined when the stream does not exist. */
  readLogStream?(group: string, stream: string): Promise<string | undefined>;
}

/** Time, injected so polling tests run instantly. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** The AWS error code of an SDK error (its `name`), e.g. `InvocationDoesNotExist`. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name, __type } = error as { name?: unknown; __type?: unknown };
  if (typeof name === 'string' && name !== 'Error') return name;
  return typeof __type === 'string' ? __type.split('#').pop() : undefined;
}

/** SSM's limits: 50 instance ids per SendCommand, and the page size of invocation listings. */
export const SSM_BATCH = 50;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
