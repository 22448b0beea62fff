/**
 * The docker client's side of talking to a daemon (docs: "docker" CLI reference → exit status;
 * docker/cli's usage and flag errors): a daemon marked down answers nothing, flag errors exit 125.
 */
import { fail, type ToolContext } from '../runtime/context';
import { FlagError, type FlagSpec, type ParsedFlags, parseFlags } from '../runtime/flags';
import { exists } from '../runtime/state';

export const DAEMON_DOWN =
  'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

export function daemonUp(ctx: ToolContext): boolean {
  return !exists(ctx.world.host(ctx.host).daemonDown);
}

/** Everything but `docker info` and flag parsing needs the daemon, as with the real client. */
export function requireDaemon(
  ctx: ToolContext,
  style: { prefix?: string; exitCode?: number; suffix?: string } = {},
) {
  if (!daemonUp(ctx)) fail(style.exitCode ?? 1, `${style.prefix ?? ''}${DAEMON_DOWN}${style.suffix ?? ''}`);
}

/** docker's own flag errors: exit 125 with the command's usage line. */
export function dockerFlags(
  command: string,
  usage: string,
  argv: readonly string[],
  spec: FlagSpec,
): ParsedFlags {
  try {
    return parseFlags(argv, spec);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    fail(
      125,
      `${error.message}\n\nUsage:  docker ${command} ${usage}\n\nRun 'docker ${command} --help' for more information`,
    );
  }
}

export function dockerUsage(command: string, usage: string, requirement: string): never {
  fail(
    1,
    `docker: 'docker ${command}' requires ${requirement}\n\nUsage:  docker ${command} ${usage}\n\nRun 'docker ${command} --help' for more information`,
  );
}

/** What the stand-in does not play fails loudly, never silently. */
export function notModelled(what: string): never {
  fail(125, `docker stand-in: ${what} is not modelled (see testing/stand-ins/README.md)`);
}
