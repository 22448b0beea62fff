/**
 * A Python that has the app's packages. Debian installs Flask-Migrate, Flask-SQLAlchemy and
 * psycopg2 for its own python3 (python3-flask-migrate, python3-flask-sqlalchemy,
 * python3-psycopg2); a pyenv or virtualenv earlier on PATH has none of them. The EC2 image's
 * `flask` is this machine's (a container's programs are the host's, see the docker stand-in), so a
 * folder that runs `flask`, `python` and `python3` with that interpreter goes first on the hosts' PATH.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit/command';

const MODULES = ['flask_migrate', 'flask_sqlalchemy', 'psycopg2'];
export const DEBIAN_PYTHON_PACKAGES = 'python3-flask-migrate, python3-flask-sqlalchemy, python3-psycopg2';

/** The first interpreter that imports the app's packages, or undefined. */
export async function findAppPython(): Promise<string | undefined> {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const probe = await runCommand(candidate, ['-c', `import ${MODULES.join(', ')}`]).catch(() => undefined);
    if (probe?.exitCode === 0) return candidate;
  }
  return undefined;
}

/** Writes `flask`, `python` and `python3` into `dir`, each running `python`. */
export async function pythonBin(dir: string, python: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, args] of [
    ['python', ''],
    ['python3', ''],
    ['flask', ' -m flask'],
  ] as const) {
    await writeFile(join(dir, name), `#!/bin/sh\nexec ${python}${args} "$@"\n`);
    await chmod(join(dir, name), 0o755);
  }
  return dir;
}
