import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

/**
 * The demo's sample service: what the deploy lands on. It stands for the app running on every
 * emulated host behind a load balancer — each request is answered as the release the next host
 * has in its `app/.env` (IMAGE_TAG), read fresh, so a deploy or rollback shows up at once.
 *
 * Like the services in the field reports it sits behind an http→https redirect, has /healthz,
 * a POST-only /graphql, and /health/deep, which compares the app's APP_ENV with the environment
 * marker stored in the database it is connected to and answers CRITICAL when they differ.
 */
export interface Release {
  tag: string;
  sha: string;
  /** Which database this release's configuration points at (the wrong-environment incident). */
  database: string;
  /** A broken release: its deep health reports a failing dependency. */
  broken?: boolean;
}

export type Query = (sql: string) => Promise<Record<string, unknown>[]>;

export interface SampleServiceOptions {
  /** The emulated hosts' folders; each has `app/.env`. */
  hostDirs: string[];
  releases: Release[];
  /** Database name → how to query it. */
  databases: Record<string, Query>;
  appEnv: string;
}

export interface SampleService {
  /** http:// URL that redirects everything to https. */
  httpUrl: string;
  httpsUrl: string;
  /** PEM of the self-signed certificate, for the checks' `ca-file`. */
  caPem: string;
  close(): Promise<void>;
}

function readEnvFile(file: string): Record<string, string> {
  try {
    return Object.fromEntries(
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!.replace(/^'(.*)'$/, '$1')]),
    );
  } catch {
    return {};
  }
}

export async function startSampleService(options: SampleServiceOptions): Promise<SampleService> {
  let next = 0;
  const currentRelease = (): Release | undefined => {
    const hostDir = options.hostDirs[next++ % options.hostDirs.length]!;
    const tag = readEnvFile(join(hostDir, 'app', '.env')).IMAGE_TAG;
    return options.releases.find((release) => release.tag === tag);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const deepHealth = async (release: Release) => {
    const query = options.databases[release.database];
    const checks: Record<string, string> = { database: 'ok', payments: release.broken ? 'fail' : 'ok' };
    let marker: string | undefined;
    let schemaVersion: string | undefined;
    try {
      marker = String((await query!("SELECT value FROM app_settings WHERE key = 'environment'"))[0]?.value);
      const rows = await query!('SELECT name FROM pgmigrations ORDER BY id DESC LIMIT 1').catch(() => []);
      schemaVersion = rows[0]?.name as string | undefined;
    } catch {
      checks.database = 'fail';
    }
    const wrongEnvironment = marker !== undefined && marker !== options.appEnv;
    const status = wrongEnvironment
      ? 'CRITICAL'
      : Object.values(checks).every((c) => c === 'ok')
        ? 'ok'
        : 'fail';
    return {
      httpStatus: status === 'ok' ? 200 : 503,
      body: {
        status,
        environment: options.appEnv,
        database_environment: marker,
        ...(wrongEnvironment
          ? { reason: `APP_ENV is ${options.appEnv} but the database says ${marker}` }
          : {}),
        version: release.sha,
        image_tag: release.tag,
        schema_version: schemaVersion,
        checks,
      },
    };
  };

  const app = async (req: IncomingMessage, res: ServerResponse) => {
    const release = currentRelease();
    if (!release) return json(res, 503, { status: 'starting', reason: 'no release deployed on this host' });
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    let body = '';
    for await (const chunk of req) body += chunk;
    if (path === '/healthz') return json(res, 200, { ok: true, version: release.sha });
    if (path === '/graphql') {
      if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed: POST only' });
      const parsed = (() => {
        try {
          return JSON.parse(body) as { query?: string };
        } catch {
          return {};
        }
      })();
      if (!parsed.query) return json(res, 400, { errors: [{ message: 'Must provide query string.' }] });
      return json(res, 200, { data: { __typename: 'Query' } });
    }
    if (path === '/health/deep') {
      const { httpStatus, body: health } = await deepHealth(release);
      return json(res, httpStatus, health);
    }
    return json(res, 404, { error: 'not found' });
  };

  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const https = createHttpsServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    app(req, res).catch((error) => json(res, 500, { error: String(error) }));
  });
  await listen(https);
  const httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  // The proxy in front: every plain-http request is sent to https with a 301, as in the incident.
  const http = createHttpServer((req, res) => {
    res.writeHead(301, { location: `${httpsUrl}${req.url ?? '/'}` }).end();
  });
  await listen(http);
  const httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    httpUrl,
    httpsUrl,
    caPem: pems.cert,
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
