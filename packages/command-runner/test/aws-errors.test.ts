import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import { describe, expect, it } from 'vitest';
import { awsErrorName } from '../src/ssm/api';
import { awsCallError } from '../src/ssm/aws-errors';

/** An SDK service error as the SDK builds it: `name` is the AWS code, with `$fault` and `$metadata`. */
function serviceError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}

const send = { service: 'ssm', operation: 'SendCommand' };

describe('the AWS error table', () => {
  it.each([
    [
      'AccessDeniedException',
      ConfigurationError,
      /^AWS denied ssm:SendCommand \(AccessDeniedException\): nope\. Allow it/,
    ],
    ['UnauthorizedOperation', ConfigurationError, /^AWS denied ssm:SendCommand \(UnauthorizedOperation\)/],
    ['ExpiredTokenException', ConfigurationError, /expired before ssm:SendCommand.*role-duration-seconds/],
    ['InvalidClientTokenId', ConfigurationError, /did not accept the credentials for ssm:SendCommand/],
    [
      'InvalidInstanceId',
      ActionFailure,
      /InvalidInstanceId to ssm:SendCommand: nope\. .*AmazonSSMManagedInstanceCore/,
    ],
  ])('%s', (code, kind, message) => {
    const mapped = awsCallError(serviceError(code, 'nope'), send);
    expect(mapped).toBeInstanceOf(kind);
    expect((mapped as Error).message).toMatch(message);
    // The runner's own handling of a code still sees it.
    expect(awsErrorName(mapped)).toBe(code);
  });

  it('names the IAM action of the operation, for CloudWatch Logs too', () => {
    const mapped = awsCallError(serviceError('AccessDeniedException', 'x'), {
      service: 'logs',
      operation: 'GetLogEvents',
    });
    expect((mapped as Error).message).toMatch(/^AWS denied logs:GetLogEvents/);
  });

  it('leaves what it does not know as it was (throttling is the runner’s to handle)', () => {
    const throttled = serviceError('ThrottlingException', 'Rate exceeded');
    expect(awsCallError(throttled, send)).toBe(throttled);
  });

  it('an unreachable default endpoint points at the region and the network, not at an override', () => {
    const error = Object.assign(new Error('getaddrinfo ENOTFOUND ssm.eu-west-9.amazonaws.com'), {
      code: 'ENOTFOUND',
      $metadata: { attempts: 10 },
    });
    const mapped = awsCallError(error, send, {});
    expect((mapped as Error).message).toBe(
      'Could not reach AWS for ssm:SendCommand at ssm.eu-west-9.amazonaws.com after 10 attempts: DNS lookup failed ' +
        "(no such host name) (ENOTFOUND). Check input 'aws-region', and that the runner reaches AWS: its proxy " +
        '(HTTPS_PROXY), firewall, or a VPC endpoint for SSM on a private runner.',
    );
  });
});
