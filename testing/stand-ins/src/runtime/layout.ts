import { join } from 'node:path';

/**
 * Where a world keeps its state. One world = one root folder, so parallel tests never share state;
 * every stand-in process finds the root from the environment (or from the world's bin folder on
 * PATH) and the host it plays on from `GATEHOUSE_STANDINS_HOST`, else the SSM agent's own
 * `AWS_SSM_INSTANCE_ID`, else `runner`.
 *
 *   <root>/invocations.jsonl                 one JSON line per stand-in invocation
 *   <root>/unhealthy-images                  image references that never become ready (one a line)
 *   <root>/docker/content/<id>/              image contents (rootfs/) and metadata (image.json)
 *   <root>/docker/registry.json              the registry shared by every host: reference → image id
 *   <root>/hosts/<host>/docker/images.json   that host's local image store: reference → image id
 *   <root>/hosts/<host>/docker/daemon-down   present: that host's Docker daemon does not answer
 *   <root>/hosts/<host>/docker/logins.json   registries logged in to (user names only)
 *   <root>/hosts/<host>/docker/containers/<name>/   container.json and its own copy of the rootfs
 *   <root>/kubernetes/clusters/<slug>/       one cluster per API server URL (cluster.json, namespaces/)
 *   <root>/railway/                          project.json (token, environments, services), deployments.jsonl
 */
export const ROOT_ENV = 'GATEHOUSE_STANDINS_ROOT';
export const HOST_ENV = 'GATEHOUSE_STANDINS_HOST';
/** A file in a world's bin folder naming the world's root, so PATH alone is enough to find it. */
export const ROOT_MARKER = '.stand-ins-root';
export const DEFAULT_HOST = 'runner';

export function worldLayout(root: string) {
  return {
    root,
    invocations: join(root, 'invocations.jsonl'),
    unhealthyImages: join(root, 'unhealthy-images'),
    content: join(root, 'docker', 'content'),
    registry: join(root, 'docker', 'registry.json'),
    locks: join(root, 'locks'),
    host(host: string) {
      const dir = join(root, 'hosts', host, 'docker');
      return {
        dir,
        images: join(dir, 'images.json'),
        daemonDown: join(dir, 'daemon-down'),
        logins: join(dir, 'logins.json'),
        containers: join(dir, 'containers'),
      };
    },
    kubernetes: join(root, 'kubernetes', 'clusters'),
    railway: join(root, 'railway'),
  };
}

export type WorldLayout = ReturnType<typeof worldLayout>;

/** Host names become folder names: keep them to what an instance id or a label uses. */
export function checkHostName(host: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(host)) {
    throw new Error(`stand-ins: '${host}' is not a usable host name (letters, digits, '.', '_', '-')`);
  }
  return host;
}
