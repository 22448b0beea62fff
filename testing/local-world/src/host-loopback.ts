import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * Each emulated host's loopback as its own. On a real host, `http://127.0.0.1:8000` is that host's
 * own app; the emulated hosts all share this machine's loopback. So a `curl` first on each host's
 * PATH sends a request for `127.0.0.1:<port>` (or `localhost:<port>`), made on host
 * `$AWS_SSM_INSTANCE_ID` (set by the SSM agent, and the emulator), to the listener the world
 * registered for that host and port; a port with nothing registered is left as it is, so it is
 * refused as on a host where nothing listens. Every other argument reaches the real curl unchanged.
 */
export interface HostLoopback {
  /** Put first on each host's PATH. */
  binDir: string;
  map(host: string, port: number, url: string): Promise<void>;
}

export async function createHostLoopback(dir: string, path: string): Promise<HostLoopback> {
  const binDir = join(dir, 'bin');
  const maps = join(dir, 'maps');
  await mkdir(binDir, { recursive: true });
  await mkdir(maps, { recursive: true });
  await writeFile(join(dir, 'real-curl'), await findOnPath('curl', path));
  await copyFile(new URL('./host-curl.sh', import.meta.url), join(binDir, 'curl'));
  await chmod(join(binDir, 'curl'), 0o755);
  return {
    binDir,
    async map(host, port, url) {
      const file = join(maps, host);
      const lines = (await readFile(file, 'utf8').catch(() => ''))
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith(`${port} `));
      await writeFile(file, `${[...lines, `${port} ${url}`].join('\n')}\n`);
    },
  };
}

async function findOnPath(name: string, path: string): Promise<string> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await readFile(candidate, { flag: 'r' }).then(() => undefined);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not on PATH; the local world needs it on the hosts.`);
}
