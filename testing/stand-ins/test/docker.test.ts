import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type StandInWorld } from '../src/index';
import { bash, folder, publishImage } from './helpers';

let world: StandInWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => world.close());

describe('docker stand-in: daemon and login', () => {
  it('answers `docker info` while the daemon is up, and fails as docker does once a test takes it down', async () => {
    expect((await bash(world, 'docker info >/dev/null', { host: 'i-1' })).exitCode).toBe(0);
    world.docker.setDaemonUp('i-1', false);
    const down = await bash(world, 'docker info', { host: 'i-1' });
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain(
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
    );
    // Another host's daemon is its own.
    expect((await bash(world, 'docker info >/dev/null', { host: 'i-2' })).exitCode).toBe(0);
    const run = await bash(world, 'docker run --rm alpine:3 true', { host: 'i-1' });
    expect(run.exitCode).toBe(125);
    world.docker.setDaemonUp('i-1', true);
    expect(
      (await bash(world, 'docker info --format "{{.ServerVersion}}"', { host: 'i-1' })).stdout.trim(),
    ).toMatch(/^\d+\.\d+/);
  });

  it('reads the token from stdin and never records it; push needs a login to that registry', async () => {
    const context = folder(world, 'app', { Dockerfile: 'FROM scratch\n', VERSION: '1\n' });
    await bash(world, 'docker build -q -t ghcr.io/acme/api:one .', { cwd: context });
    const denied = await bash(world, 'docker push ghcr.io/acme/api:one', { cwd: context });
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toContain('denied: requested access to the resource is denied');

    const login = await bash(
      world,
      'printf "%s\\n" "$TOKEN" | docker login ghcr.io -u "$ACTOR" --password-stdin',
      {
        env: { TOKEN: 's3cr3t-token-value', ACTOR: 'octocat' },
      },
    );
    expect(login).toMatchObject({ exitCode: 0, stdout: 'Login Succeeded\n' });
    expect((await bash(world, 'docker push ghcr.io/acme/api:one', { cwd: context })).exitCode).toBe(0);
    expect(world.docker.registry()['ghcr.io/acme/api:one']).toMatch(/^sha256:/);

    const everything = readAll(world.root);
    expect(everything).not.toContain('s3cr3t-token-value');
    expect(world.invocations({ tool: 'docker' }).find((i) => i.argv[0] === 'login')?.details).toEqual({
      registry: 'ghcr.io',
      username: 'octocat',
    });
    const empty = await bash(world, 'printf "" | docker login ghcr.io -u octocat --password-stdin');
    expect(empty.exitCode).toBe(1);
    const noUser = await bash(world, 'echo x | docker login ghcr.io --password-stdin');
    expect(noUser.stderr).toContain('requires --username');
  });
});

describe('docker stand-in: images', () => {
  it('builds a snapshot of the context (minus .dockerignore), pushes to the shared registry, pulls per host', async () => {
    const context = folder(world, 'app', {
      Dockerfile: 'FROM scratch\n',
      VERSION: 'v1\n',
      '.dockerignore': 'secrets/\n*.log\n!keep.log\n',
      'secrets/key': 'nope',
      'debug.log': 'nope',
      'keep.log': 'kept',
    });
    publishImage(world, 'ghcr.io/acme/api:v1', 'v1');
    const build = await bash(world, 'docker build -q -t ghcr.io/acme/api:ctx .', { cwd: context });
    const id = build.stdout.trim();
    expect(readdirSync(world.docker.imageFiles(id)).sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'VERSION',
      'keep.log',
    ]);

    // Not on host i-1 until pulled; the registry is shared, the local store is not.
    const before = await bash(world, 'docker run --rm --pull never ghcr.io/acme/api:v1 cat VERSION', {
      host: 'i-1',
    });
    expect(before.exitCode).toBe(125);
    const pull = await bash(world, 'docker pull ghcr.io/acme/api:v1', { host: 'i-1' });
    expect(pull.exitCode).toBe(0);
    expect(pull.stdout).toContain('Status: Downloaded newer image for ghcr.io/acme/api:v1');
    expect(Object.keys(world.docker.images('i-1'))).toEqual(['ghcr.io/acme/api:v1']);
    expect(world.docker.images('i-2')).toEqual({});

    const missing = await bash(world, 'docker pull ghcr.io/acme/api:nope', { host: 'i-1' });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('manifest for ghcr.io/acme/api:nope not found: manifest unknown');
  });

  it('fails a build without a Dockerfile, as BuildKit does', async () => {
    const context = folder(world, 'nodockerfile', { VERSION: '1\n' });
    const result = await bash(world, 'docker build -t x:1 .', { cwd: context });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('failed to read dockerfile: open Dockerfile: no such file or directory');
  });

  it('rejects references docker rejects', async () => {
    const result = await bash(world, 'docker run --rm Ghcr.io/Acme/Api:1 true');
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toContain('invalid reference format');
  });
});

describe('docker stand-in: run', () => {
  beforeEach(async () => {
    publishImage(world, 'ghcr.io/acme/api:v1', 'v1');
  });

  it('runs the command in the image files, pulling a missing image first, and propagates the exit code', async () => {
    const result = await bash(world, 'docker run --rm ghcr.io/acme/api:v1 sh -c "cat VERSION; exit 7"', {
      host: 'i-1',
    });
    expect(result.exitCode).toBe(7);
    expect(result.stdout).toBe('v1\n');
    expect(result.stderr).toContain("Unable to find image 'ghcr.io/acme/api:v1' locally");
    expect(world.docker.containers('i-1')).toEqual([]);
    expect(world.invocations({ host: 'i-1' }).at(-1)).toMatchObject({
      argv: ['run', '--rm', 'ghcr.io/acme/api:v1', 'sh', '-c', 'cat VERSION; exit 7'],
      exitCode: 7,
    });
  });

  it("answers an unknown image with docker's error and exit 125", async () => {
    const result = await bash(world, 'docker run --rm ghcr.io/acme/api:nope true');
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toContain(
      'docker: Error response from daemon: manifest for ghcr.io/acme/api:nope not found',
    );
  });

  it("reads --env-file literally (docker format), -e after it wins, and the caller's variables stay out", async () => {
    const dir = folder(world, 'env', {
      'app.env': [
        '# a comment',
        'PLAIN=value with spaces  ',
        'QUOTED="kept quotes"',
        'EXPANDED=$HOME/x',
        'OVERRIDDEN=from-file',
        '  INDENTED=yes',
        'INHERITED',
        'NOT_SET_ANYWHERE',
        '',
      ].join('\n'),
    });
    const result = await bash(
      world,
      'docker run --rm --env-file app.env -e OVERRIDDEN=from-flag -e FROM_CALLER ghcr.io/acme/api:v1 bash -c \'for k in PLAIN QUOTED EXPANDED OVERRIDDEN INDENTED INHERITED NOT_SET_ANYWHERE FROM_CALLER SHELL_ONLY; do printf "%s=[%s] %s\\n" "$k" "$(printenv "$k")" "$(printenv "$k" >/dev/null && echo set)"; done\'',
      { cwd: dir, env: { INHERITED: 'from-caller', FROM_CALLER: 'passed', SHELL_ONLY: 'must-not-leak' } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'PLAIN=[value with spaces  ] set',
      'QUOTED=["kept quotes"] set',
      'EXPANDED=[$HOME/x] set',
      'OVERRIDDEN=[from-flag] set',
      'INDENTED=[yes] set',
      'INHERITED=[from-caller] set',
      'NOT_SET_ANYWHERE=[] ',
      'FROM_CALLER=[passed] set',
      'SHELL_ONLY=[] ',
      '',
    ]);
    // -e values are secrets as far as the log is concerned.
    expect(world.invocations().at(-1)!.argv).toContain('OVERRIDDEN=***');
  });

  it('rejects a malformed env file the way docker does', async () => {
    const dir = folder(world, 'badenv', { 'bad.env': 'A B=1\n' });
    const result = await bash(world, 'docker run --rm --env-file bad.env ghcr.io/acme/api:v1 true', {
      cwd: dir,
    });
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toContain("invalid env file (bad.env): variable 'A B' contains whitespaces");
    const missing = await bash(world, 'docker run --rm --env-file /no/such.env ghcr.io/acme/api:v1 true');
    expect(missing.stderr).toContain('docker: open /no/such.env: no such file or directory');
  });

  it('passes stdin through with -i and gives an empty stdin without it', async () => {
    const withI = await bash(world, 'echo hello | docker run --rm -i ghcr.io/acme/api:v1 cat');
    expect(withI.stdout).toBe('hello\n');
    const withoutI = await bash(world, 'echo hello | docker run --rm ghcr.io/acme/api:v1 cat');
    expect(withoutI).toMatchObject({ exitCode: 0, stdout: '' });
    const tty = await bash(world, 'docker run --rm -it ghcr.io/acme/api:v1 true');
    expect(tty.stderr).toContain('the input device is not a TTY');
  });

  it('gives each container its own copy of the image files', async () => {
    await bash(world, 'docker run --rm ghcr.io/acme/api:v1 sh -c "echo changed > VERSION"');
    expect((await bash(world, 'docker run --rm ghcr.io/acme/api:v1 cat VERSION')).stdout).toBe('v1\n');
  });

  it('reports a command missing from the container as docker does (127)', async () => {
    const result = await bash(world, 'docker run --rm ghcr.io/acme/api:v1 no-such-command');
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toContain('exec: "no-such-command": executable file not found in $PATH');
  });

  it('refuses what it does not model instead of ignoring it', async () => {
    const result = await bash(world, 'docker run --rm -v /tmp:/tmp ghcr.io/acme/api:v1 true');
    expect(result.exitCode).toBe(125);
    expect(result.stderr).toContain('not modelled');
  });
});

function readAll(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}
