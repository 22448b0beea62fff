import type { GithubClient } from '@gatehouse/github-client';
import type { RefSource } from './lookup';

type GitObject = { type: string; sha: string };

/** Refs looked up through the GitHub REST API (commits, branches and git refs endpoints). */
export function githubSource(github: GithubClient): RefSource {
  /** An annotated tag points at a tag object; follow it to the commit. */
  const peel = async (object: GitObject): Promise<string | undefined> => {
    let current = object;
    for (let depth = 0; current.type === 'tag' && depth < 5; depth++) {
      const tag = await github.get<{ object: GitObject }>('/repos/{owner}/{repo}/git/tags/{tag_sha}', {
        tag_sha: current.sha,
      });
      if (!tag) return undefined;
      current = tag.object;
    }
    return current.type === 'commit' ? current.sha : undefined;
  };

  return {
    name: `the GitHub repository ${github.repository}`,
    // 422 is GitHub's answer for a SHA-shaped ref it has no commit for.
    commit: async (sha) =>
      (
        await github.get<{ sha: string }>(
          '/repos/{owner}/{repo}/commits/{ref}',
          { ref: sha },
          { missingOn422: true },
        )
      )?.sha,
    branch: async (name) =>
      (
        await github.get<{ commit: { sha: string } }>('/repos/{owner}/{repo}/branches/{branch}', {
          branch: name,
        })
      )?.commit.sha,
    tag: async (name) => {
      const ref = await github.get<{ object: GitObject }>('/repos/{owner}/{repo}/git/ref/{ref}', {
        ref: `tags/${name}`,
      });
      return ref ? peel(ref.object) : undefined;
    },
  };
}
