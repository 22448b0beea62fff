import { ConfigurationError } from '@gatehouse/action-kit';

/** What a person asked to deploy, classified before any API call. */
export type RefRequest =
  | { kind: 'sha'; sha: string }
  | { kind: 'branch'; name: string }
  | { kind: 'tag'; name: string }
  /** A bare name: a branch or a tag; the resolver finds out which. */
  | { kind: 'name'; name: string };

const MAX_LENGTH = 255;
const SHA = /^[0-9a-f]{7,40}$/i;
// Characters git refuses in a ref (see `git check-ref-format`).
const GIT_FORBIDDEN = /[~^:?*[\\]/;
// Characters a shell gives meaning to. Git allows some of these, but none belongs in a deploy ref,
// and refusing them here means a ref can never be code on a host.
const SHELL_META = /[$`;&|<>()'"!#{}]/;

/**
 * Validates a requested ref with git's own rules and our stricter ones, naming the input and the
 * exact rule broken, so a bad value fails before anything reaches an API, a shell or a host.
 */
export function parseRefRequest(value: string, inputName = 'ref'): RefRequest {
  const reject = (why: string): never => {
    throw new ConfigurationError(
      `Input '${inputName}' is not a valid ref (${why}): ${JSON.stringify(value)}`,
    );
  };
  if (value.length > MAX_LENGTH) reject(`longer than ${MAX_LENGTH} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
  if (/[\x00-\x1f\x7f]/.test(value)) reject('contains a control character');
  if (/\s/.test(value)) reject('contains whitespace');
  if (value.includes('@{')) reject("contains '@{'");
  const shell = SHELL_META.exec(value);
  if (shell) reject(`contains the shell metacharacter '${shell[0]}'`);
  const forbidden = GIT_FORBIDDEN.exec(value);
  if (forbidden) reject(`contains '${forbidden[0]}', which git does not allow in a ref`);
  if (value.includes('..')) reject("contains '..'");
  if (value === '@') reject("is '@'");
  if (value.startsWith('-')) reject("starts with '-'");
  if (value.startsWith('/')) reject("starts with '/'");
  if (value.endsWith('/')) reject("ends with '/'");
  if (value.endsWith('.')) reject("ends with '.'");
  if (value.includes('//')) reject("contains '//'");
  for (const part of value.split('/')) {
    if (part.startsWith('.')) reject("has a path component starting with '.'");
    if (part.endsWith('.lock')) reject("has a path component ending in '.lock'");
  }

  if (SHA.test(value)) return { kind: 'sha', sha: value.toLowerCase() };
  const under = (prefix: string) => (value.startsWith(prefix) ? value.slice(prefix.length) : undefined);
  const branch = under('refs/heads/') ?? under('origin/') ?? under('refs/remotes/origin/');
  if (branch !== undefined) return branch ? { kind: 'branch', name: branch } : reject('names no branch');
  const tag = under('refs/tags/');
  if (tag !== undefined) return tag ? { kind: 'tag', name: tag } : reject('names no tag');
  if (value.startsWith('refs/')) reject('only refs/heads/… and refs/tags/… can be deployed');
  return { kind: 'name', name: value };
}

export function describeRequest(request: RefRequest): string {
  switch (request.kind) {
    case 'sha':
      return `commit ${request.sha}`;
    case 'branch':
      return `branch '${request.name}'`;
    case 'tag':
      return `tag '${request.name}'`;
    case 'name':
      return `'${request.name}' (branch or tag)`;
  }
}

/** A resolved ref: the full ref name (or the SHA itself for a bare commit) and its commit. */
export interface ResolvedRef {
  ref: string;
  sha: string;
}

/** Turns a request into a commit; implemented by the GitHub API and by local git. */
export type RefLookup = (request: RefRequest) => Promise<ResolvedRef>;
