/**
 * A commit as people read it: the first 7 characters, as GitHub shows it. Anything that is not a
 * hex SHA of 8 or more characters (an image tag, a short SHA already, a ref) comes back as it is.
 */
export function shortSha(sha: string): string;
export function shortSha(sha: string | undefined | null): string | undefined;
export function shortSha(sha: string | undefined | null): string | undefined {
  if (sha === undefined || sha === null || sha === '') return undefined;
  return /^[0-9a-f]{8,}$/i.test(sha) ? sha.slice(0, 7) : sha;
}
