import { describe, expect, it } from 'vitest';
import { runContext } from '../src/run-context';
import {
  hideUserInfo,
  redact,
  urlPassword,
  urlPasswords,
  urlWithoutCredentials,
  urlWithoutPassword,
} from '../src/secrets';
import { shortSha } from '../src/short-sha';

describe('secrets in URLs', () => {
  const url = 'postgres://app:p%40ss%2Fw0rd@db.internal:5432/app';

  it('finds the password as written and decoded, and decodes it for a child environment', () => {
    expect(urlPasswords(url)).toEqual(['p%40ss%2Fw0rd', 'p@ss/w0rd']);
    expect(urlPassword(url)).toBe('p@ss/w0rd');
    expect(urlPasswords('postgres://app@db/app')).toEqual([]);
    expect(urlPassword('not a url')).toBeUndefined();
    // A stray % is the password as it is, not a crash.
    expect(urlPasswords('postgres://app:50%off@db/app')).toEqual(['50%off']);
  });

  it('drops the password for a printed command, and user and password for logs', () => {
    expect(urlWithoutPassword(url)).toBe('postgres://app@db.internal:5432/app');
    expect(urlWithoutCredentials('https://u:p@example.com/x?y=1')).toBe('https://example.com/x?y=1');
    expect(urlWithoutCredentials('::not a url')).toBe('(invalid URL)');
  });

  it('hides the user part of a value that does not even parse', () => {
    expect(hideUserInfo('http://user:pa ss@host/x and ftp://a:b@c')).toBe(
      'http://***@host/x and ftp://***@c',
    );
  });
});

describe('redaction of text we did not write', () => {
  it('replaces each secret, longest first, and the password of any URL in the text', () => {
    const text =
      'FATAL: password p@ss/w0rd rejected; tried postgres://app:p%40ss%2Fw0rd@db/app and mysql://x:other@h/db';
    expect(redact(text, urlPasswords('postgres://app:p%40ss%2Fw0rd@db/app'))).toBe(
      'FATAL: password *** rejected; tried postgres://app:***@db/app and mysql://x:***@h/db',
    );
    expect(redact('token abcdef and abc', ['abc', 'abcdef'])).toBe('token *** and ***');
  });

  it('leaves values under 3 characters, and undefined ones, alone', () => {
    expect(redact('x=1 y=22', ['1', '22', undefined, ''])).toBe('x=1 y=22');
  });
});

describe('the run context', () => {
  it('reads the GITHUB_* values, with the URLs defaulting to github.com', () => {
    expect(
      runContext({
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_RUN_ID: '7',
        GITHUB_ACTOR: 'octocat',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_WORKFLOW_REF: 'o/r/.github/workflows/deploy.yml@refs/heads/main',
        GITHUB_API_URL: '',
      }),
    ).toMatchObject({
      repository: 'o/r',
      runId: '7',
      actor: 'octocat',
      sha: 'a'.repeat(40),
      runAttempt: undefined,
      workflowRef: 'o/r/.github/workflows/deploy.yml@refs/heads/main',
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
    });
  });

  it("takes GitHub Enterprise Server's URLs as the runner gives them", () => {
    const run = runContext({
      GITHUB_API_URL: 'https://ghe.example/api/v3',
      GITHUB_SERVER_URL: 'https://ghe.example',
    });
    expect([run.apiUrl, run.serverUrl, run.repository]).toEqual([
      'https://ghe.example/api/v3',
      'https://ghe.example',
      '',
    ]);
  });
});

describe('short SHAs', () => {
  it('shortens a hex SHA of 8 or more characters to 7, and leaves anything else as it is', () => {
    expect(shortSha('4B825DC642CB6EB9A060E54BF8D69288FBEE4904')).toBe('4B825DC');
    expect(shortSha('4b825dc6')).toBe('4b825dc');
    expect(shortSha('4b825dc')).toBe('4b825dc');
    expect(shortSha('v1.4.0')).toBe('v1.4.0');
    expect(shortSha(undefined)).toBeUndefined();
  });
});
