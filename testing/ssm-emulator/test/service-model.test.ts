import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exchangeProblems,
  loadSsmServiceModel,
  type ServiceModel,
  type SsmEmulator,
  shapeProblems,
  startSsmEmulator,
} from '../src/index';
import { ssmClient } from './sdk';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const OFF = 'mi-0000000000000000f';
let model: ServiceModel;
let emulator: SsmEmulator;
let ssm: SSMClient;

beforeAll(async () => {
  // No skip: without the model the test fails, saying how to install it.
  model = loadSsmServiceModel();
  emulator = await startSsmEmulator({
    hosts: [
      { id: A, tags: { app: 'api', env: 'prod' } },
      { id: B, tags: { app: 'api' } },
      { id: OFF, online: false },
    ],
    recordTraffic: true,
  });
  ssm = ssmClient(emulator);
});
afterAll(() => emulator?.close());

const attempt = (promise: Promise<unknown>) => promise.catch((error: unknown) => error);

describe("the emulator against SSM's service model", () => {
  it('reads the model Debian ships', () => {
    expect(model.file).toMatch(/botocore\/data\/ssm\/2014-11-06\/service-2\.json$/);
    expect(Object.keys(model.operations)).toContain('SendCommand');
  });

  it('checks what it is asked to: lengths, patterns, enums, ranges, unknown members', () => {
    expect(shapeProblems(model, 'MaxConcurrency', '05')).toEqual([expect.stringMatching(/does not match/)]);
    expect(shapeProblems(model, 'MaxErrors', '12345678')).toEqual([expect.stringMatching(/more than 7/)]);
    expect(shapeProblems(model, 'TargetKey', 'tag:team+ops')).toEqual([
      expect.stringMatching(/does not match/),
    ]);
    expect(shapeProblems(model, 'CommandStatus', 'Failure')).toEqual([
      expect.stringMatching(/is not one of/),
    ]);
    expect(shapeProblems(model, 'MaxResultsEC2Compatible', 60)).toEqual([expect.stringMatching(/above 50/)]);
    expect(
      shapeProblems(
        model,
        'Targets',
        Array.from({ length: 6 }, () => ({ Key: 'tag:a', Values: ['b'] })),
      ),
    ).toEqual([expect.stringMatching(/more than 5/)]);
    expect(shapeProblems(model, 'ListCommandsRequest', { CommandID: 'x' })).toEqual([
      expect.stringMatching(/unknown member CommandID/),
    ]);
    // A whole exchange: the request against the input shape, an error code against the operation's.
    const exchange = {
      seq: 0,
      op: 'SendCommand',
      request: {
        DocumentName: 'AWS-RunShellScript',
        MaxConcurrency: '05',
        Targets: [{ Key: 'tag:team+ops', Values: ['a'] }],
      },
      status: 400,
      response: { __type: 'InvalidTarget', message: 'x' },
    };
    expect(exchangeProblems(model, exchange)).toEqual([
      expect.stringMatching(/request\.MaxConcurrency: "05" does not match/),
      expect.stringMatching(/request\.Targets\[0\]\.Key: .* does not match/),
      expect.stringMatching(/error: InvalidTarget is neither among SendCommand's errors/),
    ]);
  });

  it('answers every operation, and every error, in shapes and codes the model has', async () => {
    const sent = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        InstanceIds: [A, B, OFF],
        Parameters: {
          commands: ['echo out; echo err >&2; [ "$AWS_SSM_INSTANCE_ID" != i-0000000000000000b ]'],
          executionTimeout: ['60'],
        },
        TimeoutSeconds: 60,
        MaxConcurrency: '2',
        MaxErrors: '1',
        Comment: 'model check',
        CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/gatehouse' },
        OutputS3BucketName: 'deploy-logs',
        OutputS3KeyPrefix: 'gatehouse',
      }),
    );
    const commandId = sent.Command!.CommandId!;
    await ssm.send(new ListCommandsCommand({ Filters: [{ key: 'ExecutionStage', value: 'Executing' }] }));
    await emulator.waitForCommand(commandId);
    const byTag = await ssm.send(
      new SendCommandCommand({
        DocumentName: 'AWS-RunShellScript',
        Targets: [{ Key: 'tag:app', Values: ['api'] }],
        Parameters: { commands: ['sleep 30'] },
      }),
    );
    await ssm.send(new CancelCommandCommand({ CommandId: byTag.Command!.CommandId! }));
    await emulator.waitForCommand(byTag.Command!.CommandId!);
    await ssm.send(
      new ListCommandsCommand({
        Filters: [
          { key: 'InvokedAfter', value: new Date(Date.now() - 60_000).toISOString() },
          { key: 'ExecutionStage', value: 'Complete' },
        ],
        MaxResults: 1,
      }),
    );
    await ssm.send(new ListCommandsCommand({ CommandId: commandId }));
    await ssm.send(new ListCommandInvocationsCommand({ CommandId: commandId, Details: true, MaxResults: 2 }));
    await ssm.send(
      new ListCommandInvocationsCommand({ InstanceId: A, Filters: [{ key: 'Status', value: 'Success' }] }),
    );
    for (const host of [A, B, OFF])
      await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: host }));
    await ssm.send(new DescribeInstanceInformationCommand({ MaxResults: 5 }));
    await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [
          { Key: 'tag:app', Values: ['api'] },
          { Key: 'tag-key', Values: ['env'] },
        ],
      }),
    );
    await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'PingStatus', Values: ['ConnectionLost'] }],
      }),
    );

    // Errors, each of which the model names for its operation.
    const errors = [
      await attempt(
        ssm.send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: ['i-0ffffffffffffffff'],
            Parameters: { commands: ['true'] },
          }),
        ),
      ),
      await attempt(
        ssm.send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunPowerShellScript',
            InstanceIds: [A],
            Parameters: { commands: ['x'] },
          }),
        ),
      ),
      await attempt(
        ssm.send(
          new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [A], Parameters: {} }),
        ),
      ),
      await attempt(
        ssm.send(
          new SendCommandCommand({
            DocumentName: 'AWS-RunShellScript',
            InstanceIds: [A, A],
            Parameters: { commands: ['true'] },
          }),
        ),
      ),
      await attempt(
        ssm.send(
          new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: 'i-0ffffffffffffffff' }),
        ),
      ),
      await attempt(
        ssm.send(
          new GetCommandInvocationCommand({
            CommandId: commandId,
            InstanceId: A,
            PluginName: 'aws:runPowerShellScript',
          }),
        ),
      ),
      await attempt(ssm.send(new ListCommandsCommand({ CommandId: '00000000-0000-4000-8000-000000000000' }))),
      await attempt(ssm.send(new ListCommandsCommand({ NextToken: 'bm90IGEgdG9rZW4=' }))),
      await attempt(
        ssm.send(
          new ListCommandInvocationsCommand({
            CommandId: commandId,
            Filters: [{ key: 'ExecutionStage', value: 'Executing' }],
          }),
        ),
      ),
      await attempt(
        ssm.send(new CancelCommandCommand({ CommandId: commandId, InstanceIds: ['i-0ffffffffffffffff'] })),
      ),
      await attempt(
        ssm.send(
          new DescribeInstanceInformationCommand({
            InstanceInformationFilterList: [{ key: 'InstanceIds', valueSet: ['i-0ffffffffffffffff'] }],
          }),
        ),
      ),
    ];
    expect(errors.map((e) => (e as Error).name)).toEqual([
      'InvalidInstanceId',
      'InvalidDocument',
      'InvalidParameters',
      'DuplicateInstanceId',
      'InvocationDoesNotExist',
      'InvalidPluginName',
      'InvalidCommandId',
      'InvalidNextToken',
      'InvalidFilterKey',
      'InvalidInstanceId',
      'InvalidInstanceId',
    ]);

    const traffic = emulator.traffic();
    expect(new Set(traffic.map((t) => t.op))).toEqual(
      new Set([
        'SendCommand',
        'ListCommands',
        'CancelCommand',
        'ListCommandInvocations',
        'GetCommandInvocation',
        'DescribeInstanceInformation',
      ]),
    );
    expect(traffic.flatMap((exchange) => exchangeProblems(model, exchange))).toEqual([]);
  });
});
