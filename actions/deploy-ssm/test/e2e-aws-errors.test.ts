import { mkdir, mkdtemp } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A first-run user's AWS mistakes, through the deploy-ssm bundle and the real AWS SDK: each must be
 * a message naming what to fix (the IAM action, the input, the credentials step), never "a bug".
 */
const actionDir = join(import.meta.dirname, '..');
const HOST = 'i-0000000000000000a';
const INPUTS = {
  mode: 'image',
  'image-tag': 'v1',
  'app-dir': 'app',
  'state-dir': 'state',
  environment: 'dev',
  'instance-ids': HOST,
};

let emulator: SsmEmulator;
let emptyHome: string;
beforeAll(async () => {
  emulator = await startSsmEmulator({ hosts: [HOST] });
  await mkdir(join(emulator.hostDir(HOST), 'app'), { recursive: true });
  emptyHome = await mkdtemp(join(tmpdir(), 'gatehouse-empty-home-'));
});
afterAll(() => emulator.close());

/** The step's environment with every AWS_* variable of this machine removed, and no ~/.aws. */
function bareEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const cleared = Object.fromEntries(
    Object.keys(process.env)
      .filter((key) => key.startsWith('AWS_'))
      .map((key) => [key, undefined]),
  );
  return { ...cleared, HOME: emptyHome, ...extra };
}

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example' };

function deploy(env: Record<string, string>, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction({ actionDir, inputs: { ...INPUTS, ...inputs }, env: bareEnv(env), timeoutMs: 90_000 });
}

function expectOneError(run: ActionRun, ...patterns: RegExp[]): string {
  expect(run.succeeded).toBe(false);
  expect(run.errors).toHaveLength(1);
  const [error] = run.errors as [string];
  for (const pattern of patterns) expect(error).toMatch(pattern);
  expect(error).not.toMatch(/bug in Gatehouse/);
  return error;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * In front of the emulator: answers one operation with an AWS JSON 1.1 error (HTTP 400,
 * `{"__type", "message"}`, as SSM does) and passes every other request through. The emulator has no
 * fault for access or token errors, and they must come after the calls that precede them.
 */
async function faultyEndpoint(operation: string, code: string, message: string): Promise<Server> {
  const target = new URL(emulator.endpoint);
  const server = createServer((req, res) => {
    if (req.headers['x-amz-target'] === `AmazonSSM.${operation}`) {
      req.resume();
      const body = JSON.stringify({ __type: code, message });
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function withFault<T>(
  operation: string,
  code: string,
  message: string,
  body: (endpoint: string) => Promise<T>,
): Promise<T> {
  const server = await faultyEndpoint(operation, code, message);
  try {
    return await body(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('deploy-ssm bundle: AWS set-up mistakes name what to fix', () => {
  it('no credentials anywhere: add the configure-aws-credentials step', async () => {
    const run = await deploy({ AWS_ENDPOINT_URL_SSM: emulator.endpoint }, { 'aws-region': 'eu-west-1' });
    expectOneError(
      run,
      /^Configuration error: No AWS credentials for ssm:DescribeInstanceInformation/,
      /aws-actions\/configure-aws-credentials/,
      /id-token: write/,
    );
  });

  it('no region: set aws-region', async () => {
    const run = await deploy({ ...CREDENTIALS, AWS_ENDPOINT_URL_SSM: emulator.endpoint });
    expectOneError(
      run,
      /^Configuration error: No AWS region for ssm:DescribeInstanceInformation: set this step's input 'aws-region'/,
    );
  });

  it('an endpoint that refuses connections: says where, after how many attempts', async () => {
    const port = await closedPort();
    const run = await deploy({
      ...CREDENTIALS,
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_SSM: `http://127.0.0.1:${port}`,
      // The SDK's own setting, honoured over Gatehouse's 10 attempts, so the test does not wait out the backoff.
      AWS_MAX_ATTEMPTS: '2',
    });
    expectOneError(
      run,
      new RegExp(
        `^Could not reach AWS for ssm:DescribeInstanceInformation at http://127\\.0\\.0\\.1:${port} after 2 attempts: ` +
          'connection refused .*\\(ECONNREFUSED\\)',
      ),
      /AWS_ENDPOINT_URL_SSM is set to/,
    );
  });

  it.each([
    [
      'AccessDeniedException on DescribeInstanceInformation',
      'DescribeInstanceInformation',
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/deploy-dev/gh is not authorized to perform: ssm:DescribeInstanceInformation on resource: arn:aws:ssm:eu-west-1:123456789012:* because no identity-based policy allows the ssm:DescribeInstanceInformation action',
      [
        /^Configuration error: AWS denied ssm:DescribeInstanceInformation \(AccessDeniedException\): User: arn:aws:sts::123456789012/,
        /Allow it in the deploy role's policy: examples\/iam\/deploy-policy-<env>\.json/,
      ],
    ],
    [
      'AccessDeniedException on SendCommand (a host without the role’s tag)',
      'SendCommand',
      'AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/deploy-dev/gh is not authorized to perform: ssm:SendCommand on resource: arn:aws:ec2:eu-west-1:123456789012:instance/i-0000000000000000a because no identity-based policy allows the ssm:SendCommand action',
      [
        /^Configuration error: AWS denied ssm:SendCommand \(AccessDeniedException\)/,
        /examples\/iam\/deploy-policy-<env>\.json/,
        /environment tag/,
      ],
    ],
    [
      'an expired session token',
      'DescribeInstanceInformation',
      'ExpiredTokenException',
      'The security token included in the request is expired',
      [
        /^Configuration error: The AWS credentials expired before ssm:DescribeInstanceInformation \(ExpiredTokenException\)/,
        /role-duration-seconds/,
      ],
    ],
    [
      'credentials AWS does not know',
      'DescribeInstanceInformation',
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      [
        /^Configuration error: AWS did not accept the credentials for ssm:DescribeInstanceInformation \(UnrecognizedClientException/,
        /AWS_SESSION_TOKEN/,
      ],
    ],
    [
      'InvalidInstanceId on SendCommand',
      'SendCommand',
      'InvalidInstanceId',
      'Instances [[i-0000000000000000a]] not in a valid state for account 123456789012',
      [/InvalidInstanceId/, /AmazonSSMManagedInstanceCore/, /aws-region/],
    ],
  ])('%s', async (_, operation, code, message, patterns) => {
    const run = await withFault(operation, code, message, (endpoint) =>
      deploy({ ...CREDENTIALS, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SSM: endpoint }),
    );
    expectOneError(run, ...patterns);
  });
});

describe('preflight bundle: the same table, for a step that only checks', () => {
  it('no credentials is a configuration error, not an unfit host', async () => {
    const run = await runAction({
      actionDir: join(import.meta.dirname, '..', '..', 'preflight'),
      inputs: { 'instance-ids': HOST, 'app-dir': 'app', 'state-dir': 'state', 'aws-region': 'eu-west-1' },
      env: bareEnv({ AWS_ENDPOINT_URL_SSM: emulator.endpoint }),
      timeoutMs: 90_000,
    });
    expectOneError(run, /^Configuration error: No AWS credentials for ssm:DescribeInstanceInformation/);
  });
});
