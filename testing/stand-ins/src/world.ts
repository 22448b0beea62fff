/**
 * The test side of the stand-ins: creating a world (state root, bin folder), pointing processes at
 * it, setting marks (daemon down, unhealthy images, clusters, the Railway project) and reading what
 * the tools did. The layout it writes is described in runtime/layout.ts and README.md.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellQuote } from '@gatehouse/command-runner';
import { type ContainerRecord, listContainers } from './docker/containers';
import {
  hostImages,
  type ImageMeta,
  readMeta,
  registryImages,
  rootfsOf,
  snapshot,
  tagInRegistry,
} from './docker/images';
import { parseReference } from './docker/reference';
import {
  type ClusterInfo,
  currentReplicaSet,
  readCluster,
  readDeployment,
  servingReplicaSet,
  writeCluster,
} from './kubernetes/cluster';
import { kubeconfigFor } from './kubernetes/kubeconfig';
import { type RailwayDeployment, type RailwayProject, railwayFiles, readDeployments } from './railway/cli';
import type { Invocation } from './runtime/context';
import { checkHostName, DEFAULT_HOST, HOST_ENV, ROOT_ENV, ROOT_MARKER, worldLayout } from './runtime/layout';
import { exists, readJson, writeJson } from './runtime/state';

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The stand-ins' own executables; they need GATEHOUSE_STANDINS_ROOT (a world's binDir does not). */
export const STAND_INS_BIN = join(PACKAGE_DIR, 'bin');
/** The Prisma stand-in as an npm package named `prisma`, for a `file:` dependency. */
export const PRISMA_PACKAGE_DIR = join(PACKAGE_DIR, 'prisma-package');
const TOOLS = ['docker', 'kubectl', 'railway', 'prisma'] as const;

export interface RunningService {
  container: string;
  image: string;
  imageId: string;
  /** The commit the image was built from, when its context was a git work tree. */
  revision: string | undefined;
  /** The container's files. */
  files: string;
}

export interface DeploymentView {
  revision: number;
  images: string[];
  changeCause: string | undefined;
  /** Images of the pods that serve: the current revision's when ready, else the newest ready older one. */
  servingImages: string[];
  revisions: { revision: number; images: string[]; changeCause: string | undefined }[];
}

export interface StandInWorld {
  root: string;
  /** Put first on PATH (the runner's, and each SSM host's): its executables carry this world's root. */
  binDir: string;
  /** PATH with binDir first, the world's root, and the host to play (default `runner`). */
  env(host?: string, base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Every stand-in invocation so far, oldest first. */
  invocations(filter?: { tool?: Invocation['tool']; host?: string }): Invocation[];
  docker: {
    /**
     * Puts an image made of `contextDir`'s files straight into the world's registry, as if CI had
     * built and pushed it (without going through `docker build` and `docker push`). Returns its id.
     */
    publish(image: string, contextDir: string, options?: { revision?: string }): string;
    /** A daemon that is down answers nothing: `docker info` fails, as do builds, pulls and runs. */
    setDaemonUp(host: string, up: boolean): void;
    /** Containers of this image never become ready (compose `--wait` with a health check, kubectl rollout status). */
    markUnhealthy(image: string): void;
    markHealthy(image: string): void;
    containers(host: string): ContainerRecord[];
    /** What a compose service's running container holds on a host. */
    running(host: string, service: string, project?: string): RunningService | undefined;
    registry(): Record<string, string>;
    images(host: string): Record<string, string>;
    imageMeta(id: string): ImageMeta;
    imageFiles(id: string): string;
  };
  kubernetes: {
    /** A cluster reachable at `server`, with namespaces (`default` always) and a time scale for waits. */
    addCluster(server: string, options?: { namespaces?: string[]; timeScale?: number }): void;
    /** Virtual seconds per real second in rollout waits: 600 makes a 10m timeout last one second. */
    setTimeScale(server: string, timeScale: number): void;
    /** A kubeconfig (YAML) whose current context is this cluster. */
    kubeconfig(server: string, options?: { namespace?: string }): string;
    deployment(server: string, namespace: string, name: string): DeploymentView | undefined;
  };
  railway: {
    configure(project: RailwayProject): void;
    deployments(): RailwayDeployment[];
    /** The deployment that serves a service in an environment now. */
    serving(environment: string, service: string): RailwayDeployment | undefined;
  };
  prisma: {
    packageDir: string;
    /**
     * Makes `npx --no prisma` find the stand-in in `projectDir`: what `npm install` leaves for a
     * `file:` dependency (node_modules/prisma → the package, node_modules/.bin/prisma → its bin).
     * Do it before `docker build` to put Prisma in an image. A project that runs `npm ci` instead
     * lists `"prisma": "file:<packageDir>"` in its package.json and lock file.
     */
    install(projectDir: string): void;
  };
  /** Removes the world's folder (when createWorld made it). */
  close(): Promise<void>;
}

export async function createWorld(options: { root?: string } = {}): Promise<StandInWorld> {
  const root = options.root ? resolve(options.root) : mkdtempSync(join(tmpdir(), 'gatehouse-world-'));
  const layout = worldLayout(root);
  const binDir = join(root, 'bin');
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, ROOT_MARKER), `${root}\n`);
  for (const tool of TOOLS) {
    const file = join(binDir, tool);
    writeFileSync(
      file,
      `#!/usr/bin/env bash\n# ${tool} of the stand-in world in this folder.\nexport ${ROOT_ENV}=${shellQuote(root)}\nexec ${shellQuote(join(STAND_INS_BIN, tool))} "$@"\n`,
    );
    chmodSync(file, 0o755);
  }

  const world: StandInWorld = {
    root,
    binDir,
    env(host = DEFAULT_HOST, base = process.env) {
      return {
        ...base,
        PATH: [binDir, base.PATH ?? ''].filter(Boolean).join(delimiter),
        [ROOT_ENV]: root,
        [HOST_ENV]: checkHostName(host),
      };
    },
    invocations(filter = {}) {
      if (!exists(layout.invocations)) return [];
      return readFileSync(layout.invocations, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Invocation)
        .filter((i) => (!filter.tool || i.tool === filter.tool) && (!filter.host || i.host === filter.host));
    },
    docker: {
      publish(image, contextDir, publishOptions = {}) {
        const ref = parseReference(image);
        const id = snapshot(layout, resolve(contextDir), {
          context: resolve(contextDir),
          ...(publishOptions.revision ? { revision: publishOptions.revision } : {}),
          labels: {},
          healthcheck: false,
        });
        tagInRegistry(layout, ref.key, id);
        return id;
      },
      setDaemonUp(host, up) {
        const marker = layout.host(checkHostName(host)).daemonDown;
        if (up) rmSync(marker, { force: true });
        else {
          mkdirSync(dirname(marker), { recursive: true });
          writeFileSync(marker, 'down\n');
        }
      },
      markUnhealthy(image) {
        const key = parseReference(image).key;
        const current = exists(layout.unhealthyImages)
          ? readFileSync(layout.unhealthyImages, 'utf8').split('\n').filter(Boolean)
          : [];
        if (!current.includes(key)) writeFileSync(layout.unhealthyImages, [...current, key, ''].join('\n'));
      },
      markHealthy(image) {
        const key = parseReference(image).key;
        if (!exists(layout.unhealthyImages)) return;
        const kept = readFileSync(layout.unhealthyImages, 'utf8')
          .split('\n')
          .filter((line) => line && line !== key);
        writeFileSync(layout.unhealthyImages, kept.map((line) => `${line}\n`).join(''));
      },
      containers: (host) => listContainers(layout, host),
      running(host, service, project) {
        const container = listContainers(layout, host).find(
          (c) => c.service === service && c.state === 'running' && (!project || c.project === project),
        );
        if (!container) return undefined;
        return {
          container: container.name,
          image: container.image,
          imageId: container.imageId,
          revision: readMeta(layout, container.imageId).revision,
          files: join(layout.host(host).containers, container.name, 'rootfs'),
        };
      },
      registry: () => registryImages(layout),
      images: (host) => hostImages(layout, host),
      imageMeta: (id) => readMeta(layout, id),
      imageFiles: (id) => rootfsOf(layout, id),
    },
    kubernetes: {
      addCluster(server, clusterOptions = {}) {
        const info: ClusterInfo = {
          server,
          namespaces: [...new Set(['default', 'kube-system', ...(clusterOptions.namespaces ?? [])])],
          timeScale: clusterOptions.timeScale ?? 1,
        };
        writeCluster(layout, info);
      },
      setTimeScale(server, timeScale) {
        const info = readCluster(layout, server);
        if (!info) throw new Error(`stand-ins: no cluster at ${server} (addCluster first)`);
        writeCluster(layout, { ...info, timeScale });
      },
      kubeconfig: (server, kubeOptions = {}) => kubeconfigFor(server, kubeOptions),
      deployment(server, namespace, name) {
        const deployment = readDeployment(layout, server, namespace, name);
        if (!deployment) return undefined;
        const current = currentReplicaSet(deployment);
        const images = (rs: { template: { spec: { containers: { image: string }[] } } }) =>
          rs.template.spec.containers.map((c) => c.image);
        return {
          revision: current?.revision ?? 0,
          images: current ? images(current) : [],
          changeCause: current?.annotations['kubernetes.io/change-cause'],
          servingImages: (() => {
            const serving = servingReplicaSet(layout, deployment);
            return serving ? images(serving) : [];
          })(),
          revisions: deployment.replicaSets.map((rs) => ({
            revision: rs.revision,
            images: images(rs),
            changeCause: rs.annotations['kubernetes.io/change-cause'],
          })),
        };
      },
    },
    railway: {
      configure(project) {
        writeJson(railwayFiles(layout.railway).project, project);
      },
      deployments: () => readDeployments(layout.railway),
      serving(environment, service) {
        const id = readJson<Record<string, string>>(railwayFiles(layout.railway).serving, {})[
          `${environment}/${service}`
        ];
        return readDeployments(layout.railway).find((d) => d.id === id);
      },
    },
    prisma: {
      packageDir: PRISMA_PACKAGE_DIR,
      install(projectDir) {
        const modules = join(projectDir, 'node_modules');
        mkdirSync(join(modules, '.bin'), { recursive: true });
        rmSync(join(modules, 'prisma'), { recursive: true, force: true });
        rmSync(join(modules, '.bin', 'prisma'), { force: true });
        symlinkSync(PRISMA_PACKAGE_DIR, join(modules, 'prisma'));
        symlinkSync(join('..', 'prisma', 'bin', 'prisma'), join(modules, '.bin', 'prisma'));
      },
    },
    async close() {
      if (!options.root) rmSync(root, { recursive: true, force: true });
    },
  };
  return world;
}
