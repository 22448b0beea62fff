import { ConfigurationError, input, maskUrlPassword } from '@gatehouse/action-kit';
import { type PostgresAddress, postgresAddress } from '@gatehouse/action-kit/known-errors';
import type { TargetSettings } from '@gatehouse/command-runner';
import { readTargetSettings } from '@gatehouse/command-runner/inputs';
import type { HostCheckSettings } from './host-checks';

export interface Settings {
  targets: TargetSettings;
  host: HostCheckSettings;
  /** Local database marker check through the pg driver (target local). */
  database: { url: string; address: PostgresAddress; query: string } | undefined;
  timeoutMs: number;
  /** Hosts that disagree on their version, or record none, fail preflight (else: a warning). */
  requireSameVersion: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const UNITS: Record<string, number> = { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 };

export function readSettings(): Settings {
  const targets = readTargetSettings();
  const databaseUrl = input.secretString('database-url');
  const databaseQueryCommand = input.optionalString('database-query-command');
  if (databaseUrl && targets.target === 'ssm') {
    throw new ConfigurationError(
      "Input 'database-url' is for target 'local'; with target 'ssm' use 'database-query-command' (run on the host).",
    );
  }
  const address = databaseUrl === undefined ? undefined : postgresAddress('database-url', databaseUrl);
  const expectedEnvironment = input.identifier('expected-environment');
  if (databaseUrl && !expectedEnvironment) {
    throw new ConfigurationError(
      "Input 'database-url' needs 'expected-environment' to compare the marker with.",
    );
  }
  // The password alone too, as written and decoded: a driver may print it outside the URL.
  if (databaseUrl) maskUrlPassword(databaseUrl);
  return {
    targets,
    host: {
      appDir: input.requiredString('app-dir'),
      stateDir: input.requiredString('state-dir'),
      gitCheckout: input.boolean('git-checkout', true),
      expectedOwner: input.identifier('expected-owner'),
      envFile: input.optionalString('env-file') ?? '.env',
      requiredVars: names('required-vars', input.list('required-vars')),
      environmentVar: names('environment-var', [input.optionalString('environment-var') ?? 'APP_ENV'])[0]!,
      expectedEnvironment,
      requireDocker: input.boolean('require-docker', false),
      requireCommands: input.identifierList('require-commands'),
      minFreeDiskKb: diskSize('min-free-disk', input.optionalString('min-free-disk') ?? '1G'),
      databaseQueryCommand,
    },
    database:
      databaseUrl && address
        ? {
            url: databaseUrl,
            address,
            query:
              input.optionalString('database-marker-query') ?? 'SELECT environment FROM app_settings LIMIT 1',
          }
        : undefined,
    timeoutMs: input.duration('timeout', '5m', { min: '1s', max: '24h' }),
    requireSameVersion: input.boolean('require-same-version', false),
  };
}

function names(inputName: string, values: string[]): string[] {
  const bad = values.filter((v) => !NAME.test(v));
  if (bad.length > 0) {
    throw new ConfigurationError(
      `Input '${inputName}' must list variable names (letters, digits, _), got ${bad.map((b) => `'${b}'`).join(', ')}.`,
    );
  }
  return values;
}

/** 1024T (1 PiB) in KiB: no disk is bigger, and the host's shell compares whole numbers of KiB. */
const MAX_DISK_KB = 1024 ** 4;

/** `500M`, `2G`, `1.5G`, `100K` (binary units) → KiB, from 0K to 1024T. */
export function diskSize(inputName: string, text: string): number {
  const match = /^(\d{1,16}(?:\.\d{1,6})?)\s*([KMGT])i?B?$/i.exec(text.trim());
  const kb = match ? Math.ceil(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(kb) || kb > MAX_DISK_KB) {
    throw new ConfigurationError(
      `Input '${inputName}' must be a size from 0K to 1024T, like 500M or 2G (binary units), got '${text}'.`,
    );
  }
  return kb;
}
