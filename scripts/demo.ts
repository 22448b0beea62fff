/**
 * The local demo: `.github/workflows/deploy.yml` itself, called by scripts/demo/deploy-dev.yml,
 * run four times on GitHub's workflow parser and expression engine against the local world
 * (@gatehouse/local-world). It prints each step as it happens, why a step failed or was skipped,
 * what the demo expected after each run, and the last run's job summary. Exits 0 only when every
 * expectation held. The databases are Debian's PostgreSQL when it is installed, else an embedded
 * PGlite (`--database` chooses), which has no pg_dump: the runs then take no backups.
 */
import { runDemo } from './demo/run-demo';

const USAGE = 'usage: pnpm demo [--database postgres|embedded]';
const [flag, engine, ...rest] = process.argv.slice(2);
if (
  flag !== undefined &&
  (flag !== '--database' || (engine !== 'postgres' && engine !== 'embedded') || rest.length > 0)
) {
  console.error(USAGE);
  process.exit(2);
}
const result = await runDemo(engine === 'postgres' || engine === 'embedded' ? { engine } : {});
process.exitCode = result.ok ? 0 : 1;
