/**
 * Stand-in for `aws-actions/configure-aws-credentials` (v4–v6), modelling what Gatehouse relies on:
 * - `aws-region` required and matching `^[a-z0-9-]+$`; `role-session-name` 2–64 characters of
 *   `[\w+=,.@-]` (default `GitHubActions`); the region exported first (`AWS_REGION`,
 *   `AWS_DEFAULT_REGION`), before any credential work, as the real action does;
 * - OIDC only when `role-to-assume` is set, no access keys or token file are given and the job was
 *   granted `id-token: write` (the runner then sets `ACTIONS_ID_TOKEN_REQUEST_TOKEN`); without it
 *   the real action falls back to the SDK's default chain, which finds nothing on a hosted runner:
 *   "Credentials could not be loaded, please check your action inputs: Could not load credentials
 *   from any providers";
 * - `role-to-assume` must be an IAM role ARN (STS would refuse anything else);
 * - session credentials (`ASIA…`) masked, then exported as `AWS_ACCESS_KEY_ID`,
 *   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`; outputs `aws-account-id` and `authenticated-arn`
 *   (and the credentials with `output-credentials: true`);
 * - `post` clears the exported variables unless `AWS_SKIP_CLEANUP_STEP` is `true`.
 * No STS call is made: the credentials are random and only the SSM emulator (through
 * `AWS_ENDPOINT_URL_SSM` in the runner's machine environment) ever sees them.
 */
import { randomBytes } from 'node:crypto';
import type { StandIn, StandInStep } from './types';

const MANIFEST = `
name: Configure AWS Credentials For GitHub Actions (stand-in)
description: Configures AWS credentials for use in subsequent steps.
inputs:
  aws-region: { description: 'AWS region', required: true }
  role-to-assume: { description: 'Role ARN', required: false }
  aws-access-key-id: { description: 'Access key', required: false }
  aws-secret-access-key: { description: 'Secret key', required: false }
  aws-session-token: { description: 'Session token', required: false }
  web-identity-token-file: { description: 'Token file', required: false }
  role-chaining: { description: 'Chain roles', required: false }
  audience: { description: 'OIDC audience', required: false, default: 'sts.amazonaws.com' }
  aws-profile: { description: 'Profile', required: false }
  overwrite-aws-profile: { description: 'Overwrite profile', required: false }
  http-proxy: { description: 'Proxy', required: false }
  no-proxy: { description: 'No proxy', required: false }
  mask-aws-account-id: { description: 'Mask account id', required: false }
  role-duration-seconds: { description: 'Duration', required: false }
  role-external-id: { description: 'External id', required: false }
  role-session-name: { description: 'Session name', required: false }
  role-skip-session-tagging: { description: 'Skip tagging', required: false }
  transitive-tag-keys: { description: 'Tag keys', required: false }
  inline-session-policy: { description: 'Inline policy', required: false }
  managed-session-policies: { description: 'Managed policies', required: false }
  output-credentials: { description: 'Output credentials', required: false }
  output-env-credentials: { description: 'Export credentials', required: false }
  unset-current-credentials: { description: 'Unset credentials', required: false }
  disable-retry: { description: 'Disable retry', required: false }
  retry-max-attempts: { description: 'Retries', required: false }
  special-characters-workaround: { description: 'Workaround', required: false }
  use-existing-credentials: { description: 'Reuse credentials', required: false }
  allowed-account-ids: { description: 'Allowed accounts', required: false }
  force-skip-oidc: { description: 'Skip OIDC', required: false }
  action-timeout-s: { description: 'Timeout', required: false }
  custom-tags: { description: 'Session tags', required: false }
  sts-endpoint: { description: 'STS endpoint', required: false }
outputs:
  aws-account-id: { description: 'Account id' }
  aws-access-key-id: { description: 'Access key' }
  aws-secret-access-key: { description: 'Secret key' }
  aws-session-token: { description: 'Session token' }
  aws-expiration: { description: 'Expiration' }
runs:
  using: node24
  main: dist/index.js
  post: dist/cleanup/index.js
  post-if: env.AWS_SKIP_CLEANUP_STEP != 'true'
`;

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::(\d{12}):role\/((?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;
const random = (alphabet: string, length: number) =>
  [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64ISH = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function exportRegion(step: StandInStep, region: string) {
  step.exportVariable('AWS_DEFAULT_REGION', region);
  step.exportVariable('AWS_REGION', region);
}

async function main(step: StandInStep): Promise<void> {
  const region = step.input('aws-region', { required: true });
  const roleToAssume = step.input('role-to-assume');
  const accessKeyId = step.input('aws-access-key-id');
  const tokenFile = step.input('web-identity-token-file');
  const roleChaining = step.booleanInput('role-chaining');
  const sessionName = step.input('role-session-name') || 'GitHubActions';
  const maskAccountId = step.booleanInput('mask-aws-account-id');
  const outputCredentials = step.booleanInput('output-credentials');

  if (!/^[a-z0-9-]+$/.test(region)) throw new Error(`Region is not valid: ${region}`);
  if (sessionName.length < 2 || sessionName.length > 64) {
    throw new Error(
      `Role session name must be between 2 and 64 characters, got ${sessionName.length}: '${sessionName}'`,
    );
  }
  if (!/^[\w+=,.@-]*$/.test(sessionName)) {
    throw new Error(
      `Role session name is not valid: '${sessionName}'. Must satisfy regular expression pattern: [\\w+=,.@-]*`,
    );
  }
  exportRegion(step, region);

  const hasIdToken = !!step.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (roleToAssume && !tokenFile && !accessKeyId && !hasIdToken && !roleChaining) {
    step.info(
      'It looks like you might be trying to authenticate with OIDC. Did you mean to set the `id-token` permission? ' +
        'If you are not trying to authenticate with OIDC and the action is working successfully, you can ignore this message.',
    );
  }
  const oidc = !!roleToAssume && hasIdToken && !accessKeyId && !tokenFile && !roleChaining;
  if (!oidc) {
    if (accessKeyId || tokenFile || roleChaining) {
      throw new Error('This stand-in models OIDC only (role-to-assume with id-token: write).');
    }
    throw new Error(
      'Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers',
    );
  }
  const arn = ROLE_ARN.exec(roleToAssume);
  if (!arn) throw new Error('Could not assume role with OIDC: Request ARN is invalid');
  const [, , account, , roleName] = arn as unknown as [string, string, string, string, string];

  const credentials = {
    AccessKeyId: `ASIA${random(UPPER, 16)}`,
    SecretAccessKey: random(BASE64ISH, 40),
    SessionToken: random(BASE64ISH, 356),
    Expiration: new Date(Date.now() + 3600_000).toISOString(),
  };
  step.setSecret(credentials.AccessKeyId);
  step.setSecret(credentials.SecretAccessKey);
  step.setSecret(credentials.SessionToken);
  const assumedArn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
  step.info(`Authenticated as assumedRoleId AROA${random(UPPER, 17)}:${sessionName}`);
  step.exportVariable('AWS_ACCESS_KEY_ID', credentials.AccessKeyId);
  step.exportVariable('AWS_SECRET_ACCESS_KEY', credentials.SecretAccessKey);
  step.exportVariable('AWS_SESSION_TOKEN', credentials.SessionToken);
  if (outputCredentials) {
    step.setOutput('aws-access-key-id', credentials.AccessKeyId);
    step.setOutput('aws-secret-access-key', credentials.SecretAccessKey);
    step.setOutput('aws-session-token', credentials.SessionToken);
    step.setOutput('aws-expiration', credentials.Expiration);
  }
  if (maskAccountId) {
    step.setSecret(account);
    step.setSecret(assumedArn);
  }
  step.setOutput('aws-account-id', account);
  step.setOutput('authenticated-arn', assumedArn);
}

async function post(step: StandInStep): Promise<void> {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
    step.exportVariable(name, '');
  exportRegion(step, '');
}

export const configureAwsCredentials: StandIn = { manifest: MANIFEST, main, post };
