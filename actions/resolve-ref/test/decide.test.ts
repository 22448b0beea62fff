import { ConfigurationError } from '@gatehouse/action-kit';
import { globMatches } from '@gatehouse/github-client/ref-glob';
import { describe, expect, it } from 'vitest';
import { checkRefGlobs } from '../src/allowed-refs';
import { checkAllowedRef, type DecideSettings, decide, type RunContext } from '../src/decide';

const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const OTHER = '1111111111111111111111111111111111111111';
const settings = (over: Partial<DecideSettings> = {}): DecideSettings => ({
  inputRef: undefined,
  environment: 'dev',
  defaultBranch: undefined,
  protectedEnvironments: ['prod', 'production'],
  allowedEvents: ['push', 'workflow_dispatch', 'release'],
  ...over,
});
const context = (over: Partial<RunContext> = {}): RunContext => ({
  eventName: 'workflow_dispatch',
  payload: { repository: { default_branch: 'main' } },
  githubRef: 'refs/heads/feature/x',
  githubRefName: 'feature/x',
  githubSha: SHA,
  ...over,
});

describe('decide', () => {
  it('push deploys the payload after SHA on the pushed ref', () => {
    const d = decide(
      context({ eventName: 'push', payload: { ref: 'refs/heads/main', after: OTHER }, githubSha: SHA }),
      settings(),
    );
    expect(d).toMatchObject({
      kind: 'resolved',
      source: 'push',
      resolved: { ref: 'refs/heads/main', sha: OTHER },
    });
  });

  it('push of a tag deploys the tag', () => {
    const d = decide(
      context({ eventName: 'push', payload: { ref: 'refs/tags/v1.2.0', after: SHA } }),
      settings(),
    );
    expect(d).toMatchObject({ kind: 'resolved', resolved: { ref: 'refs/tags/v1.2.0', sha: SHA } });
  });

  it('push that deleted a branch has nothing to deploy', () => {
    expect(() =>
      decide(
        context({
          eventName: 'push',
          payload: { ref: 'refs/heads/x', deleted: true, after: '0'.repeat(40) },
        }),
        settings(),
      ),
    ).toThrow(/deleted refs\/heads\/x/);
  });

  it('push ignores a ref input, and says so', () => {
    const d = decide(
      context({ eventName: 'push', payload: { ref: 'refs/heads/main', after: SHA } }),
      settings({ inputRef: 'dev' }),
    );
    expect(d.kind).toBe('resolved');
    expect(d.notes.join()).toMatch(/ignored on push/);
  });

  it('dispatch with a ref looks that ref up', () => {
    const d = decide(context(), settings({ inputRef: 'origin/release/2' }));
    expect(d).toMatchObject({
      kind: 'lookup',
      source: 'input',
      request: { kind: 'branch', name: 'release/2' },
    });
  });

  it('dispatch with an empty ref deploys the dispatched branch at GITHUB_SHA', () => {
    const d = decide(context(), settings());
    expect(d).toMatchObject({
      kind: 'resolved',
      source: 'dispatch-branch',
      resolved: { ref: 'refs/heads/feature/x', sha: SHA },
    });
  });

  it('dispatch with an empty ref in a protected environment deploys the default branch instead', () => {
    const d = decide(context(), settings({ environment: 'prod' }));
    expect(d).toMatchObject({
      kind: 'lookup',
      source: 'protected-default',
      request: { kind: 'branch', name: 'main' },
    });
  });

  it('protected default dispatched from the default branch itself uses GITHUB_SHA without a lookup', () => {
    const d = decide(
      context({ githubRef: 'refs/heads/trunk' }),
      settings({ environment: 'prod', defaultBranch: 'trunk' }),
    );
    expect(d).toMatchObject({
      kind: 'resolved',
      source: 'protected-default',
      resolved: { ref: 'refs/heads/trunk', sha: SHA },
    });
  });

  it('default branch falls back to main when the payload has none', () => {
    const d = decide(context({ payload: {} }), settings({ environment: 'production' }));
    expect(d).toMatchObject({ request: { kind: 'branch', name: 'main' } });
  });

  it('release deploys the release tag', () => {
    const d = decide(
      context({
        eventName: 'release',
        payload: { release: { tag_name: 'v2.0.0' } },
        githubRef: 'refs/tags/v2.0.0',
      }),
      settings(),
    );
    expect(d).toMatchObject({
      kind: 'resolved',
      source: 'release',
      resolved: { ref: 'refs/tags/v2.0.0', sha: SHA },
    });
  });

  it('an event not in allowed-events is a configuration error naming it', () => {
    expect(() => decide(context({ eventName: 'pull_request' }), settings())).toThrow(ConfigurationError);
    expect(() => decide(context({ eventName: 'pull_request' }), settings())).toThrow(
      /'pull_request' is not in allowed-events/,
    );
  });

  it('another allowed event deploys its own commit', () => {
    const d = decide(
      context({ eventName: 'schedule', githubRef: 'refs/heads/main' }),
      settings({ allowedEvents: ['schedule'] }),
    );
    expect(d).toMatchObject({
      kind: 'resolved',
      source: 'event',
      resolved: { ref: 'refs/heads/main', sha: SHA },
    });
  });

  it('a bad ref is refused even on an event that would ignore it', () => {
    expect(() =>
      decide(
        context({ eventName: 'push', payload: { ref: 'refs/heads/main', after: SHA } }),
        settings({ inputRef: 'a;b' }),
      ),
    ).toThrow(/Input 'ref'/);
  });
});

describe('allowed-refs', () => {
  it.each([
    ['refs/tags/v*', 'refs/tags/v1.2.3', true],
    ['refs/heads/*', 'refs/heads/a/b', false],
    ['refs/heads/**', 'refs/heads/a/b', true],
    ['refs/heads/main', 'refs/heads/mainline', false],
    ['refs/heads/main', 'refs/heads/main', true],
    ['refs/*/main', 'refs/heads/main', true],
    ['refs/heads/release-?', 'refs/heads/release-1', true],
    ['refs/heads/release-?', 'refs/heads/release-/', false],
    ['refs/heads/a.b', 'refs/heads/axb', false],
    ['**/main', 'refs/heads/main', true],
    ['refs/**/x', 'refs/x', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
  ])('%j matches %j: %s', (glob, ref, expected) => {
    expect(globMatches(glob, ref)).toBe(expected);
  });

  it('patterns too long for a regular expression, or full of **, are still matched', () => {
    expect(globMatches('**a'.repeat(85), `refs/heads/${'a'.repeat(84)}b`)).toBe(false);
    expect(globMatches('**a'.repeat(85), `refs/heads/${'a'.repeat(85)}`)).toBe(true);
    expect(globMatches('a*'.repeat(30_000), 'refs/heads/main')).toBe(false);
    expect(globMatches('*'.repeat(60_000), 'refs/heads/main')).toBe(true);
  });

  it('refuses patterns no ref could need, naming the input', () => {
    expect(() => checkRefGlobs('allowed-refs', ['x'.repeat(60_000)])).toThrow(
      "Input 'allowed-refs' has a pattern of 60000 characters; each may be at most 255",
    );
    expect(() =>
      checkRefGlobs(
        'allowed-refs',
        Array.from({ length: 101 }, (_, i) => `refs/heads/b${i}`),
      ),
    ).toThrow(/lists 101 patterns; at most 100/);
  });

  it('refuses a ref outside the list, naming the environment', () => {
    expect(() => checkAllowedRef('refs/heads/dev', ['refs/heads/main', 'refs/tags/v*'], 'prod')).toThrow(
      /does not allow 'refs\/heads\/dev' to be deployed to 'prod'/,
    );
    expect(() => checkAllowedRef(SHA, ['refs/heads/main'], 'prod')).toThrow(/bare commit/);
    expect(() => checkAllowedRef('refs/tags/v1', ['refs/heads/main', 'refs/tags/v*'], 'prod')).not.toThrow();
  });
});
