import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { type SsmEmulator, startSsmEmulator } from '../src/index';
import { ssmClient, until } from './sdk';

let emulator: SsmEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('a host PATH', () => {
  it("is the PATH of that host's scripts; other hosts keep this process's", async () => {
    const tools = mkdtempSync(join(tmpdir(), 'host-tools-'));
    writeFileSync(join(tools, 'docker'), '#!/bin/sh\necho "stand-in docker on $AWS_SSM_INSTANCE_ID"\n', {
      mode: 0o755,
    });
    emulator = await startSsmEmulator({
      hosts: [
        { id: 'i-00000000000000a01', path: `${tools}:${process.env.PATH}` },
        { id: 'i-00000000000000a02' },
      ],
    });
    const ssm = ssmClient(emulator);
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: ['i-00000000000000a01', 'i-00000000000000a02'],
        Parameters: { commands: ['command -v docker >/dev/null && docker || echo "no docker"'] },
      }),
    );
    const output = async (id: string) =>
      until(
        () =>
          ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command!.CommandId!, InstanceId: id })),
        (invocation) => invocation.Status === 'Success' || invocation.Status === 'Failed',
      );
    expect((await output('i-00000000000000a01')).StandardOutputContent).toBe(
      'stand-in docker on i-00000000000000a01\n',
    );
    expect((await output('i-00000000000000a02')).StandardOutputContent).not.toContain('stand-in');
  });
});
