import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyScript,
  type HostScriptValues,
  snapshotScript,
  toolScript,
} from '../actions/db-bootstrap/src/host-db-script';
import { type HostCheckSettings, hostCheckScript } from '../actions/preflight/src/host-checks';
import { platformRollbackScript } from '../actions/rollback/src/platform-script';
import {
  buildDeployScript,
  buildStateReadScript,
  buildVerifyScript,
  type DeployScriptOptions,
  scriptForDisplay,
} from '../packages/host-script/src';
import { repoRoot } from '../scripts/actions';

/**
 * Every script Gatehouse sends to a host (or runs on the runner), as it is actually generated —
 * header and `.sh` bodies together — in every mode, read by shellcheck with every optional check
 * on. A finding fails the test unless the `.sh` line carries a `# shellcheck disable=SCxxxx # why`.
 */
const SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const HOSTILE = `it's $(touch pwned) \`x\` "; rm -rf / #\nline two`;

const deploy = (overrides: Partial<DeployScriptOptions> = {}): DeployScriptOptions => ({
  mode: 'image',
  version: { imageTag: 'v1', ref: 'refs/heads/main', image: 'ghcr.io/o/api' },
  appDir: '/opt/app',
  stateDir: '/var/lib/app',
  run: { runId: '42', actor: 'octocat', environment: 'dev' },
  lockTimeoutSeconds: 30,
  historySize: 20,
  ...overrides,
});

const preflight = (overrides: Partial<HostCheckSettings> = {}): HostCheckSettings => ({
  appDir: '/opt/app',
  stateDir: '/var/lib/app',
  gitCheckout: false,
  expectedOwner: undefined,
  envFile: '.env',
  requiredVars: [],
  environmentVar: 'APP_ENV',
  expectedEnvironment: undefined,
  requireDocker: false,
  requireCommands: [],
  minFreeDiskKb: 1024,
  databaseQueryCommand: undefined,
  ...overrides,
});

const db = (overrides: Partial<HostScriptValues> = {}): HostScriptValues => ({
  appDir: '/opt/app',
  prefix: [],
  urlVariable: 'DATABASE_URL',
  versionTable: 'alembic_version',
  versionQuery: 'SELECT version_num FROM alembic_version',
  ...overrides,
});

const backup = { dir: 'db-backups', prefix: 'db-bootstrap', timestamp: '20260101T000000000Z', keep: 5 };
const verifyBoth = {
  command: 'curl -fsS localhost:8080/healthz',
  url: 'http://127.0.0.1:8080/health',
  timeoutSeconds: 60,
};

/** The shell part of a dry run's plan: the script as shown, before the commands printed in clear. */
function planScript(options: DeployScriptOptions): string {
  const shown = scriptForDisplay(buildDeployScript(options), {
    'deploy commands': options.commands,
    'verify-command': options.verify?.command,
  });
  return shown.split('\n----- ')[0]!;
}

const SCRIPTS: Record<string, () => string> = {
  'deploy, image mode, nothing else': () => buildDeployScript(deploy()),
  'deploy, image mode, commands, env file and key': () =>
    buildDeployScript(deploy({ commands: HOSTILE, envFile: '/etc/app/env', imageTagKey: 'API_TAG' })),
  'deploy, image mode, verify-command and verify-url': () =>
    buildDeployScript(deploy({ commands: 'docker compose up -d', verify: verifyBoth })),
  'deploy, git mode': () =>
    buildDeployScript(deploy({ mode: 'git', version: { sha: SHA, ref: 'refs/heads/main' } })),
  'deploy, git mode, force, commands, verify-url': () =>
    buildDeployScript(
      deploy({
        mode: 'git',
        version: { sha: SHA },
        force: true,
        commands: 'make release',
        verify: { url: 'http://127.0.0.1:8080/health', timeoutSeconds: 30 },
      }),
    ),
  'deploy, lock-timeout 0, hostile values': () =>
    buildDeployScript(
      deploy({
        lockTimeoutSeconds: 0,
        appDir: HOSTILE,
        stateDir: HOSTILE,
        run: { runId: HOSTILE, actor: HOSTILE, environment: HOSTILE },
        version: { imageTag: 'v2', ref: HOSTILE, image: HOSTILE },
      }),
    ),
  'rollback, image mode': () =>
    buildDeployScript(deploy({ kind: 'rollback', commands: 'docker compose up -d' })),
  'rollback, git mode, verify-command': () =>
    buildDeployScript(
      deploy({
        kind: 'rollback',
        mode: 'git',
        version: { sha: SHA },
        verify: { command: 'systemctl is-active app', timeoutSeconds: 30 },
      }),
    ),
  'rollback, the platform command on the runner': () =>
    platformRollbackScript({ command: 'kubectl rollout undo deploy/api', to: 'v41', environment: 'prod' }),
  'rollback, the platform command, no version named': () =>
    platformRollbackScript({ command: HOSTILE, to: undefined, environment: 'prod' }),
  'state read (rollback, dry runs)': () => buildStateReadScript('/var/lib/app'),
  'verify only (a bake re-check), verify-command': () =>
    buildVerifyScript({
      version: { imageTag: 'v1' },
      appDir: '/opt/app',
      environment: 'dev',
      verify: { command: 'true', timeoutSeconds: 10 },
    }),
  'verify only (a bake re-check), verify-url': () =>
    buildVerifyScript({
      version: { sha: SHA },
      appDir: '/opt/app',
      environment: 'dev',
      verify: { url: 'http://127.0.0.1/health', timeoutSeconds: 10 },
    }),
  'verify only (a bake re-check), both': () =>
    buildVerifyScript({ version: { sha: SHA }, appDir: '/opt/app', environment: 'dev', verify: verifyBoth }),
  'dry-run plan, image mode': () =>
    planScript(deploy({ commands: 'docker compose up -d', verify: verifyBoth })),
  'dry-run plan, git mode': () =>
    planScript(deploy({ mode: 'git', version: { sha: SHA }, commands: 'make release' })),
  'preflight, every option at its default': () => hostCheckScript(preflight()),
  'preflight, git checkout and owner': () =>
    hostCheckScript(preflight({ gitCheckout: true, expectedOwner: 'app' })),
  'preflight, required vars and expected environment': () =>
    hostCheckScript(
      preflight({
        requiredVars: ['DATABASE_URL', 'SECRET_KEY'],
        expectedEnvironment: 'prod',
        envFile: '/etc/app.env',
      }),
    ),
  'preflight, docker and commands': () =>
    hostCheckScript(preflight({ requireDocker: true, requireCommands: ['docker', 'psql', HOSTILE] })),
  'preflight, database query command': () =>
    hostCheckScript(
      preflight({
        expectedEnvironment: 'prod',
        databaseQueryCommand: 'docker compose exec -T db psql -At -c "select environment from app_settings"',
      }),
    ),
  'preflight, hostile values': () =>
    hostCheckScript(
      preflight({ appDir: HOSTILE, stateDir: HOSTILE, expectedOwner: HOSTILE, envFile: HOSTILE }),
    ),
  'db-bootstrap, read the schema': () => snapshotScript(db()),
  'db-bootstrap, read the schema behind a prefix': () =>
    snapshotScript(db({ prefix: ['docker', 'compose', 'exec', '-T', 'web'], urlVariable: 'APP_DB_URL' })),
  "db-bootstrap, one of the tool's commands": () => toolScript(db(), 'alembic heads'),
  "db-bootstrap, one of the tool's commands behind a prefix": () =>
    toolScript(db({ prefix: ['docker', 'compose', 'exec', '-T', 'web'] }), HOSTILE),
  'db-bootstrap, migrate without a backup': () =>
    applyScript(db(), {
      expectedRawSnapshot: 'tables:\nversion-table:none',
      lockTimeoutMs: 60_000,
      migrate: 'alembic upgrade head',
    }),
  'db-bootstrap, stamp only': () =>
    applyScript(db(), { expectedRawSnapshot: 'tables:users', lockTimeoutMs: 1, stamp: 'alembic stamp 0001' }),
  'db-bootstrap, back up, stamp and migrate behind a prefix': () =>
    applyScript(db({ prefix: ['docker', 'compose', 'exec', '-T', 'web'] }), {
      expectedRawSnapshot: 'tables:users,audit_events\nversion-table:none',
      lockTimeoutMs: 30_000,
      backup,
      stamp: 'alembic stamp 0001_baseline',
      migrate: 'alembic upgrade head',
    }),
  'db-bootstrap, back up only': () =>
    applyScript(db(), {
      expectedRawSnapshot: 'tables:users',
      lockTimeoutMs: 30_000,
      backup: { ...backup, prefix: HOSTILE },
    }),
};

interface Finding {
  line: number;
  column: number;
  level: string;
  code: number;
  message: string;
}

function shellcheck(script: string): Finding[] {
  const result = spawnSync('shellcheck', ['--shell=bash', '--enable=all', '--format=json1', '-'], {
    input: script,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(
      `shellcheck failed to run (${result.error ?? `exit ${result.status}`}): ${result.stderr}`,
    );
  }
  return (JSON.parse(result.stdout) as { comments: Finding[] }).comments;
}

describe('shellcheck reads every host script as generated', () => {
  it.each(Object.keys(SCRIPTS))('%s', (name) => {
    const script = SCRIPTS[name]!();
    const lines = script.split('\n');
    const findings = shellcheck(script).map(
      (f) =>
        `line ${f.line}:${f.column} SC${f.code} (${f.level}) ${f.message}\n    ${lines[f.line - 1]?.trim()}`,
    );
    expect(findings).toEqual([]);
  });

  it('finds what it should: a finding in a script fails this test', () => {
    const findings = shellcheck(`${buildStateReadScript('/var/lib/app')}\nprintf '%s\\n' $1\n`);
    expect(findings.map((f) => f.code)).toContain(2086);
  });
});

/** Every `.sh` that ships: in a package's or an action's src. */
function shellFiles(): string[] {
  return ['packages', 'actions'].flatMap((top) =>
    readdirSync(join(repoRoot, top), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.sh') && /\/src(\/|$)/.test(e.parentPath))
      .map((e) => relative(repoRoot, join(e.parentPath, e.name))),
  );
}

describe('the .sh files', () => {
  it('exist, one per script part', () => {
    expect(shellFiles().length).toBeGreaterThanOrEqual(10);
  });

  it.each(shellFiles())('%s: every disabled check says why, on its own line', (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    expect(text.startsWith('# shellcheck shell=bash\n'), 'first line names the shell, for editors').toBe(
      true,
    );
    const directives = text.split('\n').filter((line) => /#\s*shellcheck\s+disable/.test(line));
    for (const line of directives) {
      expect(line, `${file}: a disable needs a reason after it`).toMatch(
        /^\s*# shellcheck disable=SC\d{4}(,SC\d{4})* # \S.{10,}$/,
      );
    }
  });
});
