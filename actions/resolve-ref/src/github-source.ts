import { type GithubClient, tagCommit } from '@gatehouse/github-client';
import type { RefSource } from './lookup';

/** Refs looked up through the GitHub REST API (commits, branches and git refs endpoints). */
export function githubSource(github: GithubClient): RefSource {
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
    tag: (name) => tagCommit(github, name),
  };
}
