import { ServiceError, validation } from '../errors';
import type { HostFleet } from '../fleet';
import { page } from '../paging';
import { optionalList, optionalStringList, requiredString } from '../request-fields';
import type { EmulatedHost } from '../types';

type HostTest = (host: EmulatedHost) => boolean;

/**
 * DescribeInstanceInformation with either filter form. As in SSM, the older
 * `InstanceInformationFilterList` refuses an unknown id with InvalidInstanceId, while `Filters`
 * simply leaves unknown ids out of the answer.
 */
export function describeInstanceInformation(fleet: HostFleet, request: Record<string, unknown>) {
  const tests: HostTest[] = [];
  for (const filter of optionalList(request, 'InstanceInformationFilterList')) {
    const key = requiredString(filter, 'key');
    const values = optionalStringList(filter, 'valueSet') ?? [];
    if (key === 'InstanceIds') {
      const unknown = values.filter((id) => !fleet.isRegistered(id));
      if (unknown.length > 0)
        throw new ServiceError('InvalidInstanceId', `Unknown instance ids: ${unknown.join(', ')}`);
    }
    tests.push(filterTest(fleet, key, values));
  }
  for (const filter of optionalList(request, 'Filters')) {
    tests.push(filterTest(fleet, requiredString(filter, 'Key'), optionalStringList(filter, 'Values') ?? []));
  }
  const hosts = [...fleet.hosts.values()]
    .map(({ host }) => host)
    .filter((host) => tests.every((test) => test(host)));
  const query = JSON.stringify([
    'DescribeInstanceInformation',
    request.InstanceInformationFilterList,
    request.Filters,
  ]);
  const result = page(hosts, request, query, { min: 5, max: 50, fallback: 50 });
  return {
    InstanceInformationList: result.items.map((host) => instanceJson(fleet, host)),
    ...(result.nextToken ? { NextToken: result.nextToken } : {}),
  };
}

function filterTest(fleet: HostFleet, key: string, values: string[]): HostTest {
  if (values.length === 0) throw validation(`Filter ${key} needs at least one value`);
  if (key === 'InstanceIds') return (host) => values.includes(host.id);
  if (key === 'PingStatus') return (host) => values.includes(fleet.pingStatus(host.id));
  if (key === 'PlatformTypes') return (host) => values.includes(host.platform ?? 'Linux');
  if (key === 'ResourceType') return (host) => values.includes(resourceType(host.id));
  if (key === 'AgentVersion') return () => values.includes(AGENT_VERSION);
  if (key === 'tag-key') return (host) => values.some((tag) => host.tags?.[tag] !== undefined);
  if (key.startsWith('tag:')) {
    return (host) => {
      const value = host.tags?.[key.slice(4)];
      return value !== undefined && values.includes(value);
    };
  }
  throw new ServiceError(
    'InvalidInstanceInformationFilterValue',
    `Filter key ${key} is not supported by the emulator`,
  );
}

const AGENT_VERSION = '3.3.1142.0';

const resourceType = (id: string) => (id.startsWith('mi-') ? 'ManagedInstance' : 'EC2Instance');

function instanceJson(fleet: HostFleet, host: EmulatedHost) {
  const record = fleet.hosts.get(host.id)!;
  const online = fleet.isOnline(host.id);
  return {
    InstanceId: host.id,
    PingStatus: online ? 'Online' : 'ConnectionLost',
    LastPingDateTime: (online ? Date.now() : record.lastPingAt) / 1000,
    AgentVersion: AGENT_VERSION,
    IsLatestVersion: true,
    PlatformType: host.platform ?? 'Linux',
    PlatformName: 'Ubuntu',
    PlatformVersion: '24.04',
    ResourceType: resourceType(host.id),
    ComputerName: `${host.id}.emulated`,
    IPAddress: '127.0.0.1',
    AssociationStatus: 'Success',
    SourceId: host.id,
    SourceType:
      resourceType(host.id) === 'ManagedInstance' ? 'AWS::SSM::ManagedInstance' : 'AWS::EC2::Instance',
  };
}
