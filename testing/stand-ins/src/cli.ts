/**
 * The one entry of every stand-in executable: `bin/<tool>` runs `node cli.ts <tool> args...`.
 * Importing a tool module does no work; only this file runs anything.
 */
import type { ToolContext, ToolName } from './runtime/context';
import { runTool } from './runtime/context';

const TOOLS: Record<ToolName, () => Promise<(ctx: ToolContext, argv: string[]) => Promise<number> | number>> =
  {
    docker: async () => (await import('./docker/cli')).dockerCli,
    kubectl: async () => (await import('./kubernetes/cli')).kubectlCli,
    railway: async () => (await import('./railway/cli')).railwayCli,
    prisma: async () => (await import('./prisma/cli')).prismaCli,
  };

// bin/<tool> prefixes each argument with ':' (see there why).
const [tool, ...argv] = [process.argv[2], ...process.argv.slice(3).map((arg) => arg.slice(1))];
if (!tool || !(tool in TOOLS)) {
  process.stderr.write(`stand-ins: unknown tool '${tool ?? ''}' (known: ${Object.keys(TOOLS).join(', ')})\n`);
  process.exitCode = 70;
} else {
  const name = tool as ToolName;
  const cli = await TOOLS[name]();
  await runTool(name, argv, (ctx) => cli(ctx, argv));
}
