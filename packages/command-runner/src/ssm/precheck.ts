import type { InstanceInformationStringFilter } from '@aws-sdk/client-ssm';
import { ActionFailure } from '@gatehouse/action-kit/errors';
import type { TargetSettings } from '../targets';
import { chunks, SSM_BATCH, type SsmApi } from './api';

export const INVALID_INSTANCE_HELP =
  'SSM does not know it as a managed node: its agent is not running or cannot reach SSM, it is in ' +
  'another region (check aws-region), or its instance profile lacks AmazonSSMManagedInstanceCore.';

/**
 * Before sending: every target must be a managed node whose agent is Online. Offline and unknown
 * hosts are named and fail fast, instead of surfacing minutes later as DeliveryTimedOut.
 * Returns the instance ids that will run the command.
 */
export async function checkTargetsOnline(api: SsmApi, targets: TargetSettings): Promise<string[]> {
  const found = new Map<string, string>();
  const filterSets: InstanceInformationStringFilter[][] =
    targets.instanceIds.length > 0
      ? chunks(targets.instanceIds, SSM_BATCH).map((ids) => [{ Key: 'InstanceIds', Values: ids }])
      : [targets.instanceTags.map((tag) => ({ Key: `tag:${tag.key}`, Values: [tag.value] }))];
  for (const Filters of filterSets) {
    let NextToken: string | undefined;
    do {
      const page = await api.describeInstanceInformation({ Filters, NextToken, MaxResults: SSM_BATCH });
      for (const info of page.InstanceInformationList ?? []) {
        if (info.InstanceId) found.set(info.InstanceId, info.PingStatus ?? 'Unknown');
      }
      NextToken = page.NextToken;
    } while (NextToken);
  }

  if (targets.instanceIds.length === 0) {
    if (found.size === 0) {
      const tags = targets.instanceTags.map((t) => `${t.key}=${t.value}`).join(', ');
      throw new ActionFailure(`No SSM managed node has the tags ${tags} (in this region).`);
    }
  }
  const ids = targets.instanceIds.length > 0 ? targets.instanceIds : [...found.keys()].sort();
  const unknown = ids.filter((id) => !found.has(id));
  const offline = ids.filter((id) => found.has(id) && found.get(id) !== 'Online');
  if (unknown.length > 0 || offline.length > 0) {
    const parts: string[] = [];
    if (offline.length > 0) {
      parts.push(
        `not online: ${offline.map((id) => `${id} (PingStatus ${found.get(id)})`).join(', ')}; ` +
          'the SSM agent is stopped or the host cannot reach SSM',
      );
    }
    if (unknown.length > 0) parts.push(`unknown to SSM: ${unknown.join(', ')}; ${INVALID_INSTANCE_HELP}`);
    throw new ActionFailure(`Nothing was sent. ${ids.length} target(s) checked; ${parts.join('. ')}`);
  }
  return ids;
}
