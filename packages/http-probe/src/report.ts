import type { Hop } from './prober';

/**
 * `POST http://a/graphql → 301 → POST https://a/graphql → 400`: the chain as one line, with what
 * a hop changed in brackets (`→ 303 (POST became GET) →`).
 */
export function formatChain(chain: readonly Hop[]): string {
  return chain
    .map((hop) => {
      const status = hop.status === undefined ? '' : ` → ${hop.status}`;
      return `${hop.method} ${hop.url}${status}${hop.note ? ` (${hop.note})` : ''}`;
    })
    .join(' → ');
}
