import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandRun } from '../command-run';
import { invalidParameters, ServiceError, validation } from '../errors';
import type { RequestContext } from '../protocol';
import { optionalList, optionalString, optionalStringList, requiredString } from '../request-fields';
import type { EmulatorState } from '../state';
import type { SentCommand } from '../types';
import { commandJson } from '../wire-format';

const DOCUMENT = 'AWS-RunShellScript';
const DOCUMENT_PARAMETERS = new Set(['commands', 'workingDirectory', 'executionTimeout']);
/** AWS-RunShellScript's allowed executionTimeout: 1 to 172800 seconds, as a string. */
const EXECUTION_TIMEOUT = /^([1-9][0-9]{0,4}|1[0-6][0-9]{4}|17[0-1][0-9]{3}|172[0-7][0-9]{2}|172800)$/;
const MAX_CONCURRENCY = /^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$/;
const MAX_ERRORS = /^([1-9][0-9]*|0|[1-9][0-9]%|[0-9]%|100%)$/;

export function sendCommand(state: EmulatorState, request: Record<string, unknown>, context: RequestContext) {
  const documentName = requiredString(request, 'DocumentName');
  if (documentName !== DOCUMENT) {
    throw new ServiceError(
      'InvalidDocument',
      `Document ${documentName} does not exist (the emulator runs ${DOCUMENT} only)`,
    );
  }
  const parameters = readParameters(request.Parameters);
  const executionTimeout = parameters.executionTimeout?.[0] ?? '3600';
  if (!EXECUTION_TIMEOUT.test(executionTimeout)) {
    throw invalidParameters(
      `executionTimeout must be 1 to 172800 seconds, got ${JSON.stringify(executionTimeout)}`,
    );
  }
  // SSM takes 30..2592000; smaller values are accepted here so tests of Delivery Timed Out stay short.
  const timeoutSeconds = request.TimeoutSeconds === undefined ? 3600 : Number(request.TimeoutSeconds);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 2_592_000) {
    throw validation(
      `TimeoutSeconds must be an integer from 30 to 2592000, got ${String(request.TimeoutSeconds)}`,
    );
  }
  const comment = optionalString(request, 'Comment') ?? '';
  if (comment.length > 100) throw validation('Comment must be at most 100 characters');
  const maxConcurrency = optionalString(request, 'MaxConcurrency') ?? '50';
  if (!MAX_CONCURRENCY.test(maxConcurrency)) throw validation(`Invalid MaxConcurrency: ${maxConcurrency}`);
  const maxErrors = optionalString(request, 'MaxErrors') ?? '0';
  if (!MAX_ERRORS.test(maxErrors)) throw validation(`Invalid MaxErrors: ${maxErrors}`);

  const { instanceIds, targets, resolved } = resolveTargets(state, request);
  const commandId = randomUUID();
  const now = Date.now();
  const sent: SentCommand = {
    commandId,
    documentName,
    instanceIds,
    targets,
    resolvedInstanceIds: resolved,
    parameters,
    script: (parameters.commands ?? []).join('\n'),
    executionTimeoutSeconds: Number(executionTimeout),
    timeoutSeconds,
    maxConcurrency,
    maxErrors,
    comment,
    region: optionalString(request, 'OutputS3Region') || context.region,
    outputS3BucketName: optionalString(request, 'OutputS3BucketName') || undefined,
    outputS3KeyPrefix: optionalString(request, 'OutputS3KeyPrefix') || undefined,
    cloudWatchOutputConfig: readCloudWatchConfig(request.CloudWatchOutputConfig),
    requestedAt: now,
  };
  const scriptFile = join(state.scriptDir, `${commandId}.sh`);
  writeFileSync(scriptFile, `${sent.script}\n`);
  const faults = state.fleet.faults;
  const run = new CommandRun(sent, scriptFile, state.fleet, {
    concurrency: limitOf(maxConcurrency, resolved.length, 'up'),
    errorLimit: limitOf(maxErrors, resolved.length, 'down'),
    startDelayMs: faults.startDelayMs ?? 0,
    region: context.region,
    workingDirectory: parameters.workingDirectory?.[0],
  });
  state.runs.set(commandId, run);
  if (faults.invocationMissingForMs) state.hiddenUntil.set(commandId, now + faults.invocationMissingForMs);
  run.start();
  return { Command: commandJson(run) };
}

function readParameters(value: unknown): Record<string, string[]> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParameters('Parameters must include commands');
  }
  const parameters: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(value)) {
    if (!DOCUMENT_PARAMETERS.has(name))
      throw invalidParameters(`Parameter ${name} is not defined by ${DOCUMENT}`);
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
      throw invalidParameters(`Parameter ${name} must be a list of strings`);
    }
    parameters[name] = list as string[];
  }
  if (!parameters.commands || parameters.commands.length === 0) {
    throw invalidParameters('Parameter commands is required and must not be empty');
  }
  if ((parameters.executionTimeout?.length ?? 1) !== 1 || (parameters.workingDirectory?.length ?? 1) !== 1) {
    throw invalidParameters('executionTimeout and workingDirectory take one value each');
  }
  return parameters;
}

/**
 * InstanceIds must all be registered (else InvalidInstanceId, as SSM answers for ids it does not
 * manage). Targets are resolved against the fleet when sending; a `InstanceIds` target naming an
 * unknown id is not refused but ends Undeliverable, since SSM resolves targets after accepting.
 */
function resolveTargets(state: EmulatorState, request: Record<string, unknown>) {
  const instanceIds = optionalStringList(request, 'InstanceIds') ?? [];
  const targets = optionalList(request, 'Targets').map((target) => ({
    Key: requiredString(target, 'Key'),
    Values: optionalStringList(target, 'Values') ?? [],
  }));
  if (instanceIds.length > 0 === targets.length > 0) {
    throw validation('Specify either InstanceIds or Targets, not both and not neither');
  }
  if (instanceIds.length > 50) throw validation('InstanceIds takes at most 50 ids; use Targets for more');
  if (targets.length > 5) throw validation('Targets takes at most 5 targets');
  if (new Set(instanceIds).size !== instanceIds.length) {
    throw new ServiceError(
      'DuplicateInstanceId',
      "You can't specify a managed node ID in more than one association.",
    );
  }
  const unknown = instanceIds.filter((id) => !state.fleet.isRegistered(id));
  if (unknown.length > 0) {
    throw new ServiceError(
      'InvalidInstanceId',
      `Instances [[${unknown.join(', ')}]] not in a valid state for account 123456789012`,
    );
  }
  if (instanceIds.length > 0) return { instanceIds, targets, resolved: instanceIds };
  const idTarget = targets.find((target) => target.Key === 'InstanceIds');
  const tagTargets = targets.filter((target) => target.Key !== 'InstanceIds');
  for (const target of tagTargets) {
    if (target.Key !== 'tag-key' && !target.Key.startsWith('tag:')) {
      // InvalidTarget is not among SendCommand's errors in the service model; a key SSM cannot
      // read fails its validation.
      throw validation(`Target key ${target.Key} is not supported by the emulator`);
    }
  }
  let resolved = idTarget ? [...new Set(idTarget.Values)] : state.fleet.matchTargets(tagTargets);
  if (idTarget && tagTargets.length > 0) {
    const tagged = new Set(state.fleet.matchTargets(tagTargets));
    resolved = resolved.filter((id) => tagged.has(id));
  }
  return { instanceIds, targets, resolved };
}

/**
 * A MaxConcurrency / MaxErrors value as a count of hosts. Percentages of the target count round
 * up for concurrency (at least one host runs) and down for errors (10% of 15 hosts tolerates 1).
 */
function limitOf(value: string, targetCount: number, rounding: 'up' | 'down'): number {
  if (!value.endsWith('%')) return Number(value);
  const exact = (Number(value.slice(0, -1)) * targetCount) / 100;
  return rounding === 'up' ? Math.max(1, Math.ceil(exact)) : Math.floor(exact);
}

function readCloudWatchConfig(value: unknown): SentCommand['cloudWatchOutputConfig'] {
  if (!value || typeof value !== 'object') return undefined;
  const config = value as Record<string, unknown>;
  return {
    CloudWatchLogGroupName:
      typeof config.CloudWatchLogGroupName === 'string' ? config.CloudWatchLogGroupName : undefined,
    CloudWatchOutputEnabled: config.CloudWatchOutputEnabled === true,
  };
}
