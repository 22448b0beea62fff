/**
 * `pnpm example <name> [--break <kind>] [--variant <name>] [--verbose]`: runs one example workflow
 * in the local world — filled in with the world's values as a person copying it would — and prints
 * its story, its steps as they happen and its job summary. The exit status is the run's: 0 when it
 * succeeded, 1 when it failed (as it should with most breaks). The tests run examples through the
 * same `runExample`.
 */
import { listExamples, loadExample, printingReporter, runExample } from '@gatehouse/local-world';

const USAGE = 'usage: pnpm example <name> [--break <kind>] [--variant <name>] [--verbose]';

async function main(argv: string[]): Promise<number> {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--verbose' || arg === '--help' || arg === '-h') flags[arg.replace(/^-+/, '')] = true;
    else if (arg === '--break' || arg === '--variant') {
      const value = argv[++i];
      if (!value) throw new Error(`${arg} needs a value.\n${USAGE}`);
      flags[arg.slice(2)] = value;
    } else if (arg.startsWith('-')) throw new Error(`Unknown option ${arg}.\n${USAGE}`);
    else positional.push(arg);
  }
  if (flags.help || positional.length !== 1) {
    console.log(USAGE);
    for (const name of listExamples()) {
      const example = await loadExample(name);
      console.log(`\n  ${name.padEnd(18)} ${example.file}: ${example.title}`);
      for (const [kind, what] of Object.entries(example.breaks))
        console.log(`    --break ${kind.padEnd(11)} ${what}`);
      for (const [variant, what] of Object.entries(example.variants ?? {}))
        console.log(`    --variant ${variant.padEnd(9)} ${what}`);
    }
    return flags.help || positional.length === 0 ? 0 : 2;
  }
  const name = positional[0]!;
  const example = await loadExample(name);
  console.log(`${example.file}: ${example.title}`);
  console.log('Starting the local world (SSM hosts, stand-in tools, GitHub API, databases, services)…');
  const run = await runExample(example, {
    ...(typeof flags.break === 'string' ? { break: flags.break } : {}),
    ...(typeof flags.variant === 'string' ? { variant: flags.variant } : {}),
    reporter: printingReporter((line) => console.log(line), { verbose: flags.verbose === true }),
  });
  return run.result.conclusion === 'success' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
