/**
 * Network failures as a person acts on them: a refused connection means nothing listens there, a
 * DNS failure a wrong host name, a TLS problem will not fix itself by waiting. Node, undici, Octokit
 * and the AWS SDK all carry the system code somewhere along the error's `cause` chain; this reads
 * it once for every client Gatehouse uses.
 */

/** Every `code` and `message` along an error's `cause` chain, outermost first. */
export function errorChain(error: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    if (typeof current !== 'object') break;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof message === 'string' && message !== '') messages.push(message);
    current = cause;
  }
  return { codes, messages };
}

/** Certificate problems by the code Node's TLS layer gives them, and what to do. */
export const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed; set ca-file to trust it',
  SELF_SIGNED_CERT_IN_CHAIN:
    'the certificate chain ends in a self-signed CA that is not trusted; set ca-file',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate is signed by an unknown CA; set ca-file to trust it',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate is signed by an unknown CA; set ca-file to trust it',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate is signed by an unknown CA; set ca-file to trust it',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host (hostname mismatch)',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate is revoked',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not speak TLS on this port (is it plain http?)',
};

export type NetworkProblemKind = 'refused' | 'dns' | 'timeout' | 'reset' | 'unreachable' | 'tls';

export interface NetworkProblem {
  kind: NetworkProblemKind;
  /** The system or library code, e.g. ECONNREFUSED or CERT_HAS_EXPIRED. */
  code: string;
  /** What happened, in words, without the place: `connection refused (nothing listening)`. */
  text: string;
}

const BY_CODE: [NetworkProblemKind, string[], string][] = [
  ['refused', ['ECONNREFUSED'], 'connection refused (nothing listening there)'],
  ['dns', ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'], 'DNS lookup failed (no such host name)'],
  ['timeout', ['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'], 'the connection timed out'],
  ['reset', ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'], 'the connection was reset'],
  [
    'unreachable',
    ['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'],
    'no route to the host (network unreachable)',
  ],
];

/** The network problem behind an error, if it is one; undefined for anything else. */
export function networkProblem(error: unknown): NetworkProblem | undefined {
  const { codes, messages } = errorChain(error);
  const tls = codes.find((code) => code in TLS_PROBLEMS) ?? codes.find((code) => /CERT|SSL|TLS/.test(code));
  if (tls) {
    const text = TLS_PROBLEMS[tls] ?? messages[messages.length - 1] ?? 'the TLS handshake failed';
    return { kind: 'tls', code: tls, text: `TLS error: ${text}` };
  }
  for (const [kind, known, text] of BY_CODE) {
    const code = codes.find((c) => known.includes(c));
    if (code) return { kind, code, text };
  }
  return undefined;
}
