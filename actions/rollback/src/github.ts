import {
  createGithubClient,
  describeRefusals,
  findVouchedDeployment,
  RunChecker,
  type RunOrigin,
  trustRules,
} from '@gatehouse/github-client';

/** The GitHub API questions rollback may ask: only when `to` needs them. */
export interface GithubLookups {
  /**
   * The environment's newest deployment with a `success` status that a trusted run made and
   * recorded, skipping `excludeSha` (the version being rolled back from). Without one, why each
   * candidate was passed over.
   */
  lastSuccessful(
    environment: string,
    excludeSha?: string,
  ): Promise<{ sha: string; imageTag?: string; ref?: string } | { refused: string }>;
  /** The commit a ref names (branch, tag or SHA prefix). */
  commitOf(ref: string): Promise<string | undefined>;
}

export async function githubLookups(options: {
  token: string;
  repository: string;
  apiUrl: string;
  /** Inputs trusted-workflows and trusted-refs, as read. */
  trust: { workflows: string[]; refs: string[] };
  origin: RunOrigin;
}): Promise<GithubLookups> {
  const github = await createGithubClient(options);
  return {
    async lastSuccessful(environment, excludeSha) {
      // The same rule as the promotion guard: a deployment anyone with deployments: write could
      // have made must not choose the version a rollback deploys.
      const rules = trustRules(options.trust, options.origin, "'to: last-successful'");
      const { found, refused } = await findVouchedDeployment(github, new RunChecker(github, rules), {
        environment,
        excludeSha,
      });
      if (!found) return { refused: describeRefusals(refused) };
      const payload = (
        typeof found.deployment.payload === 'object' && found.deployment.payload !== null
          ? found.deployment.payload
          : {}
      ) as Record<string, unknown>;
      const tag = payload['image-tag'];
      const ref = payload.ref;
      return {
        sha: found.deployment.sha,
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
