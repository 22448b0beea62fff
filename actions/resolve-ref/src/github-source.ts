import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import type { RefSource } from './lookup';

interface RequestError {
  status?: number;
  message?: string;
}

const RETRY_DELAYS_MS = [500, 1500];

/**
 * Refs looked up through the GitHub REST API at GITHUB_API_URL. The client is imported here, on
 * the one path that needs it, so a push event never loads it (see bench/cold-start).
 */
export async function githubSource(options: {
  token: string;
  repository: string;
  apiUrl: string;
  sleep?: (ms: number) => Promise<void>;
}): Promise<RefSource> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, { baseUrl: options.apiUrl });
  const [owner, repo] = options.repository.split('/');
  if (!owner || !repo)
    throw new ConfigurationError(`GITHUB_REPOSITORY '${options.repository}' is not owner/name.`);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  /** One GET, retried on 5xx and network errors; undefined on 404 (and 422: "no commit found"). */
  const get = async <T>(route: string, params: Record<string, string>): Promise<T | undefined> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await octokit.request(`GET ${route}`, { owner, repo, ...params });
        return response.data as T;
      } catch (error) {
        const status = (error as RequestError).status;
        if (status === 404 || status === 422) return undefined;
        const where = `GET ${route.replace('{owner}/{repo}', options.repository)} (${Object.values(params).join(', ')})`;
        if (status === 401) {
          throw new ConfigurationError(
            `The GitHub API rejected input 'token' (401 Bad credentials) for ${where}.`,
          );
        }
        if (status === 403) {
          throw new ActionFailure(
            `The GitHub API refused ${where} (403): ${(error as RequestError).message ?? ''}. ` +
              'The token may lack contents: read, or the rate limit was hit.',
          );
        }
        const retryable = status === undefined || status >= 500;
        const delay = RETRY_DELAYS_MS[attempt];
        if (!retryable || delay === undefined) {
          throw new ActionFailure(
            `The GitHub API failed ${where} after ${attempt + 1} attempt(s): ${status ?? 'no answer'} ${(error as RequestError).message ?? ''}`.trim(),
          );
        }
        await sleep(delay);
      }
    }
  };

  /** An annotated tag points at a tag object; follow it to the commit. */
  const peel = async (object: { type: string; sha: string }): Promise<string | undefined> => {
    let current = object;
    for (let depth = 0; current.type === 'tag' && depth < 5; depth++) {
      const tag = await get<{ object: { type: string; sha: string } }>(
        '/repos/{owner}/{repo}/git/tags/{tag_sha}',
        {
          tag_sha: current.sha,
        },
      );
      if (!tag) return undefined;
      current = tag.object;
    }
    return current.type === 'commit' ? current.sha : undefined;
  };

  return {
    name: `the GitHub repository ${options.repository}`,
    commit: async (sha) =>
      (await get<{ sha: string }>('/repos/{owner}/{repo}/commits/{ref}', { ref: sha }))?.sha,
    branch: async (name) =>
      (await get<{ commit: { sha: string } }>('/repos/{owner}/{repo}/branches/{branch}', { branch: name }))
        ?.commit.sha,
    tag: async (name) => {
      const ref = await get<{ object: { type: string; sha: string } }>(
        '/repos/{owner}/{repo}/git/ref/{ref}',
        {
          ref: `tags/${name}`,
        },
      );
      return ref ? peel(ref.object) : undefined;
    },
  };
}
