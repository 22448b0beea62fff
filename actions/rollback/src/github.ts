import { createGithubClient, findSuccessfulDeployment } from '@gatehouse/github-client';

/** The GitHub API questions rollback may ask: only when `to` needs them. */
export interface GithubLookups {
  /**
   * The environment's newest deployment with a `success` status, skipping `excludeSha` (the
   * version being rolled back from). Undefined when there is none.
   */
  lastSuccessful(
    environment: string,
    excludeSha?: string,
  ): Promise<{ sha: string; imageTag?: string; ref?: string } | undefined>;
  /** The commit a ref names (branch, tag or SHA prefix). */
  commitOf(ref: string): Promise<string | undefined>;
}

export async function githubLookups(options: {
  token: string;
  repository: string;
  apiUrl: string;
}): Promise<GithubLookups> {
  const github = await createGithubClient(options);
  return {
    async lastSuccessful(environment, excludeSha) {
      const { found } = await findSuccessfulDeployment(github, { environment, excludeSha });
      if (!found) return undefined;
      const payload = (
        typeof found.payload === 'object' && found.payload !== null ? found.payload : {}
      ) as Record<string, unknown>;
      const tag = payload['image-tag'];
      const ref = payload.ref;
      return {
        sha: found.sha,
        ...(typeof tag === 'string' && tag !== '' ? { imageTag: tag } : {}),
        ...(typeof ref === 'string' && ref !== '' ? { ref } : {}),
      };
    },
    async commitOf(ref) {
      const commit = await github.get<{ sha: string }>(
        '/repos/{owner}/{repo}/commits/{ref}',
        { ref },
        { missingOn422: true },
      );
      return commit?.sha;
    },
  };
}
