import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';

/**
 * Where the pipeline runs: two emulated SSM hosts of prod, and the service they run, answering on
 * 127.0.0.1 as the release the first host runs (its deploy commands write the tag to `app/running`).
 */
export const HOSTS = ['i-0a1b2c3d4e5f60718', 'i-0f9e8d7c6b5a40312'];
export const ENVIRONMENT = 'prod';

export interface Release {
  tag: string;
  sha: string;
  /** The environment the release's configuration points it at: `stage` is the wrong database. */
  environment: string;
}

export const RELEASES = {
  running: { tag: 'v2.3.1', sha: 'c00dbbc9dadfbe1e232e93a729dd4752fade0abf', environment: 'prod' },
  good: { tag: 'v2.4.0', sha: 'c2a6b03f190dfb2b4aa91f8af8d477a9bc3401dc', environment: 'prod' },
  wrongDatabase: { tag: 'v2.4.1', sha: 'd4e5f60718293a4b5c6d7e8f9012345c2a6b03f1', environment: 'stage' },
} satisfies Record<string, Release>;

/** The hosts' deploy commands: the "service" is the tag written where it runs. */
export const DEPLOY_COMMANDS = 'echo "$DEPLOY_IMAGE_TAG" > running';
/** Checked on each host after its deploy: it runs the tag deployed. */
export const VERIFY_COMMAND = 'grep -qx "$DEPLOY_IMAGE_TAG" running';

export interface World {
  emulator: SsmEmulator;
  serviceUrl: string;
  close(): Promise<void>;
}

export async function startWorld(envFiles: Record<string, string>): Promise<World> {
  const emulator = await startSsmEmulator({ hosts: HOSTS.map((id) => ({ id, tags: { env: ENVIRONMENT } })) });
  for (const id of HOSTS) {
    await mkdir(join(emulator.hostDir(id), 'app'), { recursive: true });
    await writeFile(join(emulator.hostDir(id), 'app', '.env'), envFiles[id] ?? '');
  }
  const releases = Object.values(RELEASES);
  const serving = (): Release | undefined => {
    try {
      const tag = readFileSync(join(emulator.hostDir(HOSTS[0]!), 'app', 'running'), 'utf8').trim();
      return releases.find((r) => r.tag === tag);
    } catch {
      return undefined;
    }
  };
  const server: Server = createServer((request, response) => {
    const release = serving();
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (!release) return send(503, { status: 'down' });
    if (request.url === '/healthz') return send(200, { status: 'ok', version: release.sha });
    if (request.url === '/api/orders') return send(401, { error: 'a token is needed' });
    if (request.url === '/health/deep') {
      return send(200, {
        status: 'ok',
        environment: release.environment,
        version: release.sha,
        checks: { database: 'ok', redis: 'ok' },
      });
    }
    return send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    emulator,
    serviceUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await emulator.close();
    },
  };
}
