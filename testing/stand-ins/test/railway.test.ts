import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type StandInWorld } from '../src/index';
import { bash, folder } from './helpers';

let world: StandInWorld;
let repo: string;
const commits: string[] = [];
const TOKEN = 'project-token-7f3a';
const UP = 'railway up --ci --service "$RAILWAY_SERVICE" --environment "$RAILWAY_ENVIRONMENT"';

beforeEach(async () => {
  world = await createWorld();
  world.railway.configure({ token: TOKEN, environments: ['production', 'staging'], services: ['api'] });
  repo = folder(world, 'checkout', { 'app.txt': 'one\n' });
  const git = 'git -c user.name=t -c user.email=t@example.test';
  const made = await bash(
    world,
    `git init -q -b main . && ${git} add . && ${git} commit -qm one && git rev-parse HEAD && echo two > app.txt && ${git} commit -qam two && git rev-parse HEAD`,
    { cwd: repo },
  );
  commits.splice(0, commits.length, ...made.stdout.trim().split('\n'));
});
afterEach(async () => world.close());

function railway(script: string, env: Record<string, string> = {}) {
  return bash(world, script, {
    cwd: repo,
    env: { RAILWAY_TOKEN: TOKEN, RAILWAY_SERVICE: 'api', RAILWAY_ENVIRONMENT: 'production', ...env },
  });
}

describe('railway stand-in', () => {
  it('deploys the checked-out commit to the service and environment, which then serves it', async () => {
    const result = await railway(UP);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('CI mode enabled\nDeploy complete\n');
    expect(world.railway.serving('production', 'api')).toMatchObject({
      commit: commits[1],
      dirty: false,
      status: 'SUCCESS',
    });
    expect(world.railway.serving('staging', 'api')).toBeUndefined();
    // The example's rollback: check out the commit that served before, and `railway up` again.
    await railway(`git checkout -q --detach ${commits[0]} && ${UP}`);
    expect(world.railway.serving('production', 'api')!.commit).toBe(commits[0]);
    expect(world.railway.deployments().map((d) => d.commit)).toEqual([commits[1], commits[0]]);
  });

  it('records that the uploaded tree had uncommitted changes (Railway deploys files, not commits)', async () => {
    await railway(`echo local > app.txt && ${UP}`);
    expect(world.railway.serving('production', 'api')).toMatchObject({ commit: commits[1], dirty: true });
  });

  it('needs RAILWAY_TOKEN, and the project token', async () => {
    const none = await railway(UP, { RAILWAY_TOKEN: '' });
    expect(none).toMatchObject({ exitCode: 1, stderr: 'Not signed in.\n' });
    const wrong = await railway(UP, { RAILWAY_TOKEN: 'another' });
    expect(wrong.stderr).toContain('Invalid RAILWAY_TOKEN.');
    expect(world.railway.deployments()).toEqual([]);
    const log = JSON.stringify(world.invocations({ tool: 'railway' }));
    expect(log).not.toContain('another');
    expect(log).not.toContain(TOKEN);
    expect(world.invocations({ tool: 'railway' }).at(-1)!.env.RAILWAY_TOKEN).toBe('<set>');
  });

  it('refuses an environment or a service the project does not have', async () => {
    expect((await railway(UP, { RAILWAY_ENVIRONMENT: 'prod' })).stderr).toContain(
      'Environment "prod" not found.',
    );
    expect((await railway(UP, { RAILWAY_SERVICE: 'web' })).stderr).toContain('Service "web" not found.');
  });

  it('fails the deploy of a commit the world marks as failing, and keeps serving the previous one', async () => {
    await railway(`git checkout -q --detach ${commits[0]} && ${UP}`);
    world.railway.configure({
      token: TOKEN,
      environments: ['production'],
      services: ['api'],
      failingCommits: [commits[1]!],
    });
    const result = await railway(`git checkout -q main && ${UP}`);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('Deploy failed\n');
    expect(world.railway.serving('production', 'api')!.commit).toBe(commits[0]);
  });
});
