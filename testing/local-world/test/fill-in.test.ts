import { describe, expect, it } from 'vitest';
import { applyFillIns, fillInProblems, onHost, placeholderKind } from '../src/fill-in';

const EXAMPLE = `with:
  environment-url: https://dev.api.example.com # FILL IN
  aws-role-arn: arn:aws:iam::123456789012:role/deploy # FILL IN
  region: us-east-1 # FILL IN
  app-dir: /opt/app
  base-url: https://dev.api.example.com
  deep-health-url: https://dev.api.example.com/health/deep
  commands: docker compose up -d
`;

describe('fill-ins', () => {
  it('knows a placeholder by its example address, account, host path or FILL IN mark', () => {
    expect(placeholderKind('https://dev.api.example.com', EXAMPLE)).toBe('an example.com address');
    expect(placeholderKind('123456789012', EXAMPLE)).toBe('the example AWS account');
    expect(placeholderKind('/opt/app', EXAMPLE)).toBe('an absolute path on the host');
    expect(placeholderKind('us-east-1', EXAMPLE)).toBe('a value marked FILL IN');
    // On a line without the mark it is not a placeholder, whatever it looks like.
    expect(placeholderKind('docker compose up -d', EXAMPLE)).toBeUndefined();
    expect(placeholderKind('up -d', EXAMPLE)).toBeUndefined();
  });

  it('refuses a table that replaces anything else, or a placeholder the file does not have', () => {
    expect(
      fillInProblems(EXAMPLE, [
        { placeholder: 'docker compose', value: 'podman compose' },
        { placeholder: 'https://stage.api.example.com', value: 'x' },
      ]),
    ).toEqual([
      "'docker compose' is not a placeholder (no example.com address, example account, host path or FILL IN mark)",
      "'https://stage.api.example.com' is not in the file",
    ]);
    expect(() => applyFillIns(EXAMPLE, [{ placeholder: 'compose', value: 'x' }])).toThrow(
      /not a placeholder/,
    );
  });

  it('replaces every occurrence and changes nothing else', () => {
    const filled = applyFillIns(EXAMPLE, [
      { placeholder: 'https://dev.api.example.com', value: 'http://127.0.0.1:8080' },
      { placeholder: '/opt/app', value: onHost('/opt/app') },
    ]);
    expect(filled).toBe(
      EXAMPLE.replaceAll('https://dev.api.example.com', 'http://127.0.0.1:8080').replace(
        '/opt/app',
        'opt/app',
      ),
    );
  });

  it('does not replace inside a value another placeholder brought in', () => {
    const text = 'a: https://api.example.com # FILL IN\nb: /srv/api\n';
    const filled = applyFillIns(text, [
      { placeholder: 'https://api.example.com', value: 'http://127.0.0.1/srv/api' },
      { placeholder: '/srv/api', value: 'srv/api' },
    ]);
    expect(filled).toBe('a: http://127.0.0.1/srv/api # FILL IN\nb: srv/api\n');
  });

  it('maps an absolute host path into the host folder', () => {
    expect(onHost('/var/lib/app')).toBe('var/lib/app');
    expect(() => onHost('opt/app')).toThrow(/absolute/);
  });
});
