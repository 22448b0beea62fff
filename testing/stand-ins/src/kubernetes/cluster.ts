import { createHash, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isUnhealthy } from '../docker/images';
import type { WorldLayout } from '../runtime/layout';
import { exists, readJson, writeJson } from '../runtime/state';

/**
 * A cluster's state, the way the API server and the Deployment controller keep it (docs:
 * "Deployments" → updating, rolling back, revision history, progress deadline): a Deployment and
 * its ReplicaSets, one per pod template. A changed pod template makes a new revision, or brings an
 * older ReplicaSet with the same template back as the newest revision; anything else (replicas,
 * annotations) makes none. The Deployment's annotations are copied onto its current ReplicaSet
 * (that is where `rollout history` reads CHANGE-CAUSE). Pods are not modelled one by one: a
 * revision is ready when none of its images is marked unhealthy in the world.
 */
export interface ClusterInfo {
  server: string;
  namespaces: string[];
  /** Virtual seconds per real second for rollout waits (10m timeouts in tests); 1 is real time. */
  timeScale: number;
}

export interface ReplicaSet {
  name: string;
  revision: number;
  template: PodTemplate;
  annotations: Record<string, string>;
  /** When it last became the Deployment's current ReplicaSet (epoch ms). */
  currentSince: number;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { containers: { name: string; image: string; [key: string]: unknown }[]; [key: string]: unknown };
}

export interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels?: Record<string, string>; [key: string]: unknown };
  template: PodTemplate;
  revisionHistoryLimit: number;
  progressDeadlineSeconds: number;
  [key: string]: unknown;
}

export interface StoredDeployment {
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    generation: number;
    creationTimestamp: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: DeploymentSpec;
  /** The last applied manifest's annotations and labels: what a later apply may remove. */
  lastApplied: { annotations: string[]; labels: string[] };
  replicaSets: ReplicaSet[];
}

/** Annotations the controller never copies between a Deployment and its ReplicaSets. */
export const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export function clusterDir(world: WorldLayout, server: string): string {
  return join(
    world.kubernetes,
    createHash('sha256').update(server.replace(/\/+$/, '')).digest('hex').slice(0, 16),
  );
}

export function readCluster(world: WorldLayout, server: string): ClusterInfo | undefined {
  return readJson<ClusterInfo | undefined>(join(clusterDir(world, server), 'cluster.json'), undefined);
}

export function writeCluster(world: WorldLayout, info: ClusterInfo): void {
  writeJson(join(clusterDir(world, info.server), 'cluster.json'), info);
}

function objectFile(
  world: WorldLayout,
  server: string,
  namespace: string,
  kind: string,
  name: string,
): string {
  return join(clusterDir(world, server), 'namespaces', namespace, kind.toLowerCase(), `${name}.json`);
}

export function readDeployment(world: WorldLayout, server: string, namespace: string, name: string) {
  return readJson<StoredDeployment | undefined>(
    objectFile(world, server, namespace, 'deployment', name),
    undefined,
  );
}

export function writeDeployment(world: WorldLayout, server: string, deployment: StoredDeployment): void {
  writeJson(
    objectFile(world, server, deployment.metadata.namespace, 'deployment', deployment.metadata.name),
    deployment,
  );
}

export function listDeployments(world: WorldLayout, server: string, namespace: string): StoredDeployment[] {
  const dir = join(clusterDir(world, server), 'namespaces', namespace, 'deployment');
  if (!exists(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => readJson<StoredDeployment>(join(dir, file), undefined as never));
}

/** Other kinds are stored as applied, so apply can say created / configured / unchanged. */
export function readObject(
  world: WorldLayout,
  server: string,
  namespace: string,
  kind: string,
  name: string,
) {
  return readJson<Record<string, unknown> | undefined>(
    objectFile(world, server, namespace, kind, name),
    undefined,
  );
}

export function writeObject(
  world: WorldLayout,
  server: string,
  namespace: string,
  kind: string,
  name: string,
  value: unknown,
) {
  writeJson(objectFile(world, server, namespace, kind, name), value);
}

export function currentReplicaSet(deployment: StoredDeployment): ReplicaSet | undefined {
  return deployment.replicaSets.find((rs) => equalTemplates(rs.template, deployment.spec.template));
}

export function equalTemplates(a: PodTemplate, b: PodTemplate): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function templateHash(template: PodTemplate): string {
  return createHash('sha256').update(canonical(template)).digest('hex').slice(0, 10);
}

/**
 * The Deployment controller's sync after a change: find or make the ReplicaSet of the current
 * template, give it the newest revision if it is not the newest already, copy the annotations,
 * and drop old ReplicaSets beyond `revisionHistoryLimit`.
 */
export function syncController(deployment: StoredDeployment, now = Date.now()): void {
  const maxRevision = Math.max(0, ...deployment.replicaSets.map((rs) => rs.revision));
  let current = currentReplicaSet(deployment);
  if (!current) {
    current = {
      name: `${deployment.metadata.name}-${templateHash(deployment.spec.template)}`,
      revision: maxRevision + 1,
      template: structuredClone(deployment.spec.template),
      annotations: {},
      currentSince: now,
    };
    deployment.replicaSets.push(current);
  } else if (current.revision < maxRevision) {
    current.revision = maxRevision + 1;
    current.currentSince = now;
  }
  current.annotations = Object.fromEntries(
    Object.entries(deployment.metadata.annotations).filter(([key]) => !SKIPPED_ANNOTATIONS.has(key)),
  );
  deployment.metadata.annotations['deployment.kubernetes.io/revision'] = String(current.revision);
  const old = deployment.replicaSets.filter((rs) => rs !== current).sort((a, b) => b.revision - a.revision);
  const keep = new Set([current, ...old.slice(0, deployment.spec.revisionHistoryLimit)]);
  deployment.replicaSets = deployment.replicaSets
    .filter((rs) => keep.has(rs))
    .sort((a, b) => a.revision - b.revision);
}

export function newDeployment(name: string, namespace: string): StoredDeployment {
  return {
    metadata: {
      name,
      namespace,
      uid: randomUUID(),
      generation: 0,
      creationTimestamp: new Date().toISOString(),
      labels: {},
      annotations: {},
    },
    spec: undefined as unknown as DeploymentSpec,
    lastApplied: { annotations: [], labels: [] },
    replicaSets: [],
  };
}

export function readyTemplate(world: WorldLayout, template: PodTemplate): boolean {
  return template.spec.containers.every((container) => !isUnhealthy(world, container.image));
}

/** The ReplicaSet whose pods serve traffic: the current one when ready, else the newest ready older one. */
export function servingReplicaSet(world: WorldLayout, deployment: StoredDeployment): ReplicaSet | undefined {
  const current = currentReplicaSet(deployment);
  if (current && readyTemplate(world, current.template)) return current;
  return deployment.replicaSets
    .filter((rs) => rs !== current && readyTemplate(world, rs.template))
    .sort((a, b) => b.revision - a.revision)[0];
}

/** The Deployment as the API returns it (`kubectl get -o json`), status included. */
export function deploymentObject(
  world: WorldLayout,
  deployment: StoredDeployment,
  timeScale: number,
): Record<string, unknown> {
  const current = currentReplicaSet(deployment);
  const ready = current ? readyTemplate(world, current.template) : false;
  const serving = servingReplicaSet(world, deployment);
  const replicas = deployment.spec.replicas;
  const available = ready ? replicas : serving ? replicas : 0;
  const deadlineExceeded =
    current &&
    !ready &&
    virtualSecondsSince(current.currentSince, timeScale) > deployment.spec.progressDeadlineSeconds;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: deployment.metadata,
    spec: deployment.spec,
    status: {
      observedGeneration: deployment.metadata.generation,
      replicas: ready ? replicas : replicas + (serving ? replicas : 0),
      updatedReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      ...(ready ? {} : { unavailableReplicas: replicas }),
      conditions: [
        { type: 'Available', status: available >= replicas ? 'True' : 'False' },
        {
          type: 'Progressing',
          status: deadlineExceeded ? 'False' : 'True',
          reason: ready
            ? 'NewReplicaSetAvailable'
            : deadlineExceeded
              ? 'ProgressDeadlineExceeded'
              : 'ReplicaSetUpdated',
        },
      ],
    },
  };
}

export function virtualSecondsSince(epochMs: number, timeScale: number): number {
  return ((Date.now() - epochMs) / 1000) * timeScale;
}
