import { ConfigurationError } from '@gatehouse/action-kit';
import { globMatches } from '@gatehouse/github-client/ref-glob';
import { parseRefRequest, type RefRequest, type ResolvedRef } from './ref-request';

export type Source = 'push' | 'release' | 'input' | 'dispatch-branch' | 'protected-default' | 'event';

export interface RunContext {
  eventName: string;
  payload: Record<string, unknown>;
  /** GITHUB_REF, GITHUB_REF_NAME and GITHUB_SHA of the run. */
  githubRef: string;
  githubRefName: string;
  githubSha: string;
}

export interface DecideSettings {
  inputRef: string | undefined;
  environment: string;
  defaultBranch: string | undefined;
  protectedEnvironments: string[];
  allowedEvents: string[];
}

/** Either the run already names the commit, or a ref must be looked up. */
export type Decision = { source: Source; notes: string[] } & (
  | { kind: 'resolved'; resolved: ResolvedRef }
  | { kind: 'lookup'; request: RefRequest }
);

const FULL_SHA = /^[0-9a-f]{40}$/;

/**
 * The rules that pick what to deploy. Pure: everything it needs is passed in, so each rule is a
 * unit test. The one rule that matters most: a push deploys the commit that was pushed, never a
 * branch tip looked up later.
 */
export function decide(context: RunContext, settings: DecideSettings): Decision {
  const { eventName, payload } = context;
  if (!settings.allowedEvents.includes(eventName)) {
    throw new ConfigurationError(
      `Event '${eventName}' is not in allowed-events (${settings.allowedEvents.join(', ')}). ` +
        'Add it to allowed-events if deploying on this event is intended.',
    );
  }
  // Validated up front even when the event ignores it, so a bad value never passes silently.
  const request = settings.inputRef === undefined ? undefined : parseRefRequest(settings.inputRef);
  const notes: string[] = [];

  if (eventName === 'push') {
    if (payload.deleted === true) {
      throw new ConfigurationError(`This push deleted ${String(payload.ref)}; there is no commit to deploy.`);
    }
    if (request)
      notes.push(`Input 'ref' (${settings.inputRef}) is ignored on push: the pushed commit is deployed.`);
    const sha = typeof payload.after === 'string' ? payload.after : context.githubSha;
    const ref = typeof payload.ref === 'string' ? payload.ref : context.githubRef;
    return {
      kind: 'resolved',
      source: 'push',
      notes,
      resolved: { ref, sha: checkSha(sha, 'the push event') },
    };
  }

  if (eventName === 'release') {
    if (request)
      notes.push(`Input 'ref' (${settings.inputRef}) is ignored on release: the release's tag is deployed.`);
    const release = payload.release as { tag_name?: unknown } | undefined;
    const tag = typeof release?.tag_name === 'string' ? release.tag_name : undefined;
    if (!tag) throw new ConfigurationError('The release event payload has no release.tag_name.');
    const ref = `refs/tags/${tag}`;
    // GITHUB_SHA of a release event is the tagged commit; if the run's ref is not the tag, look it up.
    if (context.githubRef === ref) {
      return {
        kind: 'resolved',
        source: 'release',
        notes,
        resolved: { ref, sha: checkSha(context.githubSha, 'GITHUB_SHA') },
      };
    }
    return { kind: 'lookup', source: 'release', notes, request: { kind: 'tag', name: tag } };
  }

  // workflow_dispatch, and any other event the author allowed.
  if (request) return { kind: 'lookup', source: 'input', notes, request };

  if (settings.protectedEnvironments.includes(settings.environment)) {
    const branch = settings.defaultBranch ?? defaultBranchOf(payload) ?? 'main';
    notes.push(
      `Environment '${settings.environment}' is protected and no ref was given: deploying the default branch '${branch}'.`,
    );
    if (context.githubRef === `refs/heads/${branch}`) {
      const resolved = { ref: context.githubRef, sha: checkSha(context.githubSha, 'GITHUB_SHA') };
      return { kind: 'resolved', source: 'protected-default', notes, resolved };
    }
    return { kind: 'lookup', source: 'protected-default', notes, request: { kind: 'branch', name: branch } };
  }

  if (!/^refs\/(heads|tags)\/./.test(context.githubRef)) {
    throw new ConfigurationError(
      `No ref was given and the run's ref '${context.githubRef}' is not a branch or tag; pass input 'ref'.`,
    );
  }
  const source: Source = eventName === 'workflow_dispatch' ? 'dispatch-branch' : 'event';
  return {
    kind: 'resolved',
    source,
    notes,
    resolved: { ref: context.githubRef, sha: checkSha(context.githubSha, 'GITHUB_SHA') },
  };
}

function defaultBranchOf(payload: Record<string, unknown>): string | undefined {
  const repository = payload.repository as { default_branch?: unknown } | undefined;
  return typeof repository?.default_branch === 'string' && repository.default_branch !== ''
    ? repository.default_branch
    : undefined;
}

function checkSha(sha: string, where: string): string {
  if (!FULL_SHA.test(sha) || /^0+$/.test(sha)) {
    throw new ConfigurationError(`${where} does not name a commit (got '${sha}').`);
  }
  return sha;
}

export function checkAllowedRef(ref: string, allowedRefs: string[], environment: string): void {
  if (allowedRefs.length === 0) return;
  if (allowedRefs.some((glob) => globMatches(glob, ref))) return;
  const what = FULL_SHA.test(ref) ? `the bare commit ${ref} (not a branch or tag)` : `'${ref}'`;
  throw new ConfigurationError(
    `Input 'allowed-refs' does not allow ${what} to be deployed to '${environment}'; allowed: ${allowedRefs.join(', ')}.`,
  );
}

/** `origin/<branch>` for a branch, the tag name for a tag, the SHA for a bare commit. */
export function remoteRefOf(ref: string): string {
  if (ref.startsWith('refs/heads/')) return `origin/${ref.slice('refs/heads/'.length)}`;
  if (ref.startsWith('refs/tags/')) return ref.slice('refs/tags/'.length);
  return ref;
}

export function refNameOf(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}
