import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ServiceError } from './errors';

/** One operation: the parsed JSON request in, the JSON response out (or a thrown ServiceError). */
export type Operation = (request: Record<string, unknown>, context: RequestContext) => unknown;

export interface RequestContext {
  /** The region the client signed for (from the SigV4 credential scope), or us-east-1. */
  region: string;
}

export interface ProtocolHooks {
  /** Called for every request before it runs; throwing a ServiceError answers with it (throttling). */
  admit(op: string): void;
  operations: Record<string, Operation>;
  /** Every request and the answer it got, in order (the emulator's traffic log, when kept). */
  exchanged?(exchange: { op: string; request: unknown; status: number; response: unknown }): void;
}

const JSON_11 = 'application/x-amz-json-1.1';

/**
 * AWS JSON 1.1 over HTTP: `POST /` with `X-Amz-Target: <Service>.<Op>`. The target's service
 * prefix (AmazonSSM, Logs_20140328) is dropped: operation names do not collide. Signatures are
 * not checked; the credential scope only tells us the region.
 */
export function createJsonServer(hooks: ProtocolHooks): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(hooks, req, Buffer.concat(chunks).toString('utf8'), res));
  });
}

function answer(hooks: ProtocolHooks, req: IncomingMessage, body: string, res: ServerResponse): void {
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = target.slice(target.indexOf('.') + 1);
  try {
    if (req.method !== 'POST')
      throw new ServiceError('UnknownOperationException', `Use POST, not ${req.method}`);
    const handler = Object.hasOwn(hooks.operations, op) ? hooks.operations[op] : undefined;
    hooks.admit(op || '(none)');
    if (!handler) throw new ServiceError('UnknownOperationException', `Unknown operation ${target}`);
    const request = parseBody(body);
    const result = handler(request, { region: signedRegion(req) });
    hooks.exchanged?.({ op, request, status: 200, response: result ?? {} });
    send(res, 200, result ?? {});
  } catch (error) {
    const [status, payload] =
      error instanceof ServiceError
        ? [400, { __type: error.code, message: error.message }]
        : [500, { __type: 'InternalServerError', message: String((error as Error)?.stack ?? error) }];
    hooks.exchanged?.({ op: op || '(none)', request: safeParse(body), status, response: payload });
    send(res, status, payload);
  }
}

function safeParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function parseBody(body: string): Record<string, unknown> {
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Fall through to the same answer as a non-object body.
  }
  throw new ServiceError('SerializationException', 'The request body is not a JSON object');
}

function signedRegion(req: IncomingMessage): string {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return scope?.[1] ?? 'us-east-1';
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': JSON_11,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}
