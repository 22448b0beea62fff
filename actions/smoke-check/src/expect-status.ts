import { ConfigurationError } from '@gatehouse/action-kit';
import type { Shape } from '@gatehouse/action-kit/shape';

/** Which HTTP statuses a check accepts: `200`, `[200, 204]`, `2xx`, `"200, 3xx"`. */
export interface StatusExpectation {
  /** As written, for reports: `2xx`, `200, 204`. */
  text: string;
  matches(status: number): boolean;
}

export const ANY_2XX: StatusExpectation = statusExpectation(['2xx']);

const EXPECTED = 'a status code (e.g. 200), a class like 2xx, or a list of them';

export const expectStatus: Shape<StatusExpectation> = (value, where) => {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[\s,]+/).filter((item) => item !== '')
      : [value];
  const tokens = items.map((item) => {
    const token =
      typeof item === 'number' || typeof item === 'string' ? String(item).trim().toLowerCase() : '';
    if (!/^[1-5](\d\d|xx)$/.test(token)) {
      throw new ConfigurationError(`${where}: expected ${EXPECTED}, got ${JSON.stringify(item)}`);
    }
    return token;
  });
  if (tokens.length === 0) throw new ConfigurationError(`${where}: expected ${EXPECTED}, got nothing`);
  return statusExpectation(tokens);
};

function statusExpectation(tokens: string[]): StatusExpectation {
  return {
    text: tokens.join(', '),
    matches: (status) =>
      tokens.some((token) =>
        token.endsWith('xx') ? Math.floor(status / 100) === Number(token[0]) : status === Number(token),
      ),
  };
}
