import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './certificates';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** May return anything (e.g. `res.end()`); a rejected promise answers 500. */
export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => unknown;

export interface TestServer {
  /** `http://127.0.0.1:<port>` (or https); no trailing slash. */
  url: string;
  port: number;
  /** Every request the server received, in order. */
  requests: RecordedRequest[];
  /** TCP connections accepted so far: shows whether clients reuse keep-alive connections. */
  connections(): number;
  /** Swap the behaviour while the server runs (an app that becomes healthy). */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with an ephemeral port. */
export function startHttp(handler: Handler): Promise<TestServer> {
  return listen(createHttpServer(), 'http', handler);
}

/** A real HTTPS server on 127.0.0.1 with the given certificate. */
export function startHttps(handler: Handler, keyPair: KeyPair): Promise<TestServer> {
  return listen(createHttpsServer({ key: keyPair.key, cert: keyPair.cert }), 'https', handler);
}

async function listen(server: Server, scheme: 'http' | 'https', initial: Handler): Promise<TestServer> {
  let handler = initial;
  const requests: RecordedRequest[] = [];
  let connections = 0;
  server.on(scheme === 'https' ? 'secureConnection' : 'connection', () => {
    connections++;
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      Promise.resolve(handler(req, res, body)).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    handle: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with the given status. */
export function json(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

/** Polls a condition until it holds, for tests that wait on a server or a child process. */
export async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
