import { type ActionsStore, digest, type StoredArtifact, type StoredRun } from '../actions';
import { basicError, nodeId, repository, type Urls, user } from '../bodies';
import { type Handler, notFound, page } from '../reply';
import type { StubRepository } from '../repository';

/** Workflow runs and artifacts (docs: REST "Workflow runs" → get a run; "Artifacts" → list, download). */
export function actionsHandlers(repo: StubRepository, store: ActionsStore): Record<string, Handler> {
  const api = (urls: Urls) => `${urls.api}/repos/${repo.fullName}`;

  const repositoryOf = (urls: Urls, fullName: string, id: number) =>
    repository(urls, {
      fullName,
      id,
      owner:
        fullName === repo.fullName
          ? repo.owner
          : { login: fullName.split('/')[0]!, id: id + 1, type: 'User' },
    });

  const runBody = (urls: Urls, run: StoredRun) => {
    const base = `${api(urls)}/actions/runs/${run.id}`;
    const info = repo.commitInfo(run.head_sha);
    const actor = user(urls, { ...run.actor, type: run.actor.login.endsWith('[bot]') ? 'Bot' : 'User' });
    return {
      id: run.id,
      name: run.name,
      node_id: nodeId('WorkflowRun', run.id),
      head_branch: run.head_branch,
      head_sha: run.head_sha,
      path: run.path,
      display_title: run.display_title,
      run_number: run.run_number,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: run.workflow_id,
      check_suite_id: 40_000_000 + run.run_number,
      check_suite_node_id: nodeId('CheckSuite', 40_000_000 + run.run_number),
      url: base,
      html_url: `${urls.html}/${repo.fullName}/actions/runs/${run.id}`,
      pull_requests: [],
      created_at: run.created_at,
      updated_at: run.updated_at,
      actor,
      triggering_actor: actor,
      run_attempt: run.run_attempt,
      referenced_workflows: [],
      run_started_at: run.created_at,
      jobs_url: `${base}/jobs`,
      logs_url: `${base}/logs`,
      check_suite_url: `${api(urls)}/check-suites/${40_000_000 + run.run_number}`,
      artifacts_url: `${base}/artifacts`,
      cancel_url: `${base}/cancel`,
      rerun_url: `${base}/rerun`,
      previous_attempt_url: run.run_attempt > 1 ? `${base}/attempts/${run.run_attempt - 1}` : null,
      workflow_url: `${api(urls)}/actions/workflows/${run.workflow_id}`,
      head_commit: {
        id: run.head_sha,
        tree_id: info.tree,
        message: info.message,
        timestamp: info.author.date,
        author: { name: info.author.name, email: info.author.email },
        committer: { name: info.author.name, email: info.author.email },
      },
      repository: repositoryOf(urls, repo.fullName, repo.id),
      head_repository: repositoryOf(urls, run.head_repository.full_name, run.head_repository.id),
      head_repository_id: run.head_repository.id,
    };
  };

  const artifactBody = (urls: Urls, artifact: StoredArtifact) => {
    const run = store.run(artifact.run_id)!;
    return {
      id: artifact.id,
      node_id: nodeId('Artifact', artifact.id),
      name: artifact.name,
      size_in_bytes: artifact.zip.length,
      url: `${api(urls)}/actions/artifacts/${artifact.id}`,
      archive_download_url: `${api(urls)}/actions/artifacts/${artifact.id}/zip`,
      expired: artifact.expired,
      created_at: artifact.created_at,
      updated_at: artifact.created_at,
      expires_at: artifact.expires_at,
      digest: digest(artifact.zip),
      workflow_run: {
        id: run.id,
        repository_id: repo.id,
        head_repository_id: run.head_repository.id,
        head_branch: run.head_branch,
        head_sha: run.head_sha,
      },
    };
  };

  // Newest first, as GitHub lists artifacts; `name` is an exact match.
  const listArtifacts = (urls: Urls, query: URLSearchParams, selfPath: string, runId?: number) => {
    const name = query.get('name');
    const list = store.artifacts
      .filter((a) => (runId === undefined || a.run_id === runId) && (name === null || a.name === name))
      .reverse()
      .map((a) => artifactBody(urls, a));
    return page(list, query, `${urls.api}${selfPath}?${query}`, (artifacts, total) => ({
      total_count: total,
      artifacts,
    }));
  };

  return {
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}': ({ params, urls }) => {
      const run = store.run(params.run_id!);
      return run ? { status: 200, body: runBody(urls, run) } : notFound();
    },
    'GET /repos/{owner}/{repo}/actions/artifacts': ({ query, urls }) =>
      listArtifacts(urls, query, `/repos/${repo.fullName}/actions/artifacts`),
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts': ({ params, query, urls }) => {
      const run = store.run(params.run_id!);
      if (!run) return notFound();
      return listArtifacts(urls, query, `/repos/${repo.fullName}/actions/runs/${run.id}/artifacts`, run.id);
    },
    'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}': ({ params, urls }) => {
      const artifact = store.artifact(params.artifact_id!);
      if (!artifact || params.archive_format !== 'zip') return notFound();
      if (artifact.expired) return { status: 410, body: basicError(410, 'Artifact has expired') };
      // GitHub answers with a short-lived, pre-signed URL on its blob storage; this stub serves the zip itself.
      return {
        status: 302,
        headers: { location: `${urls.api}/_stub/artifacts/${artifact.id}/${artifact.downloadKey}.zip` },
      };
    },
  };
}
