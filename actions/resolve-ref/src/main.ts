import { readFileSync } from 'node:fs';
import { ConfigurationError, runMain } from '@gatehouse/action-kit';
import { lookupIn } from './lookup';
import { type Deps, run as runWith } from './run';
import { readSettings, type Settings } from './settings';

/** resolve-ref: which immutable commit to deploy, and why. Importing this module does nothing. */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    await runWith(settings, deps(settings, process.env));
  });
}

function readEvent(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigurationError(`Cannot read the event payload at GITHUB_EVENT_PATH: ${String(error)}`);
  }
}

function deps(settings: Settings, env: NodeJS.ProcessEnv): Deps {
  const { token, trustedWorkflows, trustedRefs } = settings;
  // The API client module is imported only on the paths that call the API.
  const github = async () => {
    const { createGithubClient } = await import('@gatehouse/github-client');
    const apiUrl = env.GITHUB_API_URL ?? 'https://api.github.com';
    return createGithubClient({ token: token ?? '', repository: env.GITHUB_REPOSITORY ?? '', apiUrl });
  };
  return {
    context: {
      eventName: env.GITHUB_EVENT_NAME ?? '',
      payload: readEvent(env.GITHUB_EVENT_PATH),
      githubRef: env.GITHUB_REF ?? '',
      githubRefName: env.GITHUB_REF_NAME ?? '',
      githubSha: env.GITHUB_SHA ?? '',
    },
    lookup: async () => {
      if (token) {
        const { githubSource } = await import('./github-source');
        return lookupIn(githubSource(await github()));
      }
      const { gitSource } = await import('./git-source');
      const source = env.GITHUB_WORKSPACE ? await gitSource(env.GITHUB_WORKSPACE) : undefined;
      if (!source) {
        throw new ConfigurationError(
          "Input 'token' is empty and GITHUB_WORKSPACE is not a git checkout, so the ref cannot be resolved. " +
            'Pass a token (the default is github.token) or run actions/checkout first.',
        );
      }
      return lookupIn(source);
    },
    requireSuccessfulDeployment: async (sha, environment) => {
      if (!token) {
        throw new ConfigurationError(
          "Input 'require-successful-deployment-in' needs input 'token' (deployments: read, actions: read).",
        );
      }
      const [{ requireSuccessfulDeployment }, { runOrigin, trustRules }] = await Promise.all([
        import('./promotion-guard'),
        import('@gatehouse/github-client'),
      ]);
      const rules = trustRules(
        { workflows: trustedWorkflows, refs: trustedRefs },
        runOrigin(env),
        "input 'require-successful-deployment-in'",
      );
      return requireSuccessfulDeployment(await github(), rules, sha, environment);
    },
    requireChecks: async (sha) => {
      if (!token) {
        throw new ConfigurationError(
          "Input 'require-checks' needs input 'token' (with checks: read and statuses: read).",
        );
      }
      const [{ requireChecks, realClock }, { readCommitChecks }] = await Promise.all([
        import('./checks-gate'),
        import('@gatehouse/github-client/commit-checks'),
      ]);
      const client = await github();
      return requireChecks(
        {
          sha,
          required: settings.requireChecks!,
          timeoutMs: settings.checksTimeoutMs,
          ownRunId: env.GITHUB_RUN_ID || undefined,
        },
        { read: (commit) => readCommitChecks(client, commit), clock: realClock },
      );
    },
  };
}
