/**
 * What every stand-in invocation shares: finding its world and host, ending the way the real tool
 * ends (a message on stderr and its exit code), and one line in the world's invocation log.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import {
  checkHostName,
  DEFAULT_HOST,
  HOST_ENV,
  ROOT_ENV,
  ROOT_MARKER,
  type WorldLayout,
  worldLayout,
} from './layout';
import { redactArgv } from './redact';

export type ToolName = 'docker' | 'kubectl' | 'railway' | 'prisma';

/** One line of `invocations.jsonl`. */
export interface Invocation {
  tool: ToolName;
  /** The arguments after the tool's name, with secrets replaced by `***`. */
  argv: string[];
  cwd: string;
  host: string;
  /** The environment variables this tool reads: values of plain ones, `<set>` for secret ones. */
  env: Record<string, string>;
  exitCode: number;
  at: string;
  /** What the tool decided (images resolved, revisions made...): never a secret value. */
  details: Record<string, unknown>;
}

/** Ends the tool the way the real one ends: a message on stderr and an exit code. */
export class ToolExit extends Error {
  constructor(
    readonly exitCode: number,
    message = '',
  ) {
    super(message);
  }
}

export function fail(exitCode: number, message: string): never {
  throw new ToolExit(exitCode, message);
}

export interface ToolContext {
  tool: ToolName;
  argv: string[];
  cwd: string;
  host: string;
  world: WorldLayout;
  env: NodeJS.ProcessEnv;
  /** Filled by the tool and written to the invocation log. */
  details: Record<string, unknown>;
  out(text: string): void;
  err(text: string): void;
}

const COMMON_ENV = [HOST_ENV, 'AWS_SSM_INSTANCE_ID'];
const RECORDED_ENV: Record<ToolName, { plain: string[]; secret: string[] }> = {
  docker: {
    plain: ['DOCKER_HOST', 'DOCKER_CONFIG', 'COMPOSE_FILE', 'COMPOSE_PROJECT_NAME', 'COMPOSE_ENV_FILES'],
    secret: [],
  },
  kubectl: { plain: ['KUBECONFIG'], secret: [] },
  railway: {
    plain: ['CI', 'RAILWAY_ENVIRONMENT', 'RAILWAY_SERVICE'],
    secret: ['RAILWAY_TOKEN', 'RAILWAY_API_TOKEN'],
  },
  prisma: { plain: [], secret: ['DATABASE_URL'] },
};

/** The world's root: from the environment, or from a world bin folder on PATH (SSM hosts pass only PATH). */
export function resolveRoot(env: NodeJS.ProcessEnv): string | undefined {
  if (env[ROOT_ENV]) return env[ROOT_ENV];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      return readFileSync(join(dir, ROOT_MARKER), 'utf8').trim();
    } catch {
      // Not a world's bin folder.
    }
  }
  return undefined;
}

export function resolveHost(env: NodeJS.ProcessEnv): string {
  return checkHostName(env[HOST_ENV] || env.AWS_SSM_INSTANCE_ID || DEFAULT_HOST);
}

/**
 * Runs one tool invocation: finds the world, runs `body`, records the invocation, sets the exit
 * code. A `ToolExit` is the tool failing as the real one does; anything else is a stand-in bug and
 * says so, loudly, with exit code 70.
 */
export async function runTool(
  tool: ToolName,
  argv: string[],
  body: (ctx: ToolContext) => Promise<number> | number,
): Promise<void> {
  const env = process.env;
  const root = resolveRoot(env);
  if (!root) {
    process.stderr.write(
      `${tool} stand-in: no world to play in: set ${ROOT_ENV}, or put a world's bin folder first on PATH\n`,
    );
    process.exitCode = 70;
    return;
  }
  const ctx: ToolContext = {
    tool,
    argv,
    cwd: process.cwd(),
    host: resolveHost(env),
    world: worldLayout(root),
    env,
    details: {},
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  let exitCode: number;
  try {
    exitCode = await body(ctx);
  } catch (error) {
    if (error instanceof ToolExit) {
      if (error.message) ctx.err(error.message.endsWith('\n') ? error.message : `${error.message}\n`);
      exitCode = error.exitCode;
    } else {
      ctx.err(`${tool} stand-in: internal error (a bug in the stand-in, not in what it ran):\n`);
      ctx.err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      exitCode = 70;
    }
  }
  record(ctx, exitCode);
  process.exitCode = exitCode;
}

function record(ctx: ToolContext, exitCode: number): void {
  const { plain, secret } = RECORDED_ENV[ctx.tool];
  const env: Record<string, string> = {};
  for (const name of [...COMMON_ENV, ...plain]) if (ctx.env[name] !== undefined) env[name] = ctx.env[name]!;
  for (const name of secret) if (ctx.env[name] !== undefined) env[name] = '<set>';
  const line: Invocation = {
    tool: ctx.tool,
    argv: redactArgv(ctx.argv),
    cwd: ctx.cwd,
    host: ctx.host,
    env,
    exitCode,
    at: new Date().toISOString(),
    details: ctx.details,
  };
  mkdirSync(dirname(ctx.world.invocations), { recursive: true });
  // One write per line with O_APPEND: lines from concurrent processes never interleave.
  appendFileSync(ctx.world.invocations, `${JSON.stringify(line)}\n`);
}
