import { ConfigurationError } from '../errors';
import { errorChain } from './network';

/**
 * Known failures of PostgreSQL, psql, pg_dump and pg_restore, and what a person does about each:
 * the table codeql-action keeps for its CLI (`cli-errors.ts`), for the database tools Gatehouse
 * drives. A row matches the driver's SQLSTATE (`code`), a system code on the error's cause chain,
 * or the tools' own words on stderr (the same words the server sends, so one pattern serves both).
 */
interface Row {
  sqlstates?: string[];
  codes?: string[];
  pattern?: RegExp;
  /** The match of `pattern`, if it matched, and the whole text (some rows read more of it). */
  explain: (match: RegExpMatchArray | undefined, text: string) => string;
}

const TABLE: Row[] = [
  {
    pattern: /server version mismatch/i,
    explain: (_match, text) => versionMismatch(text),
  },
  {
    sqlstates: ['28P01'],
    pattern: /password authentication failed for user "([^"]*)"/,
    explain: (m) =>
      `the server refused the password${m?.[1] ? ` of user '${m[1]}'` : ''}: check the user and password in the database URL (and the secret it comes from)`,
  },
  {
    pattern:
      /no pg_hba\.conf entry for host "([^"]*)", user "([^"]*)", database "([^"]*)"(?:, (no encryption|SSL off))?/,
    explain: (m) =>
      `the server accepts no connection from host ${m?.[1]} as user '${m?.[2]}' to database '${m?.[3]}' (pg_hba.conf)` +
      (m?.[4]
        ? `; it may require SSL: add ?sslmode=require to the database URL, or allow this client in pg_hba.conf`
        : '; allow this client in pg_hba.conf, or connect from a host it allows'),
  },
  {
    pattern: /role "([^"]*)" does not exist/,
    explain: (m) => `the user '${m?.[1]}' does not exist on that server: check the user in the database URL`,
  },
  {
    sqlstates: ['3D000'],
    pattern: /database "([^"]*)" does not exist/,
    explain: (m) =>
      `the database${m?.[1] ? ` '${m[1]}'` : ''} does not exist on that server: check the database name (the path at the end of the URL)`,
  },
  {
    sqlstates: ['42P01'],
    pattern: /relation "([^"]*)" does not exist/,
    explain: (m) =>
      `the table${m?.[1] ? ` '${m[1]}'` : ''} does not exist in that database: either this is not the database you meant, or the query names the wrong table`,
  },
  {
    sqlstates: ['42501'],
    pattern: /permission denied for (\w+) "?([^\s"]+)"?/,
    explain: (m) =>
      `the database user lacks a privilege${m ? ` (permission denied for ${m[1]} ${m[2]})` : ''}: grant it, or connect as a user that has it`,
  },
  {
    pattern: /server does not support SSL/,
    explain: () =>
      'the server does not speak SSL: remove sslmode=require from the database URL (or use sslmode=prefer)',
  },
  {
    pattern:
      /connection to server on socket "([^"]*)" failed|could not connect to server: No such file or directory/,
    explain: (m) =>
      `no host was given, so the client tried the local socket${m?.[1] ? ` ${m[1]}` : ''}: put the host in the database URL (postgres://user:password@host:5432/database)`,
  },
  {
    codes: ['ECONNREFUSED'],
    pattern: /Connection refused/,
    explain: () =>
      'nothing accepts connections at that host and port: check host and port in the database URL, that the server runs, and that it listens where the client can reach it (listen_addresses, firewall, security group)',
  },
  {
    codes: ['ENOTFOUND', 'EAI_AGAIN'],
    pattern: /could not translate host name "([^"]*)"/,
    explain: (m) =>
      `the database host name${m?.[1] ? ` '${m[1]}'` : ''} does not resolve: check the host in the database URL (a docker compose service name resolves only inside its network)`,
  },
  {
    codes: ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'],
    pattern:
      /timeout expired|timeout exceeded when trying to connect|Connection terminated due to connection timeout/,
    explain: () =>
      'the database server did not answer in time: a firewall or security group drops the connection, or the host in the URL is wrong',
  },
  {
    sqlstates: ['57P03'],
    pattern: /the database system is (starting up|shutting down|in recovery mode)/,
    explain: (m) => `the server is not ready${m?.[1] ? ` (${m[1]})` : ''}: run again once it has started`,
  },
  {
    sqlstates: ['53300'],
    pattern: /too many clients already|remaining connection slots are reserved/,
    explain: () =>
      'the server has no free connection slots: close idle connections (or use a pooler) and run again',
  },
  {
    pattern: /\b(psql|pg_dump|pg_restore)(?:: command not found|: not found| ENOENT)/,
    explain: (m) =>
      `${m?.[1]} is not installed where it runs: install the PostgreSQL client tools (Debian/Ubuntu: postgresql-client)`,
  },
];

/**
 * What went wrong and what to do, for an error of the `pg` driver or the stderr of psql, pg_dump or
 * pg_restore; undefined when it is none of the known failures.
 */
export function explainPostgresError(errorOrStderr: unknown): string | undefined {
  const { codes, messages } =
    typeof errorOrStderr === 'string'
      ? { codes: [] as string[], messages: [errorOrStderr] }
      : errorChain(errorOrStderr);
  const text = messages.join('\n');
  for (const row of TABLE) {
    const match = row.pattern ? text.match(row.pattern) : null;
    const byCode = codes.some((code) => row.sqlstates?.includes(code) || row.codes?.includes(code));
    if (match || byCode) return row.explain(match ?? undefined, text);
  }
  return undefined;
}

/** ` — <what to do>` for a known failure, '' for any other: appended to a message that says what failed. */
export function postgresHint(errorOrStderr: unknown): string {
  const explanation = explainPostgresError(errorOrStderr);
  return explanation ? ` — ${explanation}` : '';
}

/** pg_dump refuses a server newer than itself; both versions are on its stderr. */
function versionMismatch(text: string): string {
  const versions = /server version: ([\d.]+)[^;\n]*; pg_dump version: ([\d.]+)/.exec(text);
  const server = versions?.[1];
  const major = server?.split('.')[0];
  return (
    `pg_dump${versions ? ` ${versions[2]}` : ''} is older than the server${server ? ` (${server})` : ''} and ` +
    "refuses to dump it: pg_dump must be at least the server's major version. Install the PostgreSQL " +
    `${major ?? 'server version'} client where pg_dump runs (on Debian/Ubuntu postgresql-client-${major ?? 'N'}, ` +
    "from apt.postgresql.org), or run it in the database's own container through 'command-prefix'"
  );
}

/** Where a database URL points, for messages: `host:port`, or the socket folder. */
export interface PostgresAddress {
  host: string;
  port: number;
  database: string;
}

/**
 * A postgres:// or postgresql:// URL that names where the database is: a host, or a socket folder in
 * `?host=`. Anything else (mysql://, a bare `postgres://`) is refused naming the input, before a
 * driver turns it into "cannot connect to :5432". The URL is never quoted: it holds a password.
 */
export function postgresAddress(inputName: string, url: string): PostgresAddress {
  const expected =
    `Input '${inputName}' must be a postgres:// or postgresql:// URL naming a host, ` +
    'e.g. postgres://user:password@db.example.com:5432/app';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
  if (/[\s\x00-\x1f\x7f]/.test(url) || !URL.canParse(url)) throw new ConfigurationError(`${expected}.`);
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigurationError(`${expected}; got a ${parsed.protocol}// URL.`);
  }
  const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || '';
  if (host === '') throw new ConfigurationError(`${expected}; this one names no host.`);
  const port = parsed.port === '' ? 5432 : Number(parsed.port);
  const database =
    decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username);
  return { host, port, database };
}
