/**
 * A service as the outside world reaches it: a plain-http front that answers every request with a
 * 301 to https (the proxy of the incident where a POST became a GET), and an https server with a
 * certificate from the world's own CA (trusted through `ca-file`, or the runner's
 * NODE_EXTRA_CA_CERTS). Behind it, like a load balancer, each request goes to the next host in
 * turn and is answered by the app for whatever that host really runs at that moment — the
 * serving rule reads the host's state (the container compose started, the checkout's HEAD, the
 * tag in the env file…), so a deploy that did the wrong thing is served as the wrong version.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

/** What a host runs now: the commit, and the environment the app process was started with. */
export interface ServedVersion {
  host: string;
  sha: string;
  env: Readonly<Record<string, string>>;
}

/** How to read what a host serves from its real state; undefined when nothing runs there. */
export type ServingRule = (host: string) => Promise<ServedVersion | undefined>;

export interface AppRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** Lower-cased names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

export interface AppResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** The app: how a served commit answers a request. */
export type AppHandler = (request: AppRequest, served: ServedVersion) => Promise<AppResponse>;

export interface ServiceSpec {
  /** e.g. `dev`: the service's name in the world. */
  name: string;
  /** The hosts behind the load balancer, in turn. */
  hosts: readonly string[];
  serving: ServingRule;
  app: AppHandler;
}

/** One answered request, for assertions (which host, which commit). */
export interface ServedRequest {
  method: string;
  path: string;
  host: string;
  /** The commit that answered, or undefined when nothing ran on the host. */
  sha: string | undefined;
  status: number;
}

export interface Service {
  name: string;
  /** `http://127.0.0.1:<port>`: every request gets a 301 to the same path on httpsUrl. */
  httpUrl: string;
  httpsUrl: string;
  requests: ServedRequest[];
  /** What each host serves now, by host. */
  served(): Promise<Record<string, ServedVersion | undefined>>;
  close(): Promise<void>;
}

/** The world's certificate authority: one self-signed certificate for 127.0.0.1, which is its own CA. */
export interface ServiceCertificate {
  key: string;
  cert: string;
}

export async function createCertificate(): Promise<ServiceCertificate> {
  const pems = await generate([{ name: 'commonName', value: 'Gatehouse local world' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function startService(spec: ServiceSpec, certificate: ServiceCertificate): Promise<Service> {
  if (spec.hosts.length === 0) throw new Error(`Service ${spec.name} has no hosts.`);
  let next = 0;
  const requests: ServedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const host = spec.hosts[next++ % spec.hosts.length]!;
    const served = await spec.serving(host);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const response = served
      ? await spec.app({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body }, served)
      : {
          status: 503,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'unavailable', reason: `nothing runs on ${host}` }),
        };
    requests.push({
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      host,
      sha: served?.sha,
      status: response.status,
    });
    res.writeHead(response.status, response.headers).end(response.body);
  };

  const https = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      res
        .writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: String(error) }));
    });
  });
  await listen(https);
  const httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  const http = createHttpServer((req, res) => {
    req.resume();
    res.writeHead(301, { location: `${httpsUrl}${req.url ?? '/'}` }).end();
  });
  await listen(http);
  const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  return {
    name: spec.name,
    httpUrl,
    httpsUrl,
    requests,
    async served() {
      const entries = await Promise.all(
        spec.hosts.map(async (host) => [host, await spec.serving(host)] as const),
      );
      return Object.fromEntries(entries);
    },
    close: async () => {
      await Promise.all([close(http), close(https)]);
    },
  };
}

function listen(server: Server | ReturnType<typeof createHttpsServer>): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server | ReturnType<typeof createHttpsServer>): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
