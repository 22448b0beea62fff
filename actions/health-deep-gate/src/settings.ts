import { ConfigurationError, input, maskUrlPassword } from '@gatehouse/action-kit';
import { type HttpSettings, readHttpSettings } from '@gatehouse/http-probe/inputs';
import { parseOrdered } from './schema-version';

/** Where each field sits in the deep-health JSON (dotted paths). */
export interface FieldPaths {
  status: string;
  environment: string;
  sha: string;
  schemaVersion: string;
  checks: string;
}

export interface Settings {
  url: string;
  expectedEnvironment: string | undefined;
  expectedSha: string | undefined;
  minSchemaVersion: string | undefined;
  expectedSchemaVersion: string | undefined;
  requiredChecks: string[];
  allowDegraded: boolean;
  paths: FieldPaths;
  http: HttpSettings;
  /** Values never to appear in a report, output or summary. */
  secrets: string[];
}

export function readSettings(): Settings {
  const http = readHttpSettings();
  const url = input.url('url', ['http', 'https'], {
    example: 'https://api.example.com/health/deep',
    required: true,
  });
  const minSchemaVersion = input.identifier('min-schema-version');
  const expectedSchemaVersion = input.identifier('expected-schema-version');
  if (minSchemaVersion !== undefined && expectedSchemaVersion !== undefined) {
    throw new ConfigurationError(
      "Inputs 'min-schema-version' and 'expected-schema-version' cannot both be set: use min- for ordered versions, expected- for exact revision ids.",
    );
  }
  if (minSchemaVersion !== undefined && !parseOrdered(minSchemaVersion)) {
    throw new ConfigurationError(
      `Input 'min-schema-version' must be an ordered version — an integer or digit timestamp (42, 20240115093000), an ISO timestamp or semver (1.4.0) — got '${minSchemaVersion}'. For a revision id like Alembic's, use 'expected-schema-version'.`,
    );
  }
  const expectedSha = input.optionalString('expected-sha');
  if (expectedSha !== undefined && !/^[0-9a-f]{7,64}$/i.test(expectedSha)) {
    throw new ConfigurationError(
      `Input 'expected-sha' must be a commit SHA (7–64 hex characters), got '${expectedSha}'.`,
    );
  }
  return {
    url,
    expectedEnvironment: input.identifier('expected-environment'),
    expectedSha,
    minSchemaVersion,
    expectedSchemaVersion,
    requiredChecks: input.identifierList('required-checks'),
    allowDegraded: input.boolean('allow-degraded', false),
    paths: {
      status: input.identifier('status-path') ?? 'status',
      environment: input.identifier('environment-path') ?? 'environment',
      sha: input.identifier('sha-path') ?? 'version',
      schemaVersion: input.identifier('schema-version-path') ?? 'schema_version',
      checks: input.identifier('checks-path') ?? 'checks',
    },
    http,
    secrets: [...http.secrets, ...maskUrlPassword(url)],
  };
}
