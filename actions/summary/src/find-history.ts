import { errorMessage } from '@gatehouse/action-kit';
import {
  createGithubClient,
  findTrustedHistory,
  historyArtifactName,
  RunChecker,
  runOrigin,
  trustRules,
} from '@gatehouse/github-client';
import type { Restored } from './restore-history';

/**
 * The search for the newest trusted history artifact, through the Actions API. Every failure
 * becomes `failed` with its reason: the deploy's own result must never depend on its history.
 */
export async function restoreHistory(options: {
  token: string;
  repository: string;
  apiUrl: string;
  trust: { workflows: string[]; refs: string[] };
  env: NodeJS.ProcessEnv;
  environment: string;
  fileName: string;
}): Promise<Restored> {
  const artifactName = historyArtifactName(options.environment);
  try {
    const rules = trustRules(options.trust, runOrigin(options.env), "input 'restore-history'");
    const github = await createGithubClient(options);
    const search = await findTrustedHistory(
      github,
      new RunChecker(github, rules),
      options.environment,
      options.fileName,
    );
    const passedOver = search.skipped.map(({ artifact, why, untrusted }) => ({
      artifactId: artifact.id,
      ...(artifact.workflow_run?.id === undefined ? {} : { runId: artifact.workflow_run.id }),
      why,
      untrusted,
    }));
    if (search.found) {
      const { artifact, run, text } = search.found;
      return {
        kind: 'restored',
        text,
        artifact: { id: artifact.id, name: artifact.name },
        run: { id: run.run.id, path: run.run.path, ref: run.ref },
        passedOver,
      };
    }
    if (search.exhausted) {
      return {
        kind: 'failed',
        why: `no ${artifactName} artifact from a trusted run among the newest ones looked at (${passedOver.length} passed over).`,
      };
    }
    return { kind: 'none', artifactName, passedOver };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const hint = status === 403 ? ' The job needs permissions: actions: read.' : '';
    return { kind: 'failed', why: `could not look for ${artifactName}: ${errorMessage(error)}${hint}` };
  }
}
