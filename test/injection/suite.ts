import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type PostgresServer,
  postgresUnavailableReason,
  startPostgres,
} from '@gatehouse/postgres-test-server';
import { type ActionRun, runAction } from '@gatehouse/runner-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../../scripts/actions';
import { inlinePayload, LINES_PAYLOAD, readAsRunner } from './read-as-runner';

/**
 * Payloads in both forms through every input of an action, as action.yml declares them (so a new
 * input is covered the day it is added), each in a run of the bundle that gets as far as the
 * value allows. The output is read line by line as the runner reads it: no injected command may
 * be acted on, and a failed step must still say why.
 */

export const SHA = 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe';

/** What one run needs from the world: folders, an HTTP app, a database. */
interface World {
  dir: string;
  http: string;
  databaseUrl: string | undefined;
}

interface Plan {
  /** Inputs for a run that gets far: each input under test replaces its own. */
  base: (world: World) => Record<string, string>;
  /** Another base for some inputs (ones the first base would never read). */
  alternate?: { inputs: readonly string[]; base: (world: World) => Record<string, string> };
  /** How a payload is put into an input whose syntax would refuse it before it could go far. */
  carry?: Record<string, (payload: string, world: World) => string>;
  github?: Parameters<typeof runAction>[0]['github'];
  /** The errors of the base run alone (it may fail on purpose, far from its start). */
  baseError?: RegExp;
  /** Why the action cannot run here, if it cannot. */
  unavailable?: () => string | undefined;
}

/** Bash that prints the payload as it is (each run writes it to `payload` in its folder). */
const printed = (_: string, world: World) => `cat '${join(world.dir, 'payload')}'`;
const printedThenFail = (payload: string, world: World) => `${printed(payload, world)}; exit 3`;

export const PLANS: Record<string, Plan> = {
  'resolve-ref': {
    base: () => ({ environment: 'dev' }),
    github: {
      eventName: 'push',
      event: { ref: 'refs/heads/main', after: SHA },
      ref: 'refs/heads/main',
      sha: SHA,
    },
  },
  preflight: {
    base: ({ dir }) => ({
      target: 'local',
      'app-dir': join(dir, 'app'),
      'state-dir': join(dir, 'state'),
      'git-checkout': 'false',
      'expected-environment': 'dev',
      'required-vars': 'APP_ENV',
    }),
  },
  'deploy-ssm': {
    base: ({ dir }) => ({
      target: 'local',
      mode: 'image',
      'image-tag': 'v1',
      environment: 'dev',
      'app-dir': join(dir, 'app'),
      'state-dir': join(dir, 'state'),
      commands: 'echo deployed',
      // A failing verify-command is retried for this long: the shortest there is.
      'verify-timeout': '1s',
    }),
    // A git deploy, as a dry run: the plan names the commit and the ref.
    alternate: {
      inputs: ['ref', 'sha'],
      base: ({ dir }) => ({
        target: 'local',
        mode: 'git',
        sha: SHA,
        ref: 'refs/heads/main',
        environment: 'dev',
        'app-dir': join(dir, 'app'),
        'state-dir': join(dir, 'state'),
        'dry-run': 'true',
      }),
    },
    // Bash that prints the payload, as a deployed app might, and fails: the host's output is shown.
    carry: { commands: printedThenFail, 'verify-command': printedThenFail },
  },
  rollback: {
    // The host rollback, as a dry run: it reads the state and prints the plan and the script.
    base: ({ dir }) => ({
      target: 'local',
      mode: 'image',
      to: 'v1',
      environment: 'dev',
      'app-dir': join(dir, 'app'),
      'state-dir': join(dir, 'state'),
      'dry-run': 'true',
    }),
    // A platform's own rollback command, run for real; it names the version it goes to.
    alternate: {
      inputs: ['command', 'to'],
      base: () => ({ target: 'local', to: 'v1', environment: 'dev', command: 'echo rolled back' }),
    },
    // The platform's command prints the payload and succeeds: its output is shown.
    carry: { command: printed },
  },
  'smoke-check': {
    base: ({ http }) => ({ 'base-url': http, checks: '- path: /healthz', timeout: '0s' }),
    carry: { checks: (payload) => `- path: /healthz\n  name: ${JSON.stringify(payload)}` },
  },
  'health-deep-gate': {
    base: ({ http }) => ({ url: `${http}/health/deep`, 'expected-environment': 'dev', timeout: '0s' }),
  },
  summary: {
    base: ({ dir }) => ({ 'records-dir': join(dir, 'records'), environment: 'dev', 'job-status': 'success' }),
  },
  'db-bootstrap': {
    base: ({ databaseUrl }) => ({
      target: 'local',
      'database-url': databaseUrl ?? '',
      'app-dir': join(repoRoot, 'actions', 'db-bootstrap', 'test', 'fixtures', 'alembic'),
      tool: 'alembic',
      'expected-version': '0002_orders',
      backup: 'never',
      // Changes nothing: every run finds the same empty database.
      'migrate-command': 'echo migrated',
    }),
    carry: { 'migrate-command': printed },
    // The migration "ran" (the tool's output is shown), and the check after it names what is wrong.
    baseError: /^After migrated, the database at .* is at no version, not 0002_orders\./,
    unavailable: () => postgresUnavailableReason(),
  },
};

/** Every input of an action, from its action.yml. */
export function manifestInputs(action: string): string[] {
  const text = readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8');
  return Object.keys((parse(text) as { inputs?: Record<string, unknown> }).inputs ?? {});
}

/** The health endpoint and the smoke check's route: healthy, in dev, serving SHA. */
function startApp(): Promise<Server> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      req.url?.startsWith('/health/deep')
        ? JSON.stringify({
            status: 'ok',
            environment: 'dev',
            version: SHA,
            schema_version: '1',
            checks: { database: 'ok' },
          })
        : JSON.stringify({ ok: true, version: SHA }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function injectionSuite(action: string): void {
  const plan = PLANS[action];
  if (!plan) throw new Error(`test/injection/suite.ts has no plan for actions/${action}`);
  const unavailable = plan.unavailable?.();
  const inputs = manifestInputs(action);

  describe.skipIf(unavailable)(
    `actions/${action}: no input can issue a workflow command${unavailable ? ` (skipped: ${unavailable})` : ''}`,
    () => {
      let app: Server;
      let postgres: PostgresServer | undefined;
      let databaseUrl: string | undefined;
      beforeAll(async () => {
        app = await startApp();
        if (action === 'db-bootstrap') {
          postgres = await startPostgres();
          databaseUrl = await postgres.createDatabase(`injection_${process.pid}`);
        }
      });
      afterAll(async () => {
        await new Promise((resolve) => app?.close(resolve));
        await postgres?.stop();
      });

      async function runWith(input?: string, payload?: string): Promise<ActionRun> {
        const dir = await mkdtemp(join(tmpdir(), `gatehouse-injection-${action}-`));
        await mkdir(join(dir, 'app'), { recursive: true });
        await writeFile(join(dir, 'app', '.env'), 'APP_ENV=dev\n');
        const world: World = {
          dir,
          http: `http://127.0.0.1:${(app.address() as AddressInfo).port}`,
          databaseUrl,
        };
        const base = input && plan!.alternate?.inputs.includes(input) ? plan!.alternate.base : plan!.base;
        if (payload !== undefined) await writeFile(join(dir, 'payload'), payload);
        const given =
          input === undefined ? {} : { [input]: plan!.carry?.[input]?.(payload!, world) ?? payload! };
        return runAction({
          actionDir: join(repoRoot, 'actions', action),
          inputs: { ...base(world), ...given },
          github: { workspace: dir, ...plan!.github },
          env: { AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', AWS_REGION: 'eu-west-1' },
          timeoutMs: 60_000,
        });
      }

      it('runs as planned without a payload', async () => {
        const run = await runWith();
        expect(readAsRunner(run)).toEqual([]);
        expect(run.errors).toEqual(plan!.baseError ? [expect.stringMatching(plan!.baseError)] : []);
      });

      it.each(inputs.map((input, turn) => [input, turn] as const))(
        "'%s': a payload on lines of its own, and one inside a line, issue nothing",
        async (input, turn) => {
          for (const payload of [LINES_PAYLOAD, inlinePayload(turn)]) {
            const run = await runWith(input, payload);
            expect(readAsRunner(run), JSON.stringify(payload)).toEqual([]);
          }
        },
      );
    },
  );
}
