import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fail } from '../runtime/context';
import { exists } from '../runtime/state';

/**
 * Which cluster and namespace a kubectl call talks to (docs: "Organizing Cluster Access Using
 * kubeconfig Files"): `--kubeconfig`, else the files in KUBECONFIG (merged, the first to set a value
 * wins, missing files skipped), else ~/.kube/config; the current context (or `--context`) names a
 * cluster (its `server`) and maybe a namespace; `-n` wins over it; `default` otherwise. With no
 * configuration kubectl talks to localhost:8080, and fails the way it does.
 */
export interface KubeTarget {
  server: string;
  namespace: string;
  context: string;
  user: string | undefined;
}

interface Named<T> {
  name: string;
  [key: string]: unknown;
  value?: T;
}

export const NO_SERVER =
  'The connection to the server localhost:8080 was refused - did you specify the right host or port?';

export function resolveTarget(
  env: NodeJS.ProcessEnv,
  flags: { kubeconfig?: string; context?: string; namespace?: string },
): KubeTarget {
  const files = flags.kubeconfig
    ? [flags.kubeconfig]
    : env.KUBECONFIG
      ? env.KUBECONFIG.split(':').filter((file) => file && exists(file))
      : [join(env.HOME ?? '', '.kube', 'config')].filter(exists);
  if (flags.kubeconfig && !exists(flags.kubeconfig)) {
    fail(1, `error: stat ${flags.kubeconfig}: no such file or directory`);
  }
  let currentContext: string | undefined;
  const contexts = new Map<string, Record<string, unknown>>();
  const clusters = new Map<string, Record<string, unknown>>();
  const users = new Set<string>();
  for (const file of files) {
    let doc: Record<string, unknown>;
    try {
      doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (error) {
      fail(1, `error: error loading config file "${file}": yaml: ${(error as Error).message.split('\n')[0]}`);
    }
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      fail(1, `error: error loading config file "${file}": couldn't get version/kind; json parse error`);
    }
    if (!currentContext && typeof doc['current-context'] === 'string' && doc['current-context']) {
      currentContext = doc['current-context'];
    }
    for (const entry of (doc.contexts ?? []) as Named<unknown>[]) {
      if (!contexts.has(entry.name))
        contexts.set(entry.name, (entry.context ?? {}) as Record<string, unknown>);
    }
    for (const entry of (doc.clusters ?? []) as Named<unknown>[]) {
      if (!clusters.has(entry.name))
        clusters.set(entry.name, (entry.cluster ?? {}) as Record<string, unknown>);
    }
    for (const entry of (doc.users ?? []) as Named<unknown>[]) users.add(entry.name);
  }
  const contextName = flags.context ?? currentContext;
  if (flags.context && !contexts.has(flags.context)) {
    fail(1, `error: context was not found for specified context: ${flags.context}`);
  }
  const context = contextName ? contexts.get(contextName) : undefined;
  const cluster = context && typeof context.cluster === 'string' ? clusters.get(context.cluster) : undefined;
  const server = cluster && typeof cluster.server === 'string' ? cluster.server : undefined;
  if (!context || !server) fail(1, NO_SERVER);
  return {
    server,
    namespace:
      flags.namespace ??
      (typeof context.namespace === 'string' && context.namespace ? context.namespace : 'default'),
    context: contextName!,
    user: typeof context.user === 'string' ? context.user : undefined,
  };
}

/** A kubeconfig naming one cluster, for tests and for the example's `printf … > ~/.kube/config`. */
export function kubeconfigFor(server: string, options: { namespace?: string; name?: string } = {}): string {
  const name = options.name ?? 'stand-in';
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${name}`,
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${server}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    `    user: ${name}`,
    ...(options.namespace ? [`    namespace: ${options.namespace}`] : []),
    'users:',
    `- name: ${name}`,
    '  user:',
    '    token: stand-in',
    '',
  ].join('\n');
}
