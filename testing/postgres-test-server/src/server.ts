import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit';
import { findPostgresBinDir } from './find-binaries';

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** `postgres://user:password@127.0.0.1:port/postgres` */
  url: string;
  /** The server's bin directory (pg_dump, pg_restore and psql of the same version). */
  binDir: string;
  /** The URL of another database on this server. */
  urlFor(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs SQL as the superuser through psql; returns stdout. */
  psql(database: string, sql: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL server from Debian's packages: a temp data dir, a free port on
 * 127.0.0.1, password (scram) authentication for TCP so tests exercise real credentials.
 * initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
 */
export async function startPostgres(options: { user?: string } = {}): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  if (!binDir)
    throw new Error("PostgreSQL server binaries not found (install Debian's 'postgresql' package)");
  const user = options.user ?? 'gatehouse';
  const password = randomBytes(12).toString('hex');
  const root = await mkdtemp(join(tmpdir(), 'gatehouse-pg-'));
  const dataDir = join(root, 'data');
  const asRoot = userInfo().uid === 0;
  const asServerUser = (file: string, args: string[]) =>
    asRoot ? runCommand('runuser', ['-u', 'postgres', '--', file, ...args]) : runCommand(file, args);
  if (asRoot) {
    await chown(root, ...(await postgresIds()));
  }
  await chmod(root, 0o700);
  const pwFile = join(root, 'pw');
  await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (asRoot) await chown(pwFile, ...(await postgresIds()));

  const init = await asServerUser(join(binDir, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    user,
    `--pwfile=${pwFile}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  if (init.exitCode !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
  await rm(pwFile, { force: true });

  const host = '127.0.0.1';
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const start = await asServerUser(join(binDir, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      join(root, 'server.log'),
      '-w',
      '-t',
      '120',
      'start',
      '-o',
      `-p ${port} -h ${host} -k ${root} -c fsync=off -c full_page_writes=off`,
    ]);
    if (start.exitCode === 0) break;
    // Another process may have taken the port between probing and binding; try a fresh one.
    if (attempt >= 3) throw new Error(`pg_ctl start failed:\n${start.stdout}\n${start.stderr}`);
  }

  const urlFor = (database: string) =>
    `postgres://${user}:${password}@${host}:${port}/${encodeURIComponent(database)}`;
  const psql = async (database: string, sql: string) => {
    const result = await runCommand(
      join(binDir, 'psql'),
      ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', urlFor(database)],
      {
        input: sql,
      },
    );
    if (result.exitCode !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout;
  };
  return {
    host,
    port,
    user,
    password,
    url: urlFor('postgres'),
    binDir,
    urlFor,
    psql,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await psql('postgres', `CREATE DATABASE ${name};`);
      return urlFor(name);
    },
    async stop() {
      await asServerUser(join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const uid = await runCommand('id', ['-u', 'postgres']);
  const gid = await runCommand('id', ['-g', 'postgres']);
  if (uid.exitCode !== 0)
    throw new Error("Running as root needs the 'postgres' user (Debian's postgresql package creates it)");
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
