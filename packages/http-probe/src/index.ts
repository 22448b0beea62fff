export { excerpt } from './excerpt';
export { classifyError, type FailureKind, type ProbeFailure } from './failure';
export { checkHeaders } from './headers';
export { parseJson, readJsonPath, scalarText } from './json-path';
export {
  type Attempt,
  type Clock,
  FIRST_RETRY_MS,
  type PollOptions,
  type PollOutcome,
  pollAll,
  pollUntil,
  realClock,
  retryDelay,
} from './poll';
export {
  createProber,
  DEFAULT_MAX_BODY_BYTES,
  type Hop,
  type ProbeResponse,
  type ProbeResult,
  type Prober,
  type ProberOptions,
} from './prober';
export { type ProbeRequest, planRedirect, REDIRECT_MODES, type RedirectMode } from './redirect';
export { formatChain } from './report';
export { sameCommit } from './served-commit';
