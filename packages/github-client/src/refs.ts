import type { GithubClient } from './index';

type GitObject = { type: string; sha: string };

/** The commit a tag names, following annotated tag objects; undefined when there is no such tag. */
export async function tagCommit(github: GithubClient, name: string): Promise<string | undefined> {
  const ref = await github.get<{ object: GitObject }>('/repos/{owner}/{repo}/git/ref/{ref}', {
    ref: `tags/${name}`,
  });
  if (!ref) return undefined;
  let current = ref.object;
  // A tag may point at a tag object, which points at the commit (or, rarely, at another tag).
  for (let depth = 0; current.type === 'tag' && depth < 5; depth++) {
    const tag = await github.get<{ object: GitObject }>('/repos/{owner}/{repo}/git/tags/{tag_sha}', {
      tag_sha: current.sha,
    });
    if (!tag) return undefined;
    current = tag.object;
  }
  return current.type === 'commit' ? current.sha : undefined;
}
