import { describe, expect, it } from 'vitest';
import { checkHeaders } from '../src/headers';

describe('headers are checked at input time, by HTTP’s rules', () => {
  it('accepts what HTTP allows, including an empty value and Latin-1 text', () => {
    expect(() =>
      checkHeaders("Input 'headers'", {
        Authorization: 'Bearer x',
        'X-Empty': '',
        'X-Name': 'Zoë',
        Host: 'api',
      }),
    ).not.toThrow();
  });
  it.each([
    [{ 'Bad Header': 'x' }, /"Bad Header" is not a valid HTTP header name/],
    [{ 'X:Colon': 'x' }, /"X:Colon" is not a valid HTTP header name/],
    [{ '': 'x' }, /"" is not a valid HTTP header name/],
    [{ 'X-Token': 'a\r\nX-Injected: 1' }, /the value of header 'X-Token' holds a character HTTP forbids/],
    [{ 'X-Token': 'nul\u0000' }, /the value of header 'X-Token' holds a character HTTP forbids/],
    [{ 'X-Mark': '✓' }, /the value of header 'X-Mark' holds a character HTTP forbids/],
    [{ 'Content-Length': '5' }, /header 'Content-Length' cannot be set: it is computed from the body/],
    [{ 'transfer-encoding': 'chunked' }, /cannot be set/],
    [{ Connection: 'close' }, /cannot be set/],
    [{ Expect: 'anything' }, /cannot be set/],
  ])('%j is refused, naming the header and never its value', (headers, why) => {
    let message = '';
    try {
      checkHeaders("Input 'headers'", headers as Record<string, string>);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Input 'headers': /);
    expect(message).toMatch(why);
    for (const value of Object.values(headers)) if (value.length > 2) expect(message).not.toContain(value);
  });
});
