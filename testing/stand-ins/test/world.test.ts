// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Compose files and env files are written with ${VAR}, on purpose.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type SsmEmulator, startSsmEmulator } from '@gatehouse/ssm-emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, STAND_INS_BIN, type StandInWorld } from '../src/index';
import { bash, folder, publishImage } from './helpers';

let world: StandInWorld;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(async () => world.close());

describe('a world', () => {
  it("is found from PATH alone, and the host from the SSM agent's AWS_SSM_INSTANCE_ID", async () => {
    const result = await bash(world, 'env -i PATH="$PATH" AWS_SSM_INSTANCE_ID=i-0aaa docker info >/dev/null');
    expect(result.exitCode).toBe(0);
    expect(world.invocations().at(-1)).toMatchObject({
      tool: 'docker',
      host: 'i-0aaa',
      env: { AWS_SSM_INSTANCE_ID: 'i-0aaa' },
    });
    // The package's own executables find the world through a world bin folder on PATH, too.
    const direct = await bash(world, `env -i PATH="$PATH" ${STAND_INS_BIN}/kubectl version --client`);
    expect(direct.stdout).toContain('Client Version');
    const lost = await bash(world, `env -i PATH=/usr/bin:/bin ${STAND_INS_BIN}/docker info`);
    expect(lost.exitCode).toBe(70);
    expect(lost.stderr).toContain('no world to play in');
  });

  it('keeps worlds apart', async () => {
    const other = await createWorld();
    try {
      publishImage(world, 'ghcr.io/acme/api:v1', 'v1');
      expect((await bash(world, 'docker pull -q ghcr.io/acme/api:v1')).exitCode).toBe(0);
      expect((await bash(other, 'docker pull -q ghcr.io/acme/api:v1')).exitCode).toBe(1);
      expect(other.invocations()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});

describe('stand-ins on SSM emulator hosts', () => {
  let emulator: SsmEmulator;
  const savedPath = process.env.PATH;
  const hosts = ['i-0000000000000000a', 'i-0000000000000000b'];
  beforeEach(async () => {
    const root = folder(world, 'ssm');
    for (const host of hosts) {
      mkdirSync(join(root, host, 'opt', 'app'), { recursive: true });
      writeFileSync(
        join(root, host, 'opt', 'app', 'compose.yaml'),
        'services:\n  web:\n    image: ghcr.io/acme/api:${IMAGE_TAG}\n',
      );
      writeFileSync(join(root, host, 'opt', 'app', '.env'), 'IMAGE_TAG=v2\n');
    }
    // The emulator gives each host script this process's PATH (and nothing else of its environment).
    process.env.PATH = `${world.binDir}:${savedPath}`;
    emulator = await startSsmEmulator({ hosts, rootDir: root });
  });
  afterEach(async () => {
    process.env.PATH = savedPath;
    await emulator.close();
  });

  it('plays each host with its own daemon and containers', async () => {
    publishImage(world, 'ghcr.io/acme/api:v2', 'v2');
    world.docker.setDaemonUp(hosts[1]!, false);
    const ssm = new SSMClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: hosts,
        Parameters: {
          commands: ['cd opt/app', 'docker compose pull web', 'docker compose up -d --wait web'],
        },
      }),
    );
    await emulator.waitForCommand(sent.Command!.CommandId!);
    const status = async (host: string) =>
      (
        await ssm.send(
          new GetCommandInvocationCommand({ CommandId: sent.Command!.CommandId!, InstanceId: host }),
        )
      ).Status;
    expect(await status(hosts[0]!)).toBe('Success');
    expect(await status(hosts[1]!)).toBe('Failed');
    expect(world.docker.running(hosts[0]!, 'web')).toMatchObject({ image: 'ghcr.io/acme/api:v2' });
    expect(world.docker.running(hosts[1]!, 'web')).toBeUndefined();
    expect(new Set(world.invocations().map((i) => i.host))).toEqual(new Set(hosts));
  });
});
