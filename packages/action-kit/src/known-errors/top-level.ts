import { ActionFailure } from '../errors';
import { errorChain, networkProblem } from './network';

/** System codes that describe the runner's own state, not a bug and not the user's input. */
const RUNNER_STATE: Record<string, string> = {
  ENOSPC: "the runner's disk is full",
  EDQUOT: "the runner's disk quota is used up",
  EMFILE: 'the runner ran out of open files',
  ENOMEM: 'the runner ran out of memory',
};

/**
 * The last look `runMain` takes before calling an error a bug: what escaped the clients' own
 * tables (each client maps its errors where it knows the request) but is still recognisably not
 * Gatehouse's fault — a network failure, a full disk. Undefined means it is a bug.
 */
export function classifyKnownError(error: unknown): ActionFailure | undefined {
  const network = networkProblem(error);
  const { codes, messages } = errorChain(error);
  const detail = messages[0] ?? '';
  if (network) {
    return new ActionFailure(
      `A network request failed: ${network.text} (${network.code}): ${detail}. Check the URL and endpoint ` +
        'inputs of this step, and that the runner can reach them (proxy, firewall, DNS).',
    );
  }
  const { syscall, path } = (error ?? {}) as { syscall?: unknown; path?: unknown };
  if (codes[0] === 'ENOENT' && typeof syscall === 'string' && syscall.startsWith('spawn')) {
    return new ActionFailure(
      `'${String(path)}' is not installed on the runner (or not on its PATH): install it in a step before this one.`,
    );
  }
  const state = codes.find((code) => code in RUNNER_STATE);
  if (state) return new ActionFailure(`${capitalize(RUNNER_STATE[state]!)} (${state}): ${detail}`);
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
