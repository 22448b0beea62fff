import { describe, expect, it } from 'vitest';
import { ANY_2XX, expectStatus } from '../src/expect-status';

describe('expect-status', () => {
  it('takes a code, a class, a list or comma-separated text', () => {
    expect(expectStatus(400, 'x').matches(400)).toBe(true);
    expect(expectStatus(400, 'x').matches(401)).toBe(false);
    const list = expectStatus([200, '3xx'], 'x');
    expect([200, 301, 399, 201, 404].map(list.matches)).toEqual([true, true, true, false, false]);
    expect(expectStatus('200, 204', 'x').text).toBe('200, 204');
    expect(expectStatus('4XX', 'x').matches(404)).toBe(true);
    expect(ANY_2XX.matches(204)).toBe(true);
    expect(ANY_2XX.matches(302)).toBe(false);
  });

  it('names where a bad value sits', () => {
    expect(() => expectStatus('ok', 'checks[3].expect-status')).toThrow(
      /^checks\[3\]\.expect-status: expected a status code/,
    );
    expect(() => expectStatus(700, 'w')).toThrow('got 700');
    expect(() => expectStatus([], 'w')).toThrow('got nothing');
  });
});
