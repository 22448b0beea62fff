import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseDotenv } from '../compose/dotenv';
import { fail } from '../runtime/context';
import { exists } from '../runtime/state';

/**
 * What Prisma 6's CLI reads before any command (docs: "Prisma schema" → location, "Environment
 * variables" → .env loading, "Connection URLs" → PostgreSQL): the schema from `--schema`, else
 * package.json `prisma.schema`, else ./schema.prisma or ./prisma/schema.prisma; `.env` files from
 * the project root and the schema's folder load into the environment without overriding it; the
 * `datasource` block's `url` is `env("NAME")` or a literal. Only `postgresql` is modelled.
 */
export interface PrismaSchema {
  /** As Prisma prints it: relative to the working folder. */
  displayPath: string;
  dir: string;
  provider: string;
  url: string;
}

export function loadEnvFiles(cwd: string, schemaDir: string | undefined, env: NodeJS.ProcessEnv): void {
  for (const file of [join(cwd, '.env'), ...(schemaDir ? [join(schemaDir, '.env')] : [])]) {
    if (!exists(file)) continue;
    for (const [key, value] of parseDotenv(readFileSync(file, 'utf8'), (name) => env[name])) {
      if (env[key] === undefined) env[key] = value;
    }
  }
}

export function findSchema(cwd: string, flag: string | undefined): string {
  if (flag) {
    const path = resolve(cwd, flag);
    if (!exists(path))
      fail(
        1,
        `Error: Could not load \`--schema\` from provided path \`${flag}\`: file or directory not found`,
      );
    return path;
  }
  const pkgFile = join(cwd, 'package.json');
  if (exists(pkgFile)) {
    const configured = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { prisma?: { schema?: string } }).prisma
      ?.schema;
    if (configured) return resolve(cwd, configured);
  }
  for (const candidate of ['schema.prisma', join('prisma', 'schema.prisma')]) {
    if (exists(join(cwd, candidate))) return join(cwd, candidate);
  }
  fail(
    1,
    'Error: Could not find Prisma Schema that is required for this command.\nYou can either provide it with `--schema` argument, set it as `prisma.schema` in your package.json or put it into the default location.\nChecked following paths:\n\nschema.prisma: file not found\nprisma/schema.prisma: file not found',
  );
}

export function readSchema(cwd: string, path: string, env: NodeJS.ProcessEnv): PrismaSchema {
  const text = readFileSync(path, 'utf8');
  const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(text)?.[1];
  const displayPath = relative(cwd, path) || path;
  if (!block)
    fail(1, `Error: Prisma schema validation\nerror: A datasource must be defined in ${displayPath}`);
  const provider = /provider\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? '';
  const fromEnv = /url\s*=\s*env\(\s*"([^"]+)"\s*\)/.exec(block)?.[1];
  const literal = /url\s*=\s*"([^"]+)"/.exec(block)?.[1];
  let url: string | undefined = literal;
  if (fromEnv) {
    url = env[fromEnv];
    if (url === undefined || url === '') {
      fail(
        1,
        `Error: Prisma schema validation - (get-config wasm)\nError code: P1012\nerror: Environment variable not found: ${fromEnv}.\n  -->  ${displayPath}\n   | \n\nValidation Error Count: 1\n[Context: getConfig]`,
      );
    }
  }
  if (!url) fail(1, `Error: Prisma schema validation\nerror: the datasource in ${displayPath} has no url`);
  if (provider !== 'postgresql')
    fail(1, `prisma stand-in: provider "${provider}" is not modelled (postgresql only)`);
  return { displayPath, dir: dirname(path), provider, url };
}
