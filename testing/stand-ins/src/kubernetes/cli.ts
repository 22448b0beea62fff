import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { fail, type ToolContext } from '../runtime/context';
import { FlagError, type FlagSpec, type ParsedFlags, parseFlags } from '../runtime/flags';
import { exists, sleepSync, withLock } from '../runtime/state';
import {
  type ClusterInfo,
  clusterDir,
  currentReplicaSet,
  type DeploymentSpec,
  deploymentObject,
  equalTemplates,
  listDeployments,
  newDeployment,
  type PodTemplate,
  readCluster,
  readDeployment,
  readObject,
  readyTemplate,
  SKIPPED_ANNOTATIONS,
  type StoredDeployment,
  syncController,
  virtualSecondsSince,
  writeCluster,
  writeDeployment,
  writeObject,
} from './cluster';
import { JsonPathError, renderJsonPath } from './jsonpath';
import { type KubeTarget, resolveTarget } from './kubeconfig';

/**
 * kubectl (docs: kubernetes.io "kubectl reference", "Deployments") for `apply -f`, `annotate`,
 * `rollout status|undo|history`, `get deployment` and `version --client`, against a cluster of the
 * world chosen by the kubeconfig's server URL (an unknown server does not resolve, as a wrong
 * kubeconfig would not). Cluster state and the Deployment controller are in cluster.ts. Not
 * modelled, and refused: other commands, server-side apply and dry runs, pods, services' behaviour
 * (other kinds are stored as applied), scaling, `rollout restart|pause`, authentication (any user).
 */
const KIND_ALIASES: Record<string, string> = {
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  'deployment.apps': 'deployment',
  'deployments.apps': 'deployment',
};

export function kubectlCli(ctx: ToolContext, argv: string[]): Promise<number> | number {
  const globals: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const long = /^--(namespace|kubeconfig|context)(?:=(.*))?$/.exec(arg);
    const short = /^-n(.*)$/.exec(arg);
    if (long)
      globals[long[1]!] = long[2] ?? argv[++i] ?? fail(1, `error: flag needs an argument: --${long[1]}`);
    else if (short && arg !== '-')
      globals.namespace = short[1] || (argv[++i] ?? fail(1, "error: flag needs an argument: 'n' in -n"));
    else rest.push(arg);
  }
  const [command, ...args] = rest;
  ctx.details = { namespace: globals.namespace };
  const target = () => connect(ctx, globals);
  switch (command) {
    case 'apply':
      return apply(ctx, args, target, globals.namespace !== undefined);
    case 'annotate':
      return annotate(ctx, args, target);
    case 'rollout':
      return rollout(ctx, args, target);
    case 'get':
      return get(ctx, args, target);
    case 'version':
      ctx.out('Client Version: v1.32.4 (stand-in)\n');
      if (args.includes('--client')) return 0;
      target();
      ctx.out('Server Version: v1.32.4 (stand-in)\n');
      return 0;
    case undefined:
      ctx.out('kubectl controls the Kubernetes cluster manager.\n');
      return 0;
    default:
      fail(
        1,
        `error: unknown command "${command}" for "kubectl" (the stand-in models apply, annotate, rollout, get)`,
      );
  }
}

interface Connection {
  target: KubeTarget;
  cluster: ClusterInfo;
}

function connect(ctx: ToolContext, globals: Record<string, string>): Connection {
  const target = resolveTarget(ctx.env, {
    ...(globals.kubeconfig !== undefined ? { kubeconfig: resolve(ctx.cwd, globals.kubeconfig) } : {}),
    ...(globals.context !== undefined ? { context: globals.context } : {}),
    ...(globals.namespace !== undefined ? { namespace: globals.namespace } : {}),
  });
  const cluster = readCluster(ctx.world, target.server);
  if (!cluster) {
    let host = target.server;
    try {
      host = new URL(target.server).hostname;
    } catch {
      // Not a URL: report it as written.
    }
    fail(1, `Unable to connect to the server: dial tcp: lookup ${host}: no such host`);
  }
  ctx.details = {
    ...ctx.details,
    server: target.server,
    namespace: target.namespace,
    context: target.context,
  };
  return { target, cluster };
}

function flags(command: string, argv: readonly string[], spec: FlagSpec): ParsedFlags {
  try {
    return parseFlags(argv, spec);
  } catch (error) {
    if (error instanceof FlagError)
      fail(1, `error: ${error.message}\nSee 'kubectl ${command} --help' for usage.`);
    throw error;
  }
}

function lock<T>(ctx: ToolContext, server: string, fn: () => T): T {
  return withLock(join(clusterDir(ctx.world, server), 'lock'), fn);
}

/** `deployment/web`, `deploy web`…: only Deployments are modelled for these commands. */
function deploymentName(command: string, positionals: string[]): { name: string; consumed: number } {
  const first = positionals[0];
  if (!first) fail(1, `error: required resource not specified`);
  const slash = first.indexOf('/');
  const [kind, name, consumed] =
    slash >= 0 ? [first.slice(0, slash), first.slice(slash + 1), 1] : [first, positionals[1], 2];
  if (!KIND_ALIASES[kind.toLowerCase()]) {
    fail(1, `error: the stand-in models '${command}' for deployments only, not "${kind}"`);
  }
  if (!name) fail(1, `error: you must specify the name of the resource`);
  return { name, consumed };
}

function notFound(name: string): never {
  fail(1, `Error from server (NotFound): deployments.apps "${name}" not found`);
}

// ── apply ────────────────────────────────────────────────────────────────────────────────────────

interface Manifest {
  source: string;
  object: Record<string, unknown>;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'CustomResourceDefinition',
]);

function apply(ctx: ToolContext, args: string[], target: () => Connection, namespaceGiven: boolean): number {
  const f = flags('apply', args, {
    long: {
      filename: true,
      recursive: false,
      'dry-run': true,
      'server-side': false,
      prune: false,
      validate: true,
    },
    short: { f: 'filename', R: 'recursive' },
  });
  for (const flag of ['dry-run', 'server-side', 'prune'])
    if (f.values.has(flag)) fail(1, `error: stand-in: kubectl apply --${flag} is not modelled`);
  if (!f.values.has('filename')) fail(1, 'error: must specify one of -f and -k');
  const manifests = f.all('filename').flatMap((file) => readManifests(ctx, file, f.has('recursive')));
  if (manifests.length === 0) fail(1, 'error: no objects passed to apply');
  const { target: t, cluster } = target();
  const errors: string[] = [];
  const applied: string[] = [];
  lock(ctx, t.server, () => {
    for (const { source, object } of manifests) {
      try {
        applied.push(applyOne(ctx, cluster, t, source, object, namespaceGiven));
      } catch (error) {
        if (!(error instanceof ApplyError)) throw error;
        errors.push(error.message);
      }
    }
  });
  for (const line of applied) ctx.out(`${line}\n`);
  ctx.details = { ...ctx.details, applied, errors: errors.length };
  if (errors.length) fail(1, errors.join('\n'));
  return 0;
}

class ApplyError extends Error {}

function readManifests(ctx: ToolContext, file: string, recursive: boolean): Manifest[] {
  let text: string;
  let source = file;
  if (file === '-') {
    text = readFileSync(0, 'utf8');
    source = 'STDIN';
  } else {
    const path = resolve(ctx.cwd, file);
    if (!exists(path)) fail(1, `error: the path "${file}" does not exist`);
    if (statSync(path).isDirectory()) {
      return readdirSync(path)
        .sort()
        .flatMap((entry) => {
          const child = join(path, entry);
          if (statSync(child).isDirectory()) return recursive ? readManifests(ctx, child, recursive) : [];
          return /\.(ya?ml|json)$/.test(entry) ? readManifests(ctx, child, recursive) : [];
        });
    }
    text = readFileSync(path, 'utf8');
  }
  const manifests: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) {
      fail(
        1,
        `error: error parsing ${source}: error converting YAML to JSON: yaml: ${doc.errors[0]!.message.split('\n')[0]}`,
      );
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      fail(1, `error: error parsing ${source}: not a Kubernetes object`);
    const object = value as Record<string, unknown>;
    if (object.kind === 'List' && Array.isArray(object.items)) {
      for (const item of object.items) manifests.push({ source, object: item as Record<string, unknown> });
    } else manifests.push({ source, object });
  }
  return manifests;
}

function resourceName(kind: string, apiVersion: string, name: string): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

function applyOne(
  ctx: ToolContext,
  cluster: ClusterInfo,
  target: KubeTarget,
  source: string,
  object: Record<string, unknown>,
  namespaceGiven: boolean,
): string {
  const missing = [!object.apiVersion && 'apiVersion not set', !object.kind && 'kind not set'].filter(
    Boolean,
  );
  if (missing.length) {
    throw new ApplyError(
      `error: error validating "${source}": error validating data: [${missing.join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
  }
  const kind = String(object.kind);
  const apiVersion = String(object.apiVersion);
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const name = metadata.name;
  if (typeof name !== 'string' || !name) throw new ApplyError('error: resource name may not be empty');
  const id = resourceName(kind, apiVersion, name);
  if (kind === 'Namespace') {
    if (cluster.namespaces.includes(name)) return `${id} unchanged`;
    cluster.namespaces.push(name);
    writeCluster(ctx.world, cluster);
    return `${id} created`;
  }
  let namespace = target.namespace;
  if (!CLUSTER_SCOPED.has(kind)) {
    const own = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
    if (own && namespaceGiven && own !== target.namespace) {
      throw new ApplyError(
        `error: the namespace from the provided object "${own}" does not match the namespace "${target.namespace}". You must pass '--namespace=${own}' to perform this operation.`,
      );
    }
    namespace = own ?? target.namespace;
    if (!cluster.namespaces.includes(namespace)) {
      throw new ApplyError(
        `Error from server (NotFound): error when creating "${source}": namespaces "${namespace}" not found`,
      );
    }
  }
  if (kind === 'Deployment' && apiVersion === 'apps/v1')
    return applyDeployment(ctx, target.server, namespace, source, object, id);
  const existing = readObject(ctx.world, target.server, namespace, kind, name);
  writeObject(ctx.world, target.server, namespace, kind, name, object);
  if (!existing) return `${id} created`;
  return JSON.stringify(existing) === JSON.stringify(object) ? `${id} unchanged` : `${id} configured`;
}

function applyDeployment(
  ctx: ToolContext,
  server: string,
  namespace: string,
  source: string,
  object: Record<string, unknown>,
  id: string,
): string {
  const metadata = object.metadata as Record<string, unknown>;
  const name = String(metadata.name);
  const raw = (object.spec ?? {}) as Record<string, unknown>;
  const existing = readDeployment(ctx.world, server, namespace, name);
  const invalid = (problems: string[]) =>
    new ApplyError(
      `Error from server (Invalid): error when ${existing ? 'applying patch' : 'creating'} "${source}": The Deployment "${name}" is invalid: ${problems.join(', ')}`,
    );
  const template = raw.template as PodTemplate | undefined;
  const selector = raw.selector as DeploymentSpec['selector'] | undefined;
  const problems: string[] = [];
  if (!selector) problems.push('spec.selector: Required value');
  const containers = template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    problems.push('spec.template.spec.containers: Required value');
  else {
    containers.forEach((container, i) => {
      if (!container.name) problems.push(`spec.template.spec.containers[${i}].name: Required value`);
      if (!container.image) problems.push(`spec.template.spec.containers[${i}].image: Required value`);
    });
  }
  const labels = template?.metadata?.labels ?? {};
  const matches = Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  if (selector && !matches) {
    problems.push(
      `spec.template.metadata.labels: Invalid value: map[string]string{${Object.entries(labels)
        .map(([k, v]) => `"${k}":"${v}"`)
        .join(', ')}}: \`selector\` does not match template \`labels\``,
    );
  }
  if (existing && selector && JSON.stringify(existing.spec.selector) !== JSON.stringify(selector)) {
    problems.push(`spec.selector: Invalid value: ${JSON.stringify(selector)}: field is immutable`);
  }
  if (problems.length) throw invalid(problems);

  const spec: DeploymentSpec = {
    ...raw,
    replicas: typeof raw.replicas === 'number' ? raw.replicas : 1,
    selector: selector!,
    template: template!,
    revisionHistoryLimit: typeof raw.revisionHistoryLimit === 'number' ? raw.revisionHistoryLimit : 10,
    progressDeadlineSeconds:
      typeof raw.progressDeadlineSeconds === 'number' ? raw.progressDeadlineSeconds : 600,
  };
  const deployment = existing ?? newDeployment(name, namespace);
  const before = JSON.stringify({
    spec: deployment.spec,
    a: deployment.metadata.annotations,
    l: deployment.metadata.labels,
  });
  // kubectl apply's three-way merge for annotations and labels: what the previous apply set and
  // this one dropped goes; what others set (kubectl annotate) stays.
  const wanted = {
    annotations: (metadata.annotations ?? {}) as Record<string, string>,
    labels: (metadata.labels ?? {}) as Record<string, string>,
  };
  for (const field of ['annotations', 'labels'] as const) {
    const current = deployment.metadata[field];
    for (const key of deployment.lastApplied[field]) if (!(key in wanted[field])) delete current[key];
    Object.assign(current, Object.fromEntries(Object.entries(wanted[field]).map(([k, v]) => [k, String(v)])));
    deployment.lastApplied[field] = Object.keys(wanted[field]);
  }
  const specChanged = JSON.stringify(deployment.spec) !== JSON.stringify(spec);
  deployment.spec = spec;
  if (specChanged) deployment.metadata.generation += 1;
  syncController(deployment);
  writeDeployment(ctx.world, server, deployment);
  const after = JSON.stringify({
    spec: deployment.spec,
    a: deployment.metadata.annotations,
    l: deployment.metadata.labels,
  });
  ctx.details = {
    ...ctx.details,
    revisions: {
      ...((ctx.details.revisions as object) ?? {}),
      [name]: currentReplicaSet(deployment)?.revision,
    },
  };
  if (!existing) return `${id} created`;
  return before === after ? `${id} unchanged` : `${id} configured`;
}

// ── annotate ─────────────────────────────────────────────────────────────────────────────────────

function annotate(ctx: ToolContext, args: string[], target: () => Connection): number {
  const f = flags('annotate', args, { long: { overwrite: false, 'resource-version': true, all: false } });
  const { name, consumed } = deploymentName('annotate', f.positionals);
  const changes = f.positionals.slice(consumed);
  if (changes.length === 0) fail(1, 'error: at least one annotation update is required');
  const { target: t } = target();
  return lock(ctx, t.server, () => {
    const deployment = readDeployment(ctx.world, t.server, t.namespace, name);
    if (!deployment) notFound(name);
    const annotations = deployment.metadata.annotations;
    for (const change of changes) {
      if (change.endsWith('-') && !change.includes('=')) {
        delete annotations[change.slice(0, -1)];
        continue;
      }
      const equals = change.indexOf('=');
      if (equals <= 0) fail(1, `error: invalid annotation format: ${change}`);
      const key = change.slice(0, equals);
      const value = change.slice(equals + 1);
      if (annotations[key] !== undefined && annotations[key] !== value && !f.has('overwrite')) {
        fail(
          1,
          `error: --overwrite is false but found the following declared annotation(s): '${key}' already has a value (${annotations[key]})`,
        );
      }
      annotations[key] = value;
    }
    syncController(deployment);
    writeDeployment(ctx.world, t.server, deployment);
    ctx.out(`deployment.apps/${name} annotated\n`);
    return 0;
  });
}

// ── rollout ──────────────────────────────────────────────────────────────────────────────────────

function rollout(ctx: ToolContext, args: string[], target: () => Connection): Promise<number> | number {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'status':
      return rolloutStatus(ctx, rest, target);
    case 'undo':
      return rolloutUndo(ctx, rest, target);
    case 'history':
      return rolloutHistory(ctx, rest, target);
    default:
      fail(
        1,
        sub
          ? `error: stand-in: kubectl rollout ${sub} is not modelled`
          : 'error: required subcommand not specified',
      );
  }
}

function rolloutUndo(ctx: ToolContext, args: string[], target: () => Connection): number {
  const f = flags('rollout undo', args, { long: { 'to-revision': true, 'dry-run': true } });
  if (f.values.has('dry-run')) fail(1, 'error: stand-in: kubectl rollout undo --dry-run is not modelled');
  const toRevisionText = f.last('to-revision') ?? '0';
  if (!/^-?\d+$/.test(toRevisionText)) {
    fail(
      1,
      `error: invalid argument "${toRevisionText}" for "--to-revision" flag: strconv.ParseInt: parsing "${toRevisionText}": invalid syntax`,
    );
  }
  const toRevision = Number(toRevisionText);
  const { name } = deploymentName('rollout undo', f.positionals);
  const { target: t } = target();
  return lock(ctx, t.server, () => {
    const deployment = readDeployment(ctx.world, t.server, t.namespace, name);
    if (!deployment) notFound(name);
    if (toRevision < 0) fail(1, `error: unable to find specified revision ${toRevision} in history`);
    const byRevision = [...deployment.replicaSets].sort((a, b) => b.revision - a.revision);
    const rs =
      toRevision === 0 ? byRevision[1] : byRevision.find((candidate) => candidate.revision === toRevision);
    if (!rs) {
      fail(
        1,
        toRevision === 0
          ? `error: no rollout history found for deployment "${name}"`
          : `error: unable to find specified revision ${toRevision} in history`,
      );
    }
    const from = currentReplicaSet(deployment)?.revision;
    if (equalTemplates(rs.template, deployment.spec.template)) {
      ctx.out(
        `deployment.apps/${name} skipped rollback (current template already matches revision ${rs.revision})\n`,
      );
      ctx.details = { ...ctx.details, deployment: name, from, to: rs.revision, skipped: true };
      return 0;
    }
    // kubectl replaces the template and the annotations with the old ReplicaSet's (rollback.go).
    const kept = Object.fromEntries(
      Object.entries(deployment.metadata.annotations).filter(([key]) => SKIPPED_ANNOTATIONS.has(key)),
    );
    deployment.metadata.annotations = { ...kept, ...rs.annotations };
    deployment.spec.template = structuredClone(rs.template);
    deployment.metadata.generation += 1;
    syncController(deployment);
    writeDeployment(ctx.world, t.server, deployment);
    ctx.details = {
      ...ctx.details,
      deployment: name,
      from,
      to: currentReplicaSet(deployment)?.revision,
      templateOf: rs.revision,
    };
    ctx.out(`deployment.apps/${name} rolled back\n`);
    return 0;
  });
}

function rolloutHistory(ctx: ToolContext, args: string[], target: () => Connection): number {
  const f = flags('rollout history', args, {
    long: { revision: true, output: true },
    short: { o: 'output' },
  });
  if (f.values.has('revision') || f.values.has('output'))
    fail(1, 'error: stand-in: rollout history --revision/--output is not modelled');
  const { name } = deploymentName('rollout history', f.positionals);
  const { target: t } = target();
  const deployment = readDeployment(ctx.world, t.server, t.namespace, name);
  if (!deployment) notFound(name);
  const rows = [...deployment.replicaSets]
    .sort((a, b) => a.revision - b.revision)
    .map(
      (rs) => `${String(rs.revision).padEnd(10)}${rs.annotations['kubernetes.io/change-cause'] ?? '<none>'}`,
    );
  ctx.out(`deployment.apps/${name} \nREVISION  CHANGE-CAUSE\n${rows.join('\n')}\n\n`);
  return 0;
}

async function rolloutStatus(ctx: ToolContext, args: string[], target: () => Connection): Promise<number> {
  const f = flags('rollout status', args, {
    long: { timeout: true, watch: false, revision: true },
    short: { w: 'watch' },
  });
  if (f.values.has('revision')) fail(1, 'error: stand-in: rollout status --revision is not modelled');
  const timeoutText = f.last('timeout') ?? '0s';
  const timeout = goDuration(timeoutText);
  if (timeout === undefined) {
    fail(
      1,
      `Error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"\nSee 'kubectl rollout status --help' for usage.`,
    );
  }
  const watch = f.last('watch') !== 'false';
  const { name } = deploymentName('rollout status', f.positionals);
  const { target: t } = target();
  const started = Date.now();
  let lastMessage = '';
  for (;;) {
    const deployment: StoredDeployment | undefined = readDeployment(ctx.world, t.server, t.namespace, name);
    if (!deployment) notFound(name);
    const scale = readCluster(ctx.world, t.server)?.timeScale ?? 1;
    const current = currentReplicaSet(deployment);
    ctx.details = { ...ctx.details, deployment: name, revision: current?.revision };
    if (current && readyTemplate(ctx.world, current.template)) {
      ctx.out(`deployment "${name}" successfully rolled out\n`);
      return 0;
    }
    const message = `Waiting for deployment "${name}" rollout to finish: 0 of ${deployment.spec.replicas} updated replicas are available...\n`;
    if (message !== lastMessage) ctx.out(message);
    lastMessage = message;
    if (
      current &&
      virtualSecondsSince(current.currentSince, scale) > deployment.spec.progressDeadlineSeconds
    ) {
      fail(1, `error: deployment "${name}" exceeded its progress deadline`);
    }
    if (!watch) return 0;
    if (timeout > 0 && virtualSecondsSince(started, scale) >= timeout)
      fail(1, 'error: timed out waiting for the condition');
    sleepSync(
      Math.max(
        5,
        Math.min(100, timeout > 0 ? ((timeout - virtualSecondsSince(started, scale)) * 1000) / scale : 100),
      ),
    );
  }
}

/** Go's time.ParseDuration, in seconds. */
function goDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  if (!/^(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(match[1]) * units[match[2]!]!;
  return total;
}

// ── get ──────────────────────────────────────────────────────────────────────────────────────────

function get(ctx: ToolContext, args: string[], target: () => Connection): number {
  const f = flags('get', args, {
    long: { output: true, 'allow-missing-template-keys': true, 'ignore-not-found': false },
    short: { o: 'output' },
  });
  const first = f.positionals[0];
  if (!first) fail(1, 'error: you must specify the type of resource to get');
  const slash = first.indexOf('/');
  const kind = slash >= 0 ? first.slice(0, slash) : first;
  const names = slash >= 0 ? [first.slice(slash + 1)] : f.positionals.slice(1);
  if (!KIND_ALIASES[kind.toLowerCase()])
    fail(1, `error: stand-in: kubectl get ${kind} is not modelled (deployments only)`);
  const { target: t, cluster } = target();
  // --ignore-not-found: a named object that does not exist is left out, and when none is left
  // nothing is printed at all, whatever the output format (kubectl get's docs: "If the requested
  // object does not exist the command will return exit code 0").
  const ignoreNotFound = f.has('ignore-not-found');
  const found = names.flatMap((name) => {
    const stored = readDeployment(ctx.world, t.server, t.namespace, name);
    return stored ? [stored] : ignoreNotFound ? [] : notFound(name);
  });
  if (names.length > 0 && found.length === 0) return 0;
  const deployments: StoredDeployment[] = names.length
    ? found
    : listDeployments(ctx.world, t.server, t.namespace);
  const objects = deployments.map((d) => deploymentObject(ctx.world, d, cluster.timeScale));
  const output = f.last('output') ?? '';
  const single = names.length === 1 ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects };
  if (output.startsWith('jsonpath=') || output.startsWith('jsonpath-as-json=')) {
    try {
      const rendered = renderJsonPath(output.slice(output.indexOf('=') + 1), single);
      ctx.out(rendered);
    } catch (error) {
      if (error instanceof JsonPathError)
        fail(1, `error: error parsing jsonpath ${output.slice(9)}, ${error.message}`);
      throw error;
    }
    return 0;
  }
  if (output === 'json') ctx.out(`${JSON.stringify(single, null, 4)}\n`);
  else if (output === 'yaml') ctx.out(stringify(single));
  else if (output === 'name') for (const d of deployments) ctx.out(`deployment.apps/${d.metadata.name}\n`);
  else if (output === '' || output === 'wide') {
    if (objects.length === 0) {
      ctx.err(`No resources found in ${t.namespace} namespace.\n`);
      return 0;
    }
    ctx.out('NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n');
    for (const object of objects) {
      const status = object.status as Record<string, number>;
      const spec = object.spec as DeploymentSpec;
      const meta = object.metadata as StoredDeployment['metadata'];
      ctx.out(
        `${meta.name}   ${status.readyReplicas}/${spec.replicas}   ${status.updatedReplicas}   ${status.availableReplicas}   -\n`,
      );
    }
  } else fail(1, `error: stand-in: output format "${output}" is not modelled`);
  return 0;
}
