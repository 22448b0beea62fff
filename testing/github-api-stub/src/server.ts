import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Handler, handlers, type StubReply } from './handlers';
import { type DeploymentSeed, type StoredDeployment, StubRepository, type TagSpec } from './repository';
import { type CompiledRoute, compileRoute } from './routes';

/**
 * A local stand-in for the GitHub REST API on 127.0.0.1, for tests and the demo (never bundled).
 * It serves one repository from memory through a route table a test can program: every request
 * is recorded, and any route can be made to answer with a given status (409, 403, 500…).
 */
export interface GithubApiStubOptions {
  /** `owner/name`; requests for any other repository get 404. */
  repository: string;
  /** Branch name → commit SHA. */
  branches?: Record<string, string>;
  /** Tag name → commit SHA, or `{ commit, annotated }` for an annotated tag object. */
  tags?: Record<string, string | TagSpec>;
  /** Further commits that exist (branch and tag commits exist already). */
  commits?: string[];
  deployments?: DeploymentSeed[];
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
  requests: RecordedRequest[];
  /** Deployments as stored, each with its statuses oldest first. */
  deployments: StoredDeployment[];
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
  422: 'Validation Failed',
  500: 'Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export async function startGithubApiStub(options: GithubApiStubOptions): Promise<GithubApiStub> {
  const tags = Object.fromEntries(
    Object.entries(options.tags ?? {}).map(([name, tag]) => [
      name,
      typeof tag === 'string' ? { commit: tag } : tag,
    ]),
  );
  const repo = new StubRepository(options.repository, options.branches ?? {}, tags, options.commits ?? []);
  for (const seed of options.deployments ?? []) repo.seed(seed);

  const table = new Map<string, { route: CompiledRoute; handler: Handler }>();
  for (const [key, handler] of Object.entries(handlers(repo))) {
    table.set(key, { route: compileRoute(key), handler });
  }
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
        return { reply: notFoundReply(), recorded };
      if (options.token !== undefined && req.headers.authorization !== `token ${options.token}`) {
        return { reply: { status: 401, body: { message: STATUS_TEXT[401] } }, recorded };
      }
      const failure = failures.get(route.key);
      if (failure) {
        if (failure.times !== undefined && --failure.times <= 0) failures.delete(route.key);
        return {
          reply: {
            status: failure.status,
            body: failure.body ?? { message: STATUS_TEXT[failure.status] ?? 'Error' },
          },
          recorded,
        };
      }
      return {
        reply: handler({ params, query: url.searchParams, body: recorded.body, baseUrl }),
        recorded,
      };
    }
    return { reply: notFoundReply(), recorded };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
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
    requests,
    deployments: repo.deployments,
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

function notFoundReply(): StubReply {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
