import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Debian installs each major version's server programs under /usr/lib/postgresql/<major>/bin. */
const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or undefined when no server is installed. */
export function findPostgresBinDir(): string | undefined {
  const fromEnv = process.env.GATEHOUSE_PG_BIN_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'postgres'))) return fromEnv;
  if (!existsSync(DEBIAN_ROOT)) return undefined;
  const majors = readdirSync(DEBIAN_ROOT)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(DEBIAN_ROOT, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(DEBIAN_ROOT, majors[0], 'bin') : undefined;
}

/**
 * Why a real server cannot be started here, or undefined when it can. Tests skip with this text
 * as the visible reason; CI installs the package, so there it is always undefined.
 */
export function postgresUnavailableReason(): string | undefined {
  return findPostgresBinDir()
    ? undefined
    : "PostgreSQL server binaries not found (install Debian's 'postgresql' package)";
}
