// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose files and env files are written with ${VAR}, on purpose.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type StandInWorld } from '../src/index';
import { bash, folder, publishImage } from './helpers';

let world: StandInWorld;
beforeEach(async () => {
  world = await createWorld();
  publishImage(world, 'ghcr.io/acme/api:old', 'old');
  publishImage(world, 'ghcr.io/acme/api:new', 'new');
});
afterEach(async () => world.close());

const HOST = 'i-0123456789abcdef0';
const COMPOSE = [
  'services:',
  '  web:',
  '    image: ghcr.io/acme/api:${IMAGE_TAG}',
  '    env_file: .env.prod',
  '    environment:',
  '      APP_ENV: dev',
  '',
].join('\n');

/** The EC2 example's app dir: deploy-ssm wrote the new tag into .env.prod; .env still has the old one. */
function appDir(files: Record<string, string> = {}) {
  return folder(world, 'opt-app', {
    'compose.yaml': COMPOSE,
    '.env': 'IMAGE_TAG=old\n',
    '.env.prod': 'IMAGE_TAG=new\nDATABASE_URL=postgres://app:pw@db/app\n',
    ...files,
  });
}

describe('docker compose stand-in: where ${IMAGE_TAG} comes from', () => {
  it('interpolates from .env, not from the service env_file, so the old image is deployed (the EC2 example defect)', async () => {
    const dir = appDir();
    const result = await bash(world, 'docker compose pull web && docker compose up -d --wait web', {
      cwd: dir,
      host: HOST,
    });
    expect(result.exitCode).toBe(0);
    expect(world.docker.running(HOST, 'web')).toMatchObject({ image: 'ghcr.io/acme/api:old' });
    // The container gets env_file's values (IMAGE_TAG=new among them): they never reach interpolation.
    const inside = await bash(
      world,
      'docker compose exec -T web sh -c \'cat VERSION; echo "$IMAGE_TAG $APP_ENV"\'',
      {
        cwd: dir,
        host: HOST,
      },
    );
    expect(inside.stdout).toBe('old\nnew dev\n');
    expect(world.invocations({ host: HOST }).find((i) => i.argv.includes('up'))?.details).toMatchObject({
      variables: { IMAGE_TAG: `${dir}/.env` },
      running: { web: { image: 'ghcr.io/acme/api:old' } },
    });
  });

  it('takes the tag from --env-file .env.prod, which replaces .env', async () => {
    const dir = appDir();
    const result = await bash(
      world,
      'docker compose --env-file .env.prod pull web && docker compose --env-file .env.prod up -d --wait web',
      { cwd: dir, host: HOST },
    );
    expect(result.exitCode).toBe(0);
    expect(world.docker.running(HOST, 'web')).toMatchObject({ image: 'ghcr.io/acme/api:new' });
    expect(
      (
        await bash(world, 'cat "$(docker compose --env-file .env.prod config --images)"', {
          cwd: dir,
          host: HOST,
        })
      ).exitCode,
    ).not.toBe(0);
  });

  it('takes the tag from .env when that is the file written, and recreates the container on a new tag', async () => {
    const dir = appDir();
    expect((await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST })).exitCode).toBe(0);
    const first = world.docker.running(HOST, 'web')!;
    const again = await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST });
    expect(again.stderr).toContain('Container opt-app-web-1  Running');
    await bash(world, "sed -i 's/IMAGE_TAG=old/IMAGE_TAG=new/' .env && docker compose up -d --wait web", {
      cwd: dir,
      host: HOST,
    });
    const second = world.docker.running(HOST, 'web')!;
    expect(second.image).toBe('ghcr.io/acme/api:new');
    expect(second.container).toBe(first.container);
    expect(world.invocations({ host: HOST }).at(-1)!.exitCode).toBe(0);
  });

  it('lets the shell environment win over .env', async () => {
    const dir = appDir();
    await bash(world, 'IMAGE_TAG=new docker compose up -d web', { cwd: dir, host: HOST });
    expect(world.docker.running(HOST, 'web')!.image).toBe('ghcr.io/acme/api:new');
  });

  it('fails with ${VAR:?err} as Compose does, before touching the running container', async () => {
    const dir = appDir({
      'compose.yaml': COMPOSE.replace('${IMAGE_TAG}', '${IMAGE_TAG:?set IMAGE_TAG}'),
      '.env': '',
    });
    const result = await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST });
    expect(result.exitCode).toBe(15);
    expect(result.stderr).toContain(
      'invalid interpolation format for services.web.image.\nYou may need to escape any $ with another $.\nrequired variable IMAGE_TAG is missing a value: set IMAGE_TAG',
    );
    expect(world.docker.containers(HOST)).toEqual([]);
  });

  it('warns and uses a blank string for an unset variable', async () => {
    const dir = appDir({ '.env': '' });
    const result = await bash(world, 'docker compose config --images', { cwd: dir, host: HOST });
    expect(result.stderr).toContain('The \\"IMAGE_TAG\\" variable is not set. Defaulting to a blank string.');
    expect(result.stdout).toBe('ghcr.io/acme/api:\n');
    const up = await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST });
    expect(up.exitCode).toBe(1);
    expect(up.stderr).toContain('invalid reference format');
  });
});

describe('docker compose stand-in: files and projects', () => {
  it('finds docker-compose.yml in a parent folder and names the project after the folder', async () => {
    const dir = folder(world, 'My_Project', {
      'docker-compose.yml': 'services:\n  web:\n    image: ghcr.io/acme/api:old\n',
      'sub/deeper/.keep': '',
    });
    const result = await bash(world, 'docker compose up -d', { cwd: `${dir}/sub/deeper`, host: HOST });
    expect(result.exitCode).toBe(0);
    expect(world.docker.containers(HOST).map((c) => [c.name, c.project])).toEqual([
      ['my_project-web-1', 'my_project'],
    ]);
  });

  it('reads -f files (relative to the first) and -p, and merges them in order', async () => {
    const dir = folder(world, 'crm', {
      'docker-compose.production.yml':
        'services:\n  backend:\n    image: ghcr.io/acme/api:${IMAGE_TAG}\n    environment: [A=1, B=1]\n',
      'override.yml': 'services:\n  backend:\n    environment:\n      B: "2"\n',
      '.env': 'IMAGE_TAG=new\n',
    });
    const result = await bash(
      world,
      "docker compose -f docker-compose.production.yml -f override.yml -p crm up -d backend && docker compose -p crm -f docker-compose.production.yml exec -T backend sh -c 'echo $A$B'",
      { cwd: dir, host: HOST },
    );
    expect(result.stdout).toBe('12\n');
    expect(world.docker.running(HOST, 'backend', 'crm')!.image).toBe('ghcr.io/acme/api:new');
    const none = await bash(world, 'docker compose ps', { cwd: world.root, host: HOST });
    expect(none.exitCode).toBe(14);
    expect(none.stderr).toContain('no configuration file provided: not found');
  });

  it('builds services with build: and runs what was built', async () => {
    const dir = folder(world, 'git-mode', {
      'compose.yaml': 'services:\n  web:\n    build: .\n',
      Dockerfile: 'FROM scratch\n',
      VERSION: 'from-checkout\n',
    });
    const result = await bash(
      world,
      'docker compose build && docker compose up -d --wait && docker compose exec -T web cat VERSION',
      {
        cwd: dir,
        host: HOST,
      },
    );
    expect(result.stdout).toBe('from-checkout\n');
    expect(world.docker.running(HOST, 'web')!.image).toBe('git-mode-web:latest');
  });
});

describe('docker compose stand-in: up, exec, ps, down', () => {
  it('fails `up` of an image the registry does not have, leaving the running container as it was', async () => {
    const dir = appDir();
    await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST });
    const result = await bash(
      world,
      "sed -i 's/IMAGE_TAG=old/IMAGE_TAG=never-pushed/' .env && docker compose up -d web",
      {
        cwd: dir,
        host: HOST,
      },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('manifest for ghcr.io/acme/api:never-pushed not found: manifest unknown');
    expect(world.docker.running(HOST, 'web')!.image).toBe('ghcr.io/acme/api:old');
  });

  it('`--wait` fails on an unhealthy image when there is a health check, and proves nothing without one', async () => {
    world.docker.markUnhealthy('ghcr.io/acme/api:new');
    const plain = appDir({ '.env': 'IMAGE_TAG=new\n' });
    expect((await bash(world, 'docker compose up -d --wait web', { cwd: plain, host: HOST })).exitCode).toBe(
      0,
    );

    const checked = folder(world, 'checked', {
      'compose.yaml': `${COMPOSE}    healthcheck:\n      test: ["CMD", "curl", "-f", "http://localhost/healthz"]\n`,
      '.env': 'IMAGE_TAG=new\n',
      '.env.prod': '',
    });
    const result = await bash(world, 'docker compose up -d --wait web', { cwd: checked, host: HOST });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('container checked-web-1 is unhealthy');
    // The container was recreated on the new image before the wait failed, as with Compose.
    expect(world.docker.running(HOST, 'web', 'checked')!.image).toBe('ghcr.io/acme/api:new');
  });

  it('execs only in a running container, with the container environment fixed at creation', async () => {
    const dir = appDir();
    const notRunning = await bash(world, 'docker compose exec -T web true', { cwd: dir, host: HOST });
    expect(notRunning.exitCode).toBe(1);
    expect(notRunning.stderr).toContain('service "web" is not running');
    await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST });
    const status = await bash(world, "echo piped | docker compose exec -T web sh -c 'cat; exit 3'", {
      cwd: dir,
      host: HOST,
    });
    expect(status).toMatchObject({ exitCode: 3, stdout: 'piped\n' });
    const ps = await bash(world, 'docker compose ps --format json', { cwd: dir, host: HOST });
    expect(JSON.parse(ps.stdout)).toMatchObject({ Name: 'opt-app-web-1', Service: 'web', State: 'running' });
    await bash(world, 'docker compose down', { cwd: dir, host: HOST });
    expect(world.docker.containers(HOST)).toEqual([]);
  });

  it('fails every command while the host daemon is down', async () => {
    const dir = appDir();
    world.docker.setDaemonUp(HOST, false);
    const result = await bash(world, 'docker compose up -d web', { cwd: dir, host: HOST });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Cannot connect to the Docker daemon');
  });

  it('reports a missing env_file as Compose does', async () => {
    const dir = appDir();
    const result = await bash(world, 'rm .env.prod && docker compose up -d web', { cwd: dir, host: HOST });
    expect(result.exitCode).toBe(14);
    expect(result.stderr).toContain(`env file ${dir}/.env.prod not found`);
  });
});
