/**
 * The local demo: runs the built actions through the runner harness, as a GitHub runner would,
 * against local stand-ins (two SSM hosts in the emulator, an embedded PostgreSQL with a legacy
 * schema, a sample service behind an http→https redirect, the GitHub API stub), and checks every
 * expectation. Exits 0 only when every expectation held.
 *
 * It shows the dev pipeline deploying release 1 (legacy schema stamped and migrated) and release
 * 2, then rolling back a broken release 3 and a release 4 that talks to stage's database.
 */
import { runDemo } from './demo/run-demo';

const result = await runDemo();
process.exitCode = result.ok ? 0 : 1;
