import { actionsApp, nodeId, repository, type Urls } from '../bodies';
import type { ChecksStore, StoredCheckRun, StoredCommitStatus } from '../checks';
import { type Handler, invalid, notFound, page } from '../reply';
import type { StubRepository } from '../repository';

/** Check runs and the combined status of a commit (docs: REST "Check runs" → list for a ref; "Commit statuses"). */
export function checksHandlers(repo: StubRepository, store: ChecksStore): Record<string, Handler> {
  const api = (urls: Urls) => `${urls.api}/repos/${repo.fullName}`;
  const resolve = (ref: string) => repo.resolveCommit(ref);
  const unknownRef = (ref: string) =>
    /^[0-9a-f]{4,40}$/i.test(ref)
      ? invalid(`No commit found for SHA: ${ref}`)
      : notFound('No commit found for the ref');

  const appBody = (urls: Urls, run: StoredCheckRun) => {
    const actions = actionsApp(urls);
    if (!run.app) return actions;
    return {
      ...actions,
      id: run.app.id,
      slug: run.app.slug,
      name: run.app.name,
      node_id: nodeId('App', run.app.id),
      html_url: `${urls.html}/apps/${run.app.slug}`,
    };
  };

  const checkRunBody = (urls: Urls, run: StoredCheckRun) => ({
    id: run.id,
    head_sha: run.head_sha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.external_id,
    url: `${api(urls)}/check-runs/${run.id}`,
    html_url: `${urls.html}/${repo.fullName}/runs/${run.id}`,
    details_url: run.details_url,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.started_at,
    completed_at: run.completed_at,
    output: {
      ...run.output,
      annotations_count: 0,
      annotations_url: `${api(urls)}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.check_suite_id },
    app: appBody(urls, run),
    pull_requests: [],
  });

  const statusBody = (urls: Urls, status: StoredCommitStatus) => ({
    url: `${api(urls)}/statuses/${status.sha}`,
    avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
    id: status.id,
    node_id: nodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.target_url,
    context: status.context,
    created_at: status.created_at,
    updated_at: status.updated_at,
  });

  return {
    'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': ({ params, query, urls }) => {
      const sha = resolve(params.ref!);
      if (!sha) return unknownRef(params.ref!);
      const name = query.get('check_name');
      const status = query.get('status');
      const appId = query.get('app_id');
      const filter = query.get('filter') ?? 'latest';
      if (filter !== 'latest' && filter !== 'all') {
        return invalid('Validation Failed', [{ resource: 'CheckRun', field: 'filter', code: 'invalid' }]);
      }
      let runs = store.checkRuns.filter(
        (run) =>
          run.head_sha === sha &&
          (name === null || run.name === name) &&
          (appId === null || String(run.app?.id ?? 15368) === appId),
      );
      if (filter === 'latest') {
        // The most recent run of each check (per app and name), as GitHub's `filter=latest`.
        const newest = new Map<string, StoredCheckRun>();
        for (const run of runs) {
          const key = `${run.app?.id ?? 15368}:${run.name}`;
          if (!newest.has(key) || newest.get(key)!.id < run.id) newest.set(key, run);
        }
        runs = [...newest.values()];
      }
      if (status !== null) runs = runs.filter((run) => run.status === status);
      runs.sort((a, b) => b.id - a.id);
      const reply = page(
        runs,
        query,
        `${api(urls)}/commits/${params.ref}/check-runs?${query}`,
        (slice, total) => ({
          total_count: total,
          check_runs: slice.map((run) => checkRunBody(urls, run)),
        }),
      );
      store.advance(
        (reply.body as { check_runs: { id: number }[] }).check_runs.map(
          (r) => store.checkRuns.find((c) => c.id === r.id)!,
        ),
      );
      return reply;
    },
    'GET /repos/{owner}/{repo}/commits/{ref}/status': ({ params, query, urls }) => {
      const sha = resolve(params.ref!);
      if (!sha) return unknownRef(params.ref!);
      // The latest status of each context, newest first.
      const latest = new Map<string, StoredCommitStatus>();
      for (const status of store.statuses.filter((s) => s.sha === sha)) latest.set(status.context, status);
      const statuses = [...latest.values()].sort((a, b) => b.id - a.id);
      const states = statuses.map((s) => s.state);
      const state = states.some((s) => s === 'error' || s === 'failure')
        ? 'failure'
        : states.length === 0 || states.includes('pending')
          ? 'pending'
          : 'success';
      return page(statuses, query, `${api(urls)}/commits/${params.ref}/status?${query}`, (slice, total) => ({
        state,
        statuses: slice.map((s) => statusBody(urls, s)),
        sha,
        total_count: total,
        repository: repository(urls, repo),
        commit_url: `${api(urls)}/commits/${sha}`,
        url: `${api(urls)}/commits/${sha}/status`,
      }));
    },
  };
}
