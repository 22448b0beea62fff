import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit/errors';
import { errorChain, networkProblem } from '@gatehouse/action-kit/known-errors';
import { awsErrorName } from './api';

/**
 * Known AWS SDK failures, turned into what a person fixes — the table codeql-action keeps for its
 * CLI (`cli-errors.ts`), for the AWS calls Gatehouse makes. Applied where each call is made
 * (`sdk-client.ts`), so every message names the IAM action of the operation that failed.
 *
 * A mapped error keeps the AWS error code as its `name`, so the runner's own handling of a code
 * (`awsErrorName(error) === 'InvalidInstanceId'`) works on it unchanged.
 */
export interface AwsCall {
  /** The IAM service prefix: `ssm`, `logs`. */
  service: string;
  /** The API operation, e.g. `SendCommand`. */
  operation: string;
}

/** A known AWS failure the workflow author fixes: credentials, region, the role's policy. */
export class AwsSetupError extends ConfigurationError {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

/** A known AWS failure of the world around the step: an endpoint out of reach, a host SSM does not know. */
export class AwsCallFailure extends ActionFailure {
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

const POLICY_HINT =
  "Allow it in the deploy role's policy: examples/iam/deploy-policy-<env>.json lists every action Gatehouse needs";

const CREDENTIALS_STEP =
  'Add the aws-actions/configure-aws-credentials step before this one, with role-to-assume (the deploy role; ' +
  'examples/iam/ holds its trust and permission policies) and aws-region, and give the job ' +
  '`permissions: id-token: write` so it can assume the role through OIDC.';

const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'TokenRefreshRequired']);
const REJECTED = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
]);

/** The error to throw for a failed call: a mapped one when the failure is known, else the SDK's own. */
export function awsCallError(error: unknown, call: AwsCall, env: NodeJS.ProcessEnv = process.env): unknown {
  const action = `${call.service}:${call.operation}`;
  const code = awsErrorName(error) ?? '';
  const message = (error as { message?: unknown } | null)?.message;
  const said = typeof message === 'string' ? message : '';

  if (code === 'CredentialsProviderError' || /Could not load credentials from any providers/.test(said)) {
    return new AwsSetupError(
      code || 'CredentialsProviderError',
      `No AWS credentials for ${action}: the AWS SDK found none (environment, ~/.aws, web identity, instance role). ${CREDENTIALS_STEP}`,
    );
  }
  if (/Region is missing/.test(said)) {
    return new AwsSetupError(
      'RegionMissing',
      `No AWS region for ${action}: set this step's input 'aws-region' (e.g. eu-west-1), or the 'aws-region' of ` +
        'aws-actions/configure-aws-credentials, which sets AWS_REGION for the steps after it.',
    );
  }
  if (EXPIRED.has(code)) {
    return new AwsSetupError(
      code,
      `The AWS credentials expired before ${action} (${code}). aws-actions/configure-aws-credentials gives ` +
        "1 hour by default: raise its role-duration-seconds to cover the whole job (up to the role's maximum " +
        'session duration), or configure credentials again just before this step.',
    );
  }
  if (REJECTED.has(code)) {
    return new AwsSetupError(
      code,
      `AWS did not accept the credentials for ${action} (${code}: ${said.replace(/\.$/, '')}). Check the role ` +
        'aws-actions/configure-aws-credentials assumed and its aws-region, and that no stale AWS_ACCESS_KEY_ID, ' +
        "AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN is left in the job's environment.",
    );
  }
  if (DENIED.has(code)) {
    const sendHint =
      call.operation === 'SendCommand'
        ? '. SendCommand is checked against each instance (by its environment tag) and against the ' +
          'AWS-RunShellScript document: a host without the tag the policy names is denied too'
        : '';
    return new AwsSetupError(
      code,
      `AWS denied ${action} (${code}): ${sentence(said)} ${POLICY_HINT}${sendHint}.`,
    );
  }
  if (code === 'InvalidInstanceId') {
    return new AwsCallFailure(
      code,
      `SSM answered InvalidInstanceId to ${action}: ${sentence(said)} The instance is not a managed node SSM knows in ` +
        "this region: its SSM agent is stopped or cannot reach SSM, it is in another region (input 'aws-region'), " +
        'or its instance profile lacks AmazonSSMManagedInstanceCore.',
    );
  }
  const network = networkProblem(error);
  if (network) return unreachable(error, action, network, env);
  return error;
}

function unreachable(
  error: unknown,
  action: string,
  network: NonNullable<ReturnType<typeof networkProblem>>,
  env: NodeJS.ProcessEnv,
): AwsCallFailure {
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  const override = env.AWS_ENDPOINT_URL_SSM ?? env.AWS_ENDPOINT_URL;
  const where = override ?? errorChain(error).messages[0]?.split(' ').at(-1) ?? 'the SSM endpoint';
  const hint = override
    ? `AWS_ENDPOINT_URL${env.AWS_ENDPOINT_URL_SSM ? '_SSM' : ''} is set to ${override} in this job: unset it, or start what it points to.`
    : "Check input 'aws-region', and that the runner reaches AWS: its proxy (HTTPS_PROXY), firewall, or a VPC endpoint for SSM on a private runner.";
  return new AwsCallFailure(
    'EndpointUnreachable',
    `Could not reach AWS for ${action} at ${where}${attempts ? ` after ${attempts} attempts` : ''}: ` +
      `${network.text} (${network.code}). ${hint}`,
  );
}

function sentence(text: string): string {
  return text === '' || /[.!?]$/.test(text) ? text : `${text}.`;
}
