import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActionsStore,
  type ArtifactSeed,
  type StoredArtifact,
  type StoredRun,
  type WorkflowRunSeed,
} from './actions';
import { type Account, basicError } from './bodies';
import {
  type CheckRunSeed,
  type CheckRunStep,
  ChecksStore,
  type CommitStatusSeed,
  type StoredCheckRun,
  type StoredCommitStatus,
} from './checks';
import { handlers } from './handlers';
import type { Handler, StubReply } from './reply';
import {
  type CommitSeed,
  type DeploymentSeed,
  type StoredDeployment,
  StubRepository,
  type TagSpec,
} from './repository';
import { type CompiledRoute, compileRoute } from './routes';

/**
 * A local stand-in for the GitHub REST API on 127.0.0.1, for tests and the demo (never bundled).
 * It serves one repository from memory through a route table a test can program: every request
 * is recorded, any route can be made to answer with a given status (409, 403, 500…), and every
 * body follows GitHub's published OpenAPI description (test/openapi-conformance.test.ts checks).
 */
export interface GithubApiStubOptions {
  /** `owner/name`; requests for any other repository get 404. */
  repository: string;
  /** The repository's numeric id (artifacts and runs name it). Default 1296269. */
  repositoryId?: number;
  /** The token's account, creator of what the API creates. Default github-actions[bot], as a GITHUB_TOKEN. */
  actor?: Account;
  /** The web host for html_url fields. Default https://github.com. */
  serverUrl?: string;
  /** Branch name → commit SHA. */
  branches?: Record<string, string>;
  /** Tag name → commit SHA, or `{ commit, annotated }` for an annotated tag object. */
  tags?: Record<string, string | TagSpec>;
  /** Further commits that exist (branch and tag commits exist already), with a message and parents if wanted. */
  commits?: (string | CommitSeed)[];
  deployments?: DeploymentSeed[];
  /** Workflow runs (`GET actions/runs/{id}`); their head commits exist. */
  workflowRuns?: WorkflowRunSeed[];
  /** Artifacts of seeded runs, served zipped. */
  artifacts?: ArtifactSeed[];
  /** Check runs on commits (`GET commits/{ref}/check-runs`). */
  checkRuns?: CheckRunSeed[];
  /** Commit statuses (`GET commits/{ref}/status`), oldest first. */
  commitStatuses?: CommitStatusSeed[];
  /** Route key (`POST /repos/{owner}/{repo}/deployments`) → status, or a full failure. */
  failures?: Record<string, number | Failure>;
  /** When set, a request with another token (or none) gets 401. */
  token?: string;
}

export interface Failure {
  status: number;
  body?: unknown;
  /** How many requests fail before the route answers normally again; default: all of them. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent (still URL-encoded). */
  url: string;
  /** The route key that matched, or undefined for an unknown route. */
  route: string | undefined;
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** The status the stub answered. */
  status: number;
}

export interface GithubApiStub {
  /** Base URL for `GITHUB_API_URL` (no trailing slash). */
  url: string;
  /** The route keys it answers, as GitHub's documentation names them. */
  routes: string[];
  requests: RecordedRequest[];
  /** Deployments as stored, each with its statuses oldest first. */
  deployments: StoredDeployment[];
  workflowRuns: StoredRun[];
  artifacts: StoredArtifact[];
  checkRuns: StoredCheckRun[];
  commitStatuses: StoredCommitStatus[];
  /** A commit that now exists (pushed), with its message and parents if wanted. */
  addCommit(seed: string | CommitSeed): void;
  /** Creates or moves a branch, as a push does (the commit then exists). */
  setBranch(name: string, sha: string): void;
  /** Creates or moves a tag. */
  setTag(name: string, tag: string | TagSpec): void;
  addWorkflowRun(seed: WorkflowRunSeed): StoredRun;
  updateWorkflowRun(id: number, patch: Partial<Pick<StoredRun, 'status' | 'conclusion'>>): StoredRun;
  addArtifact(seed: ArtifactSeed): StoredArtifact;
  addCheckRun(seed: CheckRunSeed): StoredCheckRun;
  /** Moves a check run on now (queued → in_progress → completed with a conclusion). */
  updateCheckRun(id: number, step: CheckRunStep): StoredCheckRun;
  addCommitStatus(seed: CommitStatusSeed): StoredCommitStatus;
  /** Make a route answer `status` (`times` requests, or from now on); `status: 0` clears it. */
  setFailure(route: string, status: number, options?: { body?: unknown; times?: number }): void;
  /** Replace a route's behaviour entirely. */
  setHandler(route: string, handler: Handler): void;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  409: 'Conflict: Commit status checks failed for main.',
  410: 'Gone',
  422: 'Validation Failed',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Where the 302 of an artifact download points: the stand-in for GitHub's pre-signed blob URL. */
const DOWNLOAD = /^\/_stub\/artifacts\/(\d+)\/([0-9a-f]+)\.zip$/;

export async function startGithubApiStub(options: GithubApiStubOptions): Promise<GithubApiStub> {
  const tags = Object.fromEntries(
    Object.entries(options.tags ?? {}).map(([name, tag]) => [
      name,
      typeof tag === 'string' ? { commit: tag } : tag,
    ]),
  );
  const ownerLogin = options.repository.split('/')[0] ?? 'owner';
  const repo = new StubRepository(
    options.repository,
    options.repositoryId ?? 1296269,
    { login: ownerLogin, id: 9_000_001, type: 'Organization' },
    options.actor ?? { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    { ...options.branches },
    tags,
    options.commits ?? [],
  );
  for (const seed of options.deployments ?? []) repo.seed(seed);
  const actions = new ActionsStore(repo);
  for (const seed of options.workflowRuns ?? []) actions.addRun(seed);
  for (const seed of options.artifacts ?? []) actions.addArtifact(seed);
  const checks = new ChecksStore(repo);
  for (const seed of options.checkRuns ?? []) checks.addCheckRun(seed);
  for (const seed of options.commitStatuses ?? []) checks.addStatus(seed);

  const table = new Map<string, { route: CompiledRoute; handler: Handler }>();
  const routes = Object.entries(handlers(repo, actions, checks))
    .map(([key, handler]) => ({ route: compileRoute(key), handler }))
    // `commits/{ref}/check-runs` before `commits/{ref}`: the more literal template wins.
    .sort((a, b) => b.route.literalLength - a.route.literalLength);
  for (const entry of routes) table.set(entry.route.key, entry);
  const failures = new Map<string, Failure>();
  const checkKey = (key: string) => {
    if (!table.has(key))
      throw new Error(`github-api-stub: unknown route '${key}' (known: ${[...table.keys()].join(', ')})`);
  };
  for (const [key, failure] of Object.entries(options.failures ?? {})) {
    checkKey(key);
    failures.set(key, typeof failure === 'number' ? { status: failure } : failure);
  }

  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '');
  const authorized = (header: string | undefined) =>
    options.token === undefined ||
    header === `token ${options.token}` ||
    header === `Bearer ${options.token}`;

  const answer = (req: IncomingMessage, rawBody: string): { reply: StubReply; recorded: RecordedRequest } => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      route: undefined,
      params: {},
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(rawBody),
      status: 0,
    };
    for (const { route, handler } of table.values()) {
      if (route.method !== recorded.method) continue;
      const params = route.match(url.pathname);
      if (!params) continue;
      recorded.route = route.key;
      recorded.params = params;
      if (`${params.owner}/${params.repo}` !== options.repository)
        return { reply: errorReply(404), recorded };
      if (!authorized(req.headers.authorization)) return { reply: errorReply(401), recorded };
      const failure = failures.get(route.key);
      if (failure) {
        if (failure.times !== undefined && --failure.times <= 0) failures.delete(route.key);
        return {
          reply: { status: failure.status, body: failure.body ?? errorReply(failure.status).body },
          recorded,
        };
      }
      return {
        reply: handler({
          params,
          query: url.searchParams,
          body: recorded.body,
          baseUrl,
          urls: { api: baseUrl, html: serverUrl },
        }),
        recorded,
      };
    }
    return { reply: errorReply(404), recorded };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const download = DOWNLOAD.exec(new URL(req.url ?? '/', 'http://stub').pathname);
      if (req.method === 'GET' && download) {
        // Pre-signed: no token needed, as on GitHub's blob storage.
        const artifact = actions.artifact(download[1]!);
        const found = artifact && artifact.downloadKey === download[2];
        requests.push({
          method: 'GET',
          url: req.url ?? '/',
          route: 'artifact download',
          params: { artifact_id: download[1]! },
          query: {},
          headers: req.headers,
          body: undefined,
          status: found ? 200 : 404,
        });
        if (!found) {
          res.writeHead(404, { 'content-type': 'application/xml' });
          res.end('<Error><Code>BlobNotFound</Code></Error>');
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/zip',
          'content-length': String(artifact.zip.length),
        });
        res.end(Buffer.from(artifact.zip));
        return;
      }
      const { reply, recorded } = answer(req, raw);
      recorded.status = reply.status;
      requests.push(recorded);
      const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    routes: [...table.keys()],
    requests,
    deployments: repo.deployments,
    workflowRuns: actions.runs,
    artifacts: actions.artifacts,
    checkRuns: checks.checkRuns,
    commitStatuses: checks.statuses,
    addCommit: (seed) => repo.addCommit(seed),
    // A moved branch or tag leaves its old commit in the repository, as git does.
    setBranch(name, sha) {
      const before = repo.branches[name];
      if (before) repo.addCommit(before);
      repo.branches[name] = sha.toLowerCase();
    },
    setTag(name, tag) {
      const before = repo.tags[name];
      if (before) repo.addCommit(before.commit);
      repo.tags[name] = typeof tag === 'string' ? { commit: tag.toLowerCase() } : tag;
    },
    addWorkflowRun: (seed) => actions.addRun(seed),
    updateWorkflowRun: (id, patch) => actions.updateRun(id, patch),
    addArtifact: (seed) => actions.addArtifact(seed),
    addCheckRun: (seed) => checks.addCheckRun(seed),
    updateCheckRun: (id, step) => checks.updateCheckRun(id, step),
    addCommitStatus: (seed) => checks.addStatus(seed),
    setFailure(route, status, failureOptions = {}) {
      checkKey(route);
      if (status === 0) failures.delete(route);
      else failures.set(route, { status, ...failureOptions });
    },
    setHandler(route, handler) {
      checkKey(route);
      table.get(route)!.handler = handler;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function errorReply(status: number): StubReply {
  return { status, body: basicError(status, STATUS_TEXT[status] ?? 'Error') };
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
