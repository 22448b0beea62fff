import { readFileSync } from 'node:fs';
import { ConfigurationError, runMain } from '@gatehouse/action-kit';
import { type RunContext, runContext } from '@gatehouse/action-kit/run-context';
import { lookupIn } from './lookup';
import { type Deps, run as runWith } from './run';
import { readSettings, type Settings } from './settings';

/** resolve-ref: which immutable commit to deploy, and why. Importing this module does nothing. */
export async function run(): Promise<void> {
  await runMain(async () => {
    const settings = readSettings();
    await runWith(settings, deps(settings, runContext()));
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

function deps(settings: Settings, run: RunContext): Deps {
  const { token, trustedWorkflows, trustedRefs } = settings;
  // The API client module is imported only on the paths that call the API.
  const github = async () => {
    const { createGithubClient } = await import('@gatehouse/github-client');
    return createGithubClient({ token: token ?? '', repository: run.repository, apiUrl: run.apiUrl });
  };
  return {
    context: {
      eventName: run.eventName ?? '',
      payload: readEvent(run.eventPath),
      githubRef: run.ref ?? '',
      githubRefName: run.refName ?? '',
      githubSha: run.sha ?? '',
    },
    lookup: async () => {
      if (token) {
        const { githubSource } = await import('./github-source');
        return lookupIn(githubSource(await github()));
      }
      const { gitSource } = await import('./git-source');
      const source = run.workspace ? await gitSource(run.workspace) : undefined;
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
        runOrigin(process.env),
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
          ownRunId: run.runId,
        },
        { read: (commit) => readCommitChecks(client, commit), clock: realClock },
      );
    },
  };
}
