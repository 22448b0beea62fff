import { join } from 'node:path';
import type { Fleet } from './command-run';
import type { EmulatedHost, SsmFaults } from './types';

interface HostRecord {
  host: EmulatedHost;
  online: boolean;
  /** Ping time of the last moment the agent was known alive. */
  lastPingAt: number;
}

/**
 * The registered hosts and the faults that decide whether their agents answer. A host is
 * offline when it was registered offline, is listed in `offlineHosts`, or its agent died.
 */
export class HostFleet implements Fleet {
  readonly hosts = new Map<string, HostRecord>();
  faults: SsmFaults = {};
  private agentDeathTaken = false;
  /** Invocations In Progress right now across every command, and the most seen at once. */
  running = 0;
  maxRunning = 0;

  constructor(
    readonly rootDir: string,
    hosts: (string | EmulatedHost)[],
  ) {
    const now = Date.now();
    for (const entry of hosts) {
      const host = typeof entry === 'string' ? { id: entry } : entry;
      if (this.hosts.has(host.id)) throw new Error(`Emulated host listed twice: ${host.id}`);
      this.hosts.set(host.id, { host, online: host.online !== false, lastPingAt: now });
    }
  }

  setFaults(faults: SsmFaults): void {
    this.faults = { ...faults };
    this.agentDeathTaken = false;
  }

  isRegistered(id: string): boolean {
    return this.hosts.has(id);
  }

  isOnline(id: string): boolean {
    const record = this.hosts.get(id);
    return record?.online === true && !(this.faults.offlineHosts ?? []).includes(id);
  }

  setOnline(id: string, online: boolean): void {
    const record = this.hosts.get(id);
    if (!record) throw new Error(`Not an emulated host: ${id}`);
    if (record.online && !online) record.lastPingAt = Date.now();
    record.online = online;
  }

  hostDir(id: string): string {
    return join(this.rootDir, id);
  }

  hostPath(id: string): string | undefined {
    return this.hosts.get(id)?.host.path ?? process.env.PATH;
  }

  /** The agent-death fault fires once, on the next invocation its host starts. */
  takeAgentDeath(id: string): number | undefined {
    const death = this.faults.agentDiesAfterMs;
    if (!death || death.host !== id || this.agentDeathTaken) return undefined;
    this.agentDeathTaken = true;
    return death.afterMs;
  }

  agentDied(id: string): void {
    this.setOnline(id, false);
  }

  invocationRunning(delta: 1 | -1): void {
    this.running += delta;
    this.maxRunning = Math.max(this.maxRunning, this.running);
  }

  pingStatus(id: string): 'Online' | 'ConnectionLost' {
    return this.isOnline(id) ? 'Online' : 'ConnectionLost';
  }

  /** Ids matching SendCommand Targets: every target must match (they are ANDed). */
  matchTargets(targets: { Key: string; Values: string[] }[]): string[] {
    return [...this.hosts.values()]
      .filter(({ host }) => targets.every((target) => matchesTarget(host, target)))
      .map(({ host }) => host.id);
  }
}

function matchesTarget(host: EmulatedHost, target: { Key: string; Values: string[] }): boolean {
  if (target.Key === 'tag-key') return target.Values.some((key) => host.tags?.[key] !== undefined);
  if (target.Key.startsWith('tag:')) {
    const value = host.tags?.[target.Key.slice(4)];
    return value !== undefined && target.Values.includes(value);
  }
  return false;
}
