import { ConfigurationError } from '@gatehouse/action-kit';

export interface DatabaseAddress {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * The parts of a database URL that may be shown: host, port, database and user. The password is
 * never part of any message; `addressText` is what errors and logs print.
 */
export function parseDatabaseUrl(url: string, inputName = 'database-url'): DatabaseAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigurationError(`Input '${inputName}' must be a postgres:// or postgresql:// URL.`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigurationError(
      `Input '${inputName}' must be a postgres:// or postgresql:// URL, got scheme '${parsed.protocol}'.`,
    );
  }
  return {
    host: decodeURIComponent(parsed.hostname) || 'localhost',
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username),
    user: decodeURIComponent(parsed.username),
  };
}

export function addressText(address: DatabaseAddress): string {
  return `${address.host}:${address.port}`;
}

/** The URL with its password removed: safe for a printed restore command. */
export function urlWithoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

/** The password, decoded, for the PGPASSWORD of a child process (never its arguments). */
export function passwordOf(url: string): string | undefined {
  const password = new URL(url).password;
  return password ? decodeURIComponent(password) : undefined;
}
