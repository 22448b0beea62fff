import { errorChain, TLS_PROBLEMS } from '@gatehouse/action-kit/known-errors';

/**
 * Why a probe got no usable answer. The kind is what a person acts on (a refused connection means
 * the app is not listening yet; a TLS problem will not fix itself by waiting), so it is reported
 * precisely rather than as a generic "fetch failed".
 */
export type FailureKind =
  | 'refused'
  | 'reset'
  | 'dns'
  | 'tls'
  | 'timeout-connect'
  | 'timeout-headers'
  | 'timeout-body'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'redirect-downgrade'
  | 'bad-redirect'
  | 'network';

export interface ProbeFailure {
  kind: FailureKind;
  message: string;
  /** The system or library error code behind it, e.g. ECONNREFUSED or DEPTH_ZERO_SELF_SIGNED_CERT. */
  code?: string;
}

/** Where a single request was when it failed: a reset before the headers is not a reset mid-body. */
export type RequestPhase = 'headers' | 'body';

/** Turns what undici or node threw into a precise failure for the given host and request phase. */
export function classifyError(
  error: unknown,
  host: string,
  phase: RequestPhase,
  timeoutMs: number,
): ProbeFailure {
  const { codes, messages } = errorChain(error);
  const has = (...wanted: string[]) => codes.find((code) => wanted.includes(code));
  const seconds = `${Math.round(timeoutMs / 100) / 10}s`;

  const tls = codes.find((code) => code in TLS_PROBLEMS) ?? codes.find((code) => /CERT|SSL|TLS/.test(code));
  if (tls) {
    const problem = TLS_PROBLEMS[tls] ?? messages[messages.length - 1] ?? 'handshake failed';
    return { kind: 'tls', code: tls, message: `TLS error with ${host}: ${problem} (${tls})` };
  }
  let code = has('ECONNREFUSED');
  if (code) return { kind: 'refused', code, message: `connection refused by ${host} (nothing listening)` };
  code = has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL');
  if (code) return { kind: 'dns', code, message: `DNS lookup failed for ${host} (${code})` };
  code = has('UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT');
  if (code)
    return { kind: 'timeout-connect', code, message: `could not connect to ${host} within ${seconds}` };
  code = has('UND_ERR_HEADERS_TIMEOUT');
  if (code)
    return { kind: 'timeout-headers', code, message: `no response headers from ${host} within ${seconds}` };
  code = has('UND_ERR_BODY_TIMEOUT');
  if (code)
    return {
      kind: 'timeout-body',
      code,
      message: `response body from ${host} not complete within ${seconds}`,
    };
  code = has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED');
  if (code) {
    const when = phase === 'body' ? 'in the middle of the response body' : 'before the response headers';
    return { kind: 'reset', code, message: `connection reset by ${host} ${when} (${code})` };
  }
  const detail = messages[messages.length - 1] ?? String(error);
  return {
    kind: 'network',
    ...(codes[0] ? { code: codes[0] } : {}),
    message: `request to ${host} failed: ${detail}`,
  };
}

/** The failure for our own whole-request deadline, which also covers a body that trickles in. */
export function timeoutFailure(host: string, phase: RequestPhase, timeoutMs: number): ProbeFailure {
  const seconds = `${Math.round(timeoutMs / 100) / 10}s`;
  return phase === 'headers'
    ? { kind: 'timeout-headers', message: `no response headers from ${host} within ${seconds}` }
    : { kind: 'timeout-body', message: `response body from ${host} not complete within ${seconds}` };
}
