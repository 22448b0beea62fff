import {
  DEPLOYMENT_STATES,
  type StoredDeployment,
  type StoredStatus,
  type StubRepository,
} from './repository';

/** What a handler sees of a request, and what it answers. */
export interface StubRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  baseUrl: string;
}

export interface StubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: StubRequest) => StubReply;

const notFound: StubReply = {
  status: 404,
  body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
};

function invalid(message: string): StubReply {
  return { status: 422, body: { message, documentation_url: 'https://docs.github.com/rest' } };
}

function commitBody(repo: StubRepository, base: string, sha: string) {
  return {
    sha,
    url: `${base}/repos/${repo.fullName}/commits/${sha}`,
    commit: {
      message: `commit ${sha.slice(0, 7)}`,
      tree: { sha: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' },
    },
  };
}

function deploymentBody(repo: StubRepository, base: string, d: StoredDeployment) {
  const { statuses: _statuses, ...fields } = d;
  return {
    ...fields,
    url: `${base}/repos/${repo.fullName}/deployments/${d.id}`,
    statuses_url: `${base}/repos/${repo.fullName}/deployments/${d.id}/statuses`,
    updated_at: d.statuses.at(-1)?.created_at ?? d.created_at,
  };
}

function statusBody(repo: StubRepository, base: string, d: StoredDeployment, s: StoredStatus) {
  return {
    ...s,
    url: `${base}/repos/${repo.fullName}/deployments/${d.id}/statuses/${s.id}`,
    deployment_url: `${base}/repos/${repo.fullName}/deployments/${d.id}`,
  };
}

/** One page of a list, with the `Link` header GitHub (and Octokit's paginate) uses. */
function page<T>(items: T[], query: URLSearchParams, selfUrl: string): StubReply {
  const perPage = Math.min(Number(query.get('per_page') ?? 30) || 30, 100);
  const number = Math.max(Number(query.get('page') ?? 1) || 1, 1);
  const slice = items.slice((number - 1) * perPage, number * perPage);
  const headers: Record<string, string> = {};
  if (number * perPage < items.length) {
    const next = new URL(selfUrl);
    next.searchParams.set('page', String(number + 1));
    next.searchParams.set('per_page', String(perPage));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return { status: 200, body: slice, headers };
}

function record(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : {};
}

/** The routes a stub answers, keyed as GitHub's documentation names them. */
export function handlers(repo: StubRepository): Record<string, Handler> {
  const findDeployment = (id: string) => repo.deployments.find((d) => String(d.id) === id);
  return {
    'GET /repos/{owner}/{repo}/commits/{ref}': ({ params, baseUrl }) => {
      const sha = repo.resolveCommit(params.ref!);
      if (sha) return { status: 200, body: commitBody(repo, baseUrl, sha) };
      return /^[0-9a-f]{4,40}$/i.test(params.ref!)
        ? invalid(`No commit found for SHA: ${params.ref}`)
        : notFound;
    },
    'GET /repos/{owner}/{repo}/branches/{branch}': ({ params, baseUrl }) => {
      const sha = repo.branches[params.branch!];
      if (!sha) return { status: 404, body: { message: 'Branch not found' } };
      return {
        status: 200,
        body: { name: params.branch, commit: commitBody(repo, baseUrl, sha), protected: false },
      };
    },
    'GET /repos/{owner}/{repo}/git/ref/{ref}': ({ params, baseUrl }) => {
      const tagName = params.ref!.startsWith('tags/') ? params.ref!.slice('tags/'.length) : undefined;
      const branchName = params.ref!.startsWith('heads/') ? params.ref!.slice('heads/'.length) : undefined;
      const tag = tagName === undefined ? undefined : repo.tags[tagName];
      const object = tag
        ? tag.annotated
          ? { type: 'tag', sha: tag.annotated }
          : { type: 'commit', sha: tag.commit }
        : branchName !== undefined && repo.branches[branchName]
          ? { type: 'commit', sha: repo.branches[branchName] }
          : undefined;
      if (!object) return notFound;
      return {
        status: 200,
        body: {
          ref: `refs/${params.ref}`,
          url: `${baseUrl}/repos/${repo.fullName}/git/refs/${params.ref}`,
          object,
        },
      };
    },
    'GET /repos/{owner}/{repo}/git/tags/{tag_sha}': ({ params }) => {
      const found = repo.tagObject(params.tag_sha!);
      if (!found) return notFound;
      return {
        status: 200,
        body: { sha: params.tag_sha, tag: found.name, object: { type: 'commit', sha: found.tag.commit } },
      };
    },
    'POST /repos/{owner}/{repo}/deployments': ({ body, baseUrl }) => {
      const fields = record(body);
      const ref = typeof fields.ref === 'string' ? fields.ref : undefined;
      if (!ref) return invalid('Invalid request. "ref" wasn\'t supplied.');
      const sha = /^[0-9a-f]{40}$/i.test(ref) ? ref.toLowerCase() : repo.resolveCommit(ref);
      if (!sha) return invalid(`No ref found for: ${ref}`);
      const deployment = repo.addDeployment({
        sha,
        ref,
        task: typeof fields.task === 'string' ? fields.task : 'deploy',
        environment: typeof fields.environment === 'string' ? fields.environment : 'production',
        description: typeof fields.description === 'string' ? fields.description : null,
        payload: fields.payload ?? {},
        auto_merge: fields.auto_merge !== false,
        required_contexts: Array.isArray(fields.required_contexts)
          ? (fields.required_contexts as string[])
          : undefined,
        transient_environment: fields.transient_environment === true,
        production_environment: fields.production_environment === true,
      });
      return { status: 201, body: deploymentBody(repo, baseUrl, deployment) };
    },
    'GET /repos/{owner}/{repo}/deployments': ({ query, baseUrl }) => {
      const matches = (name: string, value: string) => !query.has(name) || query.get(name) === value;
      const list = repo.deployments
        .filter(
          (d) => matches('environment', d.environment) && matches('sha', d.sha) && matches('ref', d.ref),
        )
        .filter((d) => matches('task', d.task))
        .reverse()
        .map((d) => deploymentBody(repo, baseUrl, d));
      return page(list, query, `${baseUrl}/repos/${repo.fullName}/deployments?${query}`);
    },
    'GET /repos/{owner}/{repo}/deployments/{deployment_id}': ({ params, baseUrl }) => {
      const deployment = findDeployment(params.deployment_id!);
      return deployment ? { status: 200, body: deploymentBody(repo, baseUrl, deployment) } : notFound;
    },
    'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ({ params, body, baseUrl }) => {
      const deployment = findDeployment(params.deployment_id!);
      if (!deployment) return notFound;
      const fields = record(body);
      const state = String(fields.state ?? '');
      if (!DEPLOYMENT_STATES.includes(state)) return invalid(`Invalid state: ${state}`);
      const description = typeof fields.description === 'string' ? fields.description : '';
      if ([...description].length > 140)
        return invalid('description is too long (maximum is 140 characters)');
      const status = repo.addStatus(
        deployment,
        {
          state,
          description,
          environment: typeof fields.environment === 'string' ? fields.environment : deployment.environment,
          environment_url: typeof fields.environment_url === 'string' ? fields.environment_url : '',
          log_url: typeof fields.log_url === 'string' ? fields.log_url : '',
        },
        fields.auto_inactive !== false,
      );
      return { status: 201, body: statusBody(repo, baseUrl, deployment, status) };
    },
    'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': ({ params, query, baseUrl }) => {
      const deployment = findDeployment(params.deployment_id!);
      if (!deployment) return notFound;
      const list = [...deployment.statuses].reverse().map((s) => statusBody(repo, baseUrl, deployment, s));
      return page(
        list,
        query,
        `${baseUrl}/repos/${repo.fullName}/deployments/${deployment.id}/statuses?${query}`,
      );
    },
  };
}
