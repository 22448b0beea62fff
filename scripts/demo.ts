/**
 * The local demo: `.github/workflows/deploy.yml` itself, called by scripts/demo/deploy-dev.yml,
 * run four times on GitHub's workflow parser and expression engine against the local world
 * (@gatehouse/local-world). It prints each step as it happens, why a step failed or was skipped,
 * what the demo expected after each run, and the last run's job summary. Exits 0 only when every
 * expectation held.
 */
import { runDemo } from './demo/run-demo';

const result = await runDemo();
process.exitCode = result.ok ? 0 : 1;
