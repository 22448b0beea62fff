import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostLoopback, type HostLoopback } from '../src/host-loopback';

describe("a host's loopback is its own", () => {
  let dir: string;
  let loopback: HostLoopback;
  const servers: Server[] = [];
  const listen = async (name: string) => {
    const server = createServer((req, res) => res.end(`${name} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  // Asynchronous: the listeners answer from this same process.
  const curlOn = (host: string | undefined, url: string) =>
    new Promise<{ status: number; stdout: string }>((resolve) => {
      const env = {
        ...process.env,
        PATH: `${loopback.binDir}:${process.env.PATH}`,
        AWS_SSM_INSTANCE_ID: host ?? '',
      };
      execFile('curl', ['-sS', url], { env }, (error, stdout) =>
        resolve({ status: error ? Number(error.code) : 0, stdout }),
      );
    });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'host-loopback-'));
    loopback = await createHostLoopback(dir, process.env.PATH ?? '');
    await loopback.map('i-1', 8000, await listen('one'));
    await loopback.map('i-2', 8000, await listen('two'));
  });
  afterAll(async () => {
    for (const server of servers) server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends 127.0.0.1:<port> and localhost:<port> to the listener of the host that asks', async () => {
    expect((await curlOn('i-1', 'http://127.0.0.1:8000/healthz')).stdout).toBe('one /healthz');
    expect((await curlOn('i-2', 'http://localhost:8000/healthz?x=1')).stdout).toBe('two /healthz?x=1');
  });

  it('leaves a port nothing listens on, and a host with no map, refused as on a real host', async () => {
    expect((await curlOn('i-1', 'http://127.0.0.1:8001/')).status).toBe(7);
    expect((await curlOn(undefined, 'http://127.0.0.1:8000/')).status).toBe(7);
  });
});
