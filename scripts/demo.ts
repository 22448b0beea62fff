/**
 * The local demo: runs the built actions through the runner harness, as a GitHub runner would,
 * against local stand-ins (the GitHub API stub), and checks every expectation.
 * Exits 0 only when every expectation held.
 *
 * Today it shows resolve-ref deciding what to deploy for each kind of run.
 */
import { join } from 'node:path';
import { startGithubApiStub } from '@gatehouse/github-api-stub';
import { runAction } from '@gatehouse/runner-harness';
import { repoRoot } from './actions';

const MAIN = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const FEATURE = '1d6e2c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d';
const TAGGED = '8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e';
const TOKEN = 'ghs_demoToken';
const repository = 'example/service';
const repo = { id: 1, name: 'service', full_name: repository, default_branch: 'main' };

interface Scenario {
  title: string;
  eventName: string;
  event: object;
  ref: string;
  sha: string;
  inputs: Record<string, string>;
  expect: { sha?: string; source?: string; ref?: string; error?: RegExp };
}

const scenarios: Scenario[] = [
  {
    title: 'push to main → dev',
    eventName: 'push',
    event: { ref: 'refs/heads/main', after: MAIN, repository: repo },
    ref: 'refs/heads/main',
    sha: MAIN,
    inputs: { environment: 'dev' },
    expect: { sha: MAIN, source: 'push', ref: 'refs/heads/main' },
  },
  {
    title: 'push of tag v1.4.0 → stage',
    eventName: 'push',
    event: { ref: 'refs/tags/v1.4.0', after: TAGGED, repository: repo },
    ref: 'refs/tags/v1.4.0',
    sha: TAGGED,
    inputs: { environment: 'stage' },
    expect: { sha: TAGGED, source: 'push', ref: 'refs/tags/v1.4.0' },
  },
  {
    title: 'dispatch, ref "v1.4.0" → dev',
    eventName: 'workflow_dispatch',
    event: { inputs: { git_ref: 'v1.4.0' }, ref: 'refs/heads/main', repository: repo },
    ref: 'refs/heads/main',
    sha: MAIN,
    inputs: { environment: 'dev', ref: 'v1.4.0' },
    expect: { sha: TAGGED, source: 'input', ref: 'refs/tags/v1.4.0' },
  },
  {
    title: 'dispatch on feature/login, empty ref → dev',
    eventName: 'workflow_dispatch',
    event: { inputs: { git_ref: '' }, ref: 'refs/heads/feature/login', repository: repo },
    ref: 'refs/heads/feature/login',
    sha: FEATURE,
    inputs: { environment: 'dev' },
    expect: { sha: FEATURE, source: 'dispatch-branch' },
  },
  {
    title: 'dispatch on feature/login, empty ref → prod',
    eventName: 'workflow_dispatch',
    event: { inputs: { git_ref: '' }, ref: 'refs/heads/feature/login', repository: repo },
    ref: 'refs/heads/feature/login',
    sha: FEATURE,
    inputs: { environment: 'prod' },
    expect: { sha: MAIN, source: 'protected-default', ref: 'refs/heads/main' },
  },
  {
    title: 'release v1.4.0 → prod',
    eventName: 'release',
    event: { action: 'published', release: { tag_name: 'v1.4.0' }, repository: repo },
    ref: 'refs/tags/v1.4.0',
    sha: TAGGED,
    inputs: { environment: 'prod' },
    expect: { sha: TAGGED, source: 'release' },
  },
  {
    title: 'dispatch, ref "main;reboot" → prod',
    eventName: 'workflow_dispatch',
    event: { inputs: { git_ref: 'main;reboot' }, ref: 'refs/heads/main', repository: repo },
    ref: 'refs/heads/main',
    sha: MAIN,
    inputs: { environment: 'prod', ref: 'main;reboot' },
    expect: { error: /not a valid ref \(contains the shell metacharacter ';'\)/ },
  },
  {
    title: 'dispatch, ref "feature/login" → prod, must have passed stage',
    eventName: 'workflow_dispatch',
    event: { inputs: { git_ref: 'feature/login' }, ref: 'refs/heads/main', repository: repo },
    ref: 'refs/heads/main',
    sha: MAIN,
    inputs: { environment: 'prod', ref: 'feature/login', 'require-successful-deployment-in': 'stage' },
    expect: { error: /has not been deployed successfully to 'stage'/ },
  },
];

async function main(): Promise<number> {
  const api = await startGithubApiStub({
    repository,
    token: TOKEN,
    branches: { main: MAIN, 'feature/login': FEATURE },
    tags: { 'v1.4.0': { commit: TAGGED, annotated: 'ffffeeeeddddccccbbbbaaaa9999888877776666' } },
    deployments: [{ environment: 'stage', sha: TAGGED, statuses: ['in_progress', 'success'] }],
  });
  let failures = 0;
  const started = performance.now();
  console.log('Gatehouse demo — resolve-ref: which commit each run deploys, and why\n');
  try {
    for (const scenario of scenarios) {
      const run = await runAction({
        actionDir: join(repoRoot, 'actions', 'resolve-ref'),
        inputs: { token: TOKEN, ...scenario.inputs },
        github: {
          eventName: scenario.eventName,
          event: scenario.event,
          ref: scenario.ref,
          sha: scenario.sha,
          repository,
          apiUrl: api.url,
          token: TOKEN,
        },
      });
      const problems: string[] = [];
      const { expect: want } = scenario;
      if (want.error) {
        if (run.succeeded) problems.push('expected a refusal, but it succeeded');
        else if (!want.error.test(run.errors.join('\n')))
          problems.push(`unexpected error: ${run.errors.join('; ')}`);
      } else {
        if (!run.succeeded) problems.push(`failed: ${run.errors.join('; ')}`);
        for (const key of ['sha', 'source', 'ref'] as const) {
          if (want[key] !== undefined && run.outputs[key] !== want[key]) {
            problems.push(`${key} is ${run.outputs[key]}, expected ${want[key]}`);
          }
        }
      }
      const outcome = run.succeeded
        ? `${run.outputs.sha?.slice(0, 7)} ${run.outputs.ref} (${run.outputs.source})`
        : `refused: ${run.errors[0]}`;
      console.log(`${problems.length ? '✗' : '✓'} ${scenario.title.padEnd(58)} ${outcome}`);
      for (const problem of problems) console.log(`    ${problem}`);
      failures += problems.length ? 1 : 0;
    }
  } finally {
    await api.close();
  }
  console.log(
    `\n${scenarios.length - failures} of ${scenarios.length} expectations held in ${Math.round(performance.now() - started)} ms.`,
  );
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
