import { ServiceError, validation } from './errors';

/**
 * One page of `items` and the token for the next. The token is opaque to clients (base64 JSON)
 * and bound to the query it came from, so a token reused with other parameters is refused, as
 * SSM refuses it with InvalidNextToken.
 */
export function page<T>(
  items: readonly T[],
  request: { MaxResults?: unknown; NextToken?: unknown },
  query: string,
  bounds: { min: number; max: number; fallback: number },
): { items: T[]; nextToken?: string } {
  const max = request.MaxResults === undefined ? bounds.fallback : Number(request.MaxResults);
  if (!Number.isInteger(max) || max < bounds.min || max > bounds.max) {
    throw validation(
      `1 validation error detected: Value '${String(request.MaxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value between ${bounds.min} and ${bounds.max}`,
    );
  }
  const offset =
    request.NextToken === undefined || request.NextToken === '' ? 0 : readToken(request.NextToken, query);
  const slice = items.slice(offset, offset + max);
  const next = offset + max;
  return next < items.length ? { items: slice, nextToken: writeToken(next, query) } : { items: slice };
}

function writeToken(offset: number, query: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: query }), 'utf8').toString('base64');
}

function readToken(token: unknown, query: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as {
      o?: unknown;
      q?: unknown;
    };
    if (parsed.q === query && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) {
      return parsed.o;
    }
  } catch {
    // Same answer as a token for another query.
  }
  throw new ServiceError('InvalidNextToken', "The specified token isn't valid.");
}
