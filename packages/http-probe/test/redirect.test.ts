import { describe, expect, it } from 'vitest';
import { keepsCredentials, type ProbeRequest, planRedirect } from '../src/redirect';

const credentials = new Set(['authorization', 'cookie', 'x-api-key']);
const post: ProbeRequest = {
  method: 'POST',
  url: 'http://api.example.com/graphql',
  headers: {
    Authorization: 'Bearer t',
    'Content-Type': 'application/json',
    'X-Api-Key': 'k',
    Accept: 'json',
  },
  body: '{}',
};

describe('planRedirect', () => {
  it('preserve keeps POST and the body on 301, 302, 307 and 308', () => {
    for (const status of [301, 302, 307, 308]) {
      const plan = planRedirect(post, status, 'https://api.example.com/graphql', 'preserve', credentials);
      expect(plan).toMatchObject({ kind: 'follow', next: { method: 'POST', body: '{}' } });
    }
  });

  it('turns 303 into GET without the body or its headers', () => {
    const plan = planRedirect(post, 303, '/result', 'preserve', credentials);
    expect(plan.kind).toBe('follow');
    if (plan.kind !== 'follow') return;
    expect(plan.next).toEqual({
      method: 'GET',
      url: 'http://api.example.com/result',
      headers: { Authorization: 'Bearer t', 'X-Api-Key': 'k', Accept: 'json' },
    });
    expect(plan.note).toContain('POST became GET');
  });

  it('follow uses fetch semantics: POST becomes GET on 301 and 302, kept on 307 and 308', () => {
    expect(planRedirect(post, 301, '/x', 'follow', credentials)).toMatchObject({ next: { method: 'GET' } });
    expect(planRedirect(post, 302, '/x', 'follow', credentials)).toMatchObject({ next: { method: 'GET' } });
    expect(planRedirect(post, 307, '/x', 'follow', credentials)).toMatchObject({
      next: { method: 'POST', body: '{}' },
    });
    const put = { ...post, method: 'PUT' };
    expect(planRedirect(put, 301, '/x', 'follow', credentials)).toMatchObject({ next: { method: 'PUT' } });
  });

  it('none, a non-redirect status or a missing Location gives the final answer', () => {
    expect(planRedirect(post, 301, '/x', 'none', credentials)).toEqual({ kind: 'final' });
    expect(planRedirect(post, 200, '/x', 'preserve', credentials)).toEqual({ kind: 'final' });
    expect(planRedirect(post, 304, '/x', 'preserve', credentials)).toEqual({ kind: 'final' });
    expect(planRedirect(post, 301, undefined, 'preserve', credentials)).toEqual({ kind: 'final' });
  });

  it('drops credential headers on a change of host or port, keeps them on the same-host https upgrade', () => {
    const other = planRedirect(post, 307, 'http://evil.example.net/graphql', 'preserve', credentials);
    expect(other.kind).toBe('follow');
    expect(other.kind === 'follow' && Object.keys(other.next.headers)).toEqual(['Content-Type', 'Accept']);
    expect(other.kind === 'follow' && other.note).toContain('dropped Authorization, X-Api-Key');
    const port = planRedirect(post, 307, 'http://api.example.com:8080/graphql', 'preserve', credentials);
    expect(port.kind).toBe('follow');
    expect(port.kind === 'follow' && Object.keys(port.next.headers)).toEqual(['Content-Type', 'Accept']);
    const upgrade = planRedirect(post, 301, 'https://api.example.com:8443/graphql', 'preserve', credentials);
    expect(upgrade.kind === 'follow' && upgrade.next.headers.Authorization).toBe('Bearer t');
  });

  it('refuses a downgrade from https to http', () => {
    const secure = { ...post, url: 'https://api.example.com/graphql' };
    const plan = planRedirect(secure, 301, 'http://api.example.com/graphql', 'preserve', credentials);
    expect(plan).toMatchObject({ kind: 'refuse', failure: { kind: 'redirect-downgrade' } });
  });

  it('refuses a redirect to something that is not http(s)', () => {
    expect(planRedirect(post, 302, 'ftp://x/y', 'preserve', credentials)).toMatchObject({
      kind: 'refuse',
      failure: { kind: 'bad-redirect' },
    });
  });

  it('treats origin as scheme, host and port', () => {
    const at = (url: string) => new URL(url);
    expect(keepsCredentials(at('http://a/x'), at('http://a/y'))).toBe(true);
    expect(keepsCredentials(at('http://a/x'), at('https://a/y'))).toBe(true);
    expect(keepsCredentials(at('http://a/x'), at('http://a:81/y'))).toBe(false);
    expect(keepsCredentials(at('http://a/x'), at('http://b/x'))).toBe(false);
    expect(keepsCredentials(at('https://a/x'), at('https://a:8443/x'))).toBe(false);
  });
});
