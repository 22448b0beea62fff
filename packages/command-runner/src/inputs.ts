import { ConfigurationError, input } from '@gatehouse/action-kit';
import { parseInstanceIds, parseInstanceTags, type TargetSettings } from './targets';

/**
 * The target inputs every action that runs commands somewhere shares, read through the action's
 * input protocol. A separate entry point (`@gatehouse/command-runner/inputs`)
 * so the runners themselves never read an action input.
 */

/** Reads `target`, `instance-ids`, `instance-tags` and `aws-region`; a bad value names its input. */
export function readTargetSettings(): TargetSettings {
  const target = input.choice('target', ['ssm', 'local'], 'ssm');
  const instanceIds = parseInstanceIds(input.list('instance-ids'));
  const instanceTags = parseInstanceTags(input.optionalString('instance-tags'));
  const awsRegion = input.optionalString('aws-region');
  if (awsRegion !== undefined && !/^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(awsRegion)) {
    throw new ConfigurationError(
      `Input 'aws-region' must be an AWS region like eu-west-1, got '${awsRegion}'.`,
    );
  }
  if (target === 'ssm' && instanceIds.length === 0 && instanceTags.length === 0) {
    throw new ConfigurationError(
      "With target 'ssm', input 'instance-ids' or 'instance-tags' must name at least one host.",
    );
  }
  if (instanceIds.length > 0 && instanceTags.length > 0) {
    throw new ConfigurationError(
      "Inputs 'instance-ids' and 'instance-tags' cannot both be set: SSM targets either ids or tags.",
    );
  }
  return { target, instanceIds, instanceTags, ...(awsRegion ? { awsRegion } : {}) };
}
