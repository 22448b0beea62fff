/**
 * A workflow run: the jobs of a file in `needs` order (one at a time; GitHub may run independent
 * jobs in parallel), each job's `if` against its ancestors (`success()` needs every ancestor to
 * have succeeded, `failure()` any to have failed — a skipped ancestor skips the default
 * `success()`), and `workflow_call` followed into the called file with typed inputs, secrets
 * (`inherit` or declared ones) and permissions no wider than the caller job's. What GitHub refuses
 * before a run starts — a file its parser rejects, an event the workflow does not run on, bad
 * dispatch inputs, a called job asking for more permissions than its caller grants — throws.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ReusableWorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { isMapping } from '@actions/workflow-parser/templates/tokens/type-guards';
import { parseFileReference } from '@actions/workflow-parser/workflows/file-reference';
import {
  type Annotation,
  type ContextValue,
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  machineEnvironment,
  type Scope,
  SecretMasker,
} from '@gatehouse/runner-harness';
import { ArtifactStore } from './artifact-store';
import { DEFAULT_REPOSITORY, type WorkflowEvent } from './events';
import { githubContext, type RunIdentity } from './github-context';
import { callInputs, dispatchInputs, inputDefinitions } from './inputs';
import {
  field,
  type LoadedJob,
  type LoadedWorkflow,
  loadWorkflow,
  mappingField,
  reusableWorkflowPath,
} from './load-workflow';
import {
  type DefaultPermissions,
  excessPermissions,
  type Permissions,
  readPermissions,
  repositoryDefault,
} from './permissions';
import type { JobRun, RunLogLine, RunResult } from './result';
import { JobRunner, readConcurrency } from './run-job';
import type { NeededJob, RunSettings, WorkflowScope } from './run-settings';
import { DEFAULT_STAND_INS } from './stand-ins/index';
import type { StandIn } from './stand-ins/types';

export interface RunWorkflowOptions {
  /** The workflow file, absolute or relative to `repoRoot`. */
  workflow: string;
  /**
   * Where the file sits in the repository the run stands for, as `github.workflow_ref` and the
   * Actions API name it (an example copied into `.github/workflows/`); default `workflow`'s path.
   */
  installedAs?: string;
  /**
   * The Gatehouse checkout: `./<path>` and `<owner>/gatehouse/<path>@<ref>` actions and reusable
   * workflows resolve to files here.
   */
  repoRoot: string;
  /** What triggered the run: see `pushEvent`, `workflowDispatchEvent`, `workflowRunEvent`, `releaseEvent`. */
  event: WorkflowEvent;
  /** Only these jobs (default: all). A job they need that is not run must be in `assumeJobs`. */
  jobs?: readonly string[];
  /** Results of needed jobs that are not run (e.g. an image build), as `needs.<id>` sees them. */
  assumeJobs?: Readonly<Record<string, NeededJob>>;
  /** Repository secrets (`secrets.*`); `GITHUB_TOKEN` is added. */
  secrets?: Readonly<Record<string, string>>;
  /** Environment secrets by environment name; they override repository secrets in that environment's jobs. */
  environmentSecrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Repository variables (`vars.*`). */
  vars?: Readonly<Record<string, string>>;
  environmentVars?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The local git repository `actions/checkout` clones, standing for `github.repository`. */
  gitRepository?: string;
  /**
   * The machine environment every step inherits, laid over this process's (runner variables
   * removed; `undefined` removes one): PATH with stand-in tools, `AWS_ENDPOINT_URL_SSM`… Without
   * HOME here each job gets a fresh HOME of its own.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** The GitHub side of the run: API URL (default a closed local port), token (default random), ids. */
  github?: {
    apiUrl?: string;
    serverUrl?: string;
    token?: string;
    runId?: number;
    runNumber?: number;
    runAttempt?: number;
  };
  /** More stand-ins by `owner/name[/path]` (they replace the defaults of the same name). */
  standIns?: Readonly<Record<string, StandIn>>;
  /** Shared between runs to download another run's artifacts; default a new store. */
  artifacts?: ArtifactStore;
  /** Where job workspaces and temp dirs go; default a new temporary directory. */
  workDir?: string;
  /** Every log line as it is written (masked), for printing a run live. */
  onLine?: (line: RunLogLine) => void;
  /** The repository's default `GITHUB_TOKEN` permissions; GitHub's default is `restricted`. */
  defaultPermissions?: DefaultPermissions;
  /** Step debug logging (`ACTIONS_STEP_DEBUG`): debug lines shown, commands echoed. */
  debug?: boolean;
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` for jobs with `id-token: write` (nothing answers the default). */
  idTokenRequestUrl?: string;
  /** Cancels the run, as cancelling it on GitHub does. */
  signal?: AbortSignal;
}

/** GitHub would not start this run (the workflow file is valid). */
export class WorkflowStartupError extends Error {
  constructor(
    readonly file: string,
    readonly errors: readonly string[],
  ) {
    super(`${file}: the run cannot start:\n${errors.map((e) => `  ${e}`).join('\n')}`);
    this.name = 'WorkflowStartupError';
  }
}

let lastRunId = 1000;

function jobPermissions(
  job: LoadedJob,
  workflow: LoadedWorkflow,
  ceiling: Permissions | undefined,
  setting: DefaultPermissions,
): Permissions {
  const declared = field(job.raw, 'permissions') ?? field(workflow.root, 'permissions');
  if (declared) return readPermissions(declared);
  return ceiling ?? repositoryDefault(setting);
}

/** What GitHub checks before it starts a run, through every workflow the run would call. */
async function startupProblems(
  workflow: LoadedWorkflow,
  repoRoot: string,
  ceiling: Permissions | undefined,
  setting: DefaultPermissions,
  depth = 0,
): Promise<string[]> {
  if (depth > 10) return [`${workflow.file}: reusable workflows nest deeper than 10 levels.`];
  const problems: string[] = [];
  for (const job of workflow.jobs) {
    const at = `${workflow.file} jobs.${job.id}`;
    for (const unsupported of ['strategy', 'container', 'services', 'continue-on-error']) {
      if (field(job.raw, unsupported))
        problems.push(`${at}: '${unsupported}' is not supported by this runner.`);
    }
    const permissions = jobPermissions(job, workflow, ceiling, setting);
    if (ceiling && (field(job.raw, 'permissions') ?? field(workflow.root, 'permissions'))) {
      problems.push(...excessPermissions(job.id, permissions, ceiling));
    }
    if (job.template.type === 'reusableWorkflowJob') {
      const callee = await loadWorkflow(
        reusableWorkflowPath(parseFileReference(job.template.ref.value), repoRoot),
        repoRoot,
      );
      problems.push(...(await startupProblems(callee, repoRoot, permissions, setting, depth + 1)));
    }
  }
  return problems;
}

/** Jobs in `needs` order, keeping file order among jobs that are ready together. */
function inNeedsOrder(jobs: readonly LoadedJob[]): LoadedJob[] {
  const done = new Set<string>();
  const ordered: LoadedJob[] = [];
  while (ordered.length < jobs.length) {
    const next = jobs.find(
      (j) => !done.has(j.id) && (j.template.needs ?? []).every((n) => done.has(n.value)),
    );
    if (!next) throw new Error('The jobs need each other in a cycle.');
    done.add(next.id);
    ordered.push(next);
  }
  return ordered;
}

function ancestorsOf(job: LoadedJob, jobs: readonly LoadedJob[]): string[] {
  const found = new Set<string>();
  const visit = (id: string) => {
    for (const need of jobs.find((j) => j.id === id)?.template.needs ?? []) {
      if (!found.has(need.value)) {
        found.add(need.value);
        visit(need.value);
      }
    }
  };
  visit(job.id);
  return [...found];
}

async function runJobs(
  settings: RunSettings,
  scope: WorkflowScope,
  selection: { jobs?: readonly string[]; assumed?: Readonly<Record<string, NeededJob>> } = {},
): Promise<Map<string, NeededJob>> {
  const finished = new Map<string, NeededJob>();
  const { jobs } = scope.workflow;
  for (const job of inNeedsOrder(jobs)) {
    if (selection.jobs && !selection.jobs.includes(job.id)) continue;
    const needs: Record<string, NeededJob> = {};
    for (const need of job.template.needs ?? []) {
      const result = finished.get(need.value) ?? selection.assumed?.[need.value];
      if (!result)
        throw new Error(
          `Job '${job.id}' needs '${need.value}', which is not run: give its result in assumeJobs.`,
        );
      finished.set(need.value, result);
      needs[need.value] = result;
    }
    const ancestors = ancestorsOf(job, jobs).filter((id) => finished.has(id));
    const key = `${scope.keyPrefix}${job.id}`;
    const results = (names: readonly string[]) =>
      (names.length > 0 ? names : ancestors).map((id) => finished.get(id));
    const scopeForIf = {
      contexts: {
        github: githubContext(settings.event, settings.identity, { id: job.id, workspace: '' }),
        needs: needs as unknown as ContextValue,
        vars: settings.vars,
        inputs: scope.inputs,
      },
      status: {
        success: (names: readonly string[]) => results(names).every((r) => r?.result === 'success'),
        failure: (names: readonly string[]) => results(names).some((r) => r?.result === 'failure'),
        cancelled: () => settings.cancel.aborted,
      },
    };
    const condition = job.template.if?.expression ?? 'success()';
    const permissions = jobPermissions(job, scope.workflow, scope.ceiling, settings.defaultPermissions);
    let run: JobRun;
    try {
      run = evaluateCondition(condition, scopeForIf)
        ? job.template.type === 'reusableWorkflowJob'
          ? await runCall(settings, scope, job, key, needs, permissions)
          : await new JobRunner({ settings, scope, job, key, needs, permissions }).run()
        : skippedJob(settings, scope, job, key, permissions, condition, jobName(job, scopeForIf));
    } catch (error) {
      run = failedJob(settings, scope, job, key, permissions, error, jobName(job, scopeForIf));
    }
    finished.set(job.id, { result: run.result, outputs: run.outputs });
    settings.jobs.push(run);
  }
  return finished;
}

/** A job's `name:` evaluated where it can be (it is for display only), else its id. */
function jobName(job: LoadedJob, scope: Scope): string {
  const name = job.template.name;
  if (!name) return job.id;
  try {
    return evaluateString(name, scope, 'name') || job.id;
  } catch {
    return job.id;
  }
}

function baseJob(
  scope: WorkflowScope,
  job: LoadedJob,
  key: string,
  permissions: Permissions,
  name: string,
): JobRun {
  return {
    key,
    id: job.id,
    workflow: scope.workflow.file,
    ...(scope.calledBy ? { calledBy: scope.calledBy } : {}),
    name,
    result: 'success',
    outputs: {},
    permissions,
    steps: [],
    summary: '',
    annotations: [],
    workspace: '',
  };
}

function skippedJob(
  settings: RunSettings,
  scope: WorkflowScope,
  job: LoadedJob,
  key: string,
  permissions: Permissions,
  condition: string,
  name: string,
): JobRun {
  const result = settings.cancel.aborted ? 'cancelled' : 'skipped';
  settings.emit({ job: key, text: `Job ${key} ${result} (if: ${condition})`, stream: 'runner' });
  return { ...baseJob(scope, job, key, permissions, name), result, skippedBy: condition };
}

function failedJob(
  settings: RunSettings,
  scope: WorkflowScope,
  job: LoadedJob,
  key: string,
  permissions: Permissions,
  error: unknown,
  name: string,
): JobRun {
  const masker = new SecretMasker();
  for (const value of Object.values(scope.secrets)) if (value) masker.addSecret(value);
  const message = masker.mask(error instanceof Error ? error.message : String(error));
  const annotation: Annotation = { level: 'error', message, properties: {} };
  settings.emit({ job: key, text: `##[error]${message}`, stream: 'runner' });
  return { ...baseJob(scope, job, key, permissions, name), result: 'failure', annotations: [annotation] };
}

/** A job that calls a reusable workflow: its jobs run as `<key>/<id>`, its outputs come back. */
async function runCall(
  settings: RunSettings,
  scope: WorkflowScope,
  job: LoadedJob,
  key: string,
  needs: Readonly<Record<string, NeededJob>>,
  permissions: Permissions,
): Promise<JobRun> {
  const template = job.template as ReusableWorkflowJob;
  const callee = await loadWorkflow(
    reusableWorkflowPath(parseFileReference(template.ref.value), settings.repoRoot),
    settings.repoRoot,
  );
  settings.emit({ job: key, text: `Job ${key} calls ${callee.file}`, stream: 'runner' });
  const github = githubContext(settings.event, settings.identity, { id: job.id, workspace: '' });
  const run = baseJob(
    scope,
    job,
    key,
    permissions,
    jobName(job, {
      contexts: {
        github,
        needs: needs as unknown as ContextValue,
        inputs: scope.inputs,
        vars: settings.vars,
      },
    }),
  );
  const contexts = {
    github,
    needs: needs as unknown as ContextValue,
    inputs: scope.inputs,
    vars: settings.vars,
    secrets: { ...scope.secrets, GITHUB_TOKEN: settings.identity.token },
  };
  const concurrency = field(job.raw, 'concurrency');
  if (concurrency) run.concurrency = readConcurrency(concurrency, { contexts });
  const given = new Map<string, { value: ContextValue; token: NonNullable<typeof template.ref> }>();
  for (const { key: name, value } of template['input-values'] ?? []) {
    given.set(String(name), {
      value: evaluateToken(value, { contexts }),
      token: value as typeof template.ref,
    });
  }
  const inputs = callInputs(
    inputDefinitions(callee.root, 'workflow_call'),
    given,
    { contexts: { github, inputs: {}, vars: settings.vars } },
    `${scope.workflow.file} jobs.${job.id}`,
  );
  const secrets = template['inherit-secrets']
    ? { ...scope.secrets }
    : evaluateStringMap(template['secret-values'], { contexts }, 'secrets');
  const finished = await runJobs(settings, {
    workflow: callee,
    inputs,
    secrets,
    ceiling: permissions,
    keyPrefix: `${key}/`,
    calledBy: key,
  });
  const results = [...finished.values()].map((r) => r.result);
  run.result = results.includes('failure')
    ? 'failure'
    : results.includes('cancelled')
      ? 'cancelled'
      : 'success';
  const on = field(callee.root, 'on');
  const outputs =
    on && isMapping(on) ? mappingField(mappingField(on, 'workflow_call'), 'outputs') : undefined;
  const jobsContext = Object.fromEntries(
    [...finished.entries()].map(([id, r]) => [id, { result: r.result, outputs: r.outputs }]),
  );
  for (const { key: name, value } of outputs ?? []) {
    const valueToken = isMapping(value) ? field(value, 'value') : undefined;
    if (!valueToken) continue;
    run.outputs[String(name)] = evaluateString(
      valueToken,
      { contexts: { github, inputs, vars: settings.vars, jobs: jobsContext } },
      `outputs.${String(name)}`,
    );
  }
  return run;
}

/** Runs a workflow file as GitHub would for `event`, against local stand-ins. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
  const repoRoot = resolve(options.repoRoot);
  const workflow = await loadWorkflow(options.workflow, repoRoot);
  let event = options.event;
  const declared = Object.keys(workflow.template.events ?? {});
  if (!declared.includes(event.name) || event.name === 'workflow_call') {
    throw new WorkflowStartupError(workflow.file, [
      `The workflow does not run on '${event.name}' (it runs on: ${declared.join(', ') || 'nothing'}).`,
    ]);
  }
  const defaultPermissions = options.defaultPermissions ?? 'restricted';
  const problems = await startupProblems(workflow, repoRoot, undefined, defaultPermissions);
  if (problems.length > 0) throw new WorkflowStartupError(workflow.file, problems);

  const payload = event.payload as {
    repository?: { full_name?: string; id?: number; owner?: { id?: number } };
    sender?: { login?: string; id?: number };
  };
  const repository = payload.repository?.full_name ?? DEFAULT_REPOSITORY;
  const workDir = options.workDir
    ? resolve(options.workDir)
    : await mkdtemp(join(tmpdir(), 'gatehouse-workflow-'));
  await mkdir(join(workDir, '_github_workflow'), { recursive: true });
  const runId = options.github?.runId ?? ++lastRunId;
  const identity: RunIdentity = {
    repository,
    repositoryId: payload.repository?.id ?? 1,
    ownerId: payload.repository?.owner?.id ?? 2,
    actor: payload.sender?.login ?? 'octocat',
    actorId: payload.sender?.id ?? 3,
    serverUrl: options.github?.serverUrl ?? 'https://github.com',
    apiUrl: options.github?.apiUrl ?? 'http://127.0.0.1:9/api',
    token: options.github?.token ?? `ghs_${randomBytes(18).toString('hex')}`,
    runId,
    runNumber: options.github?.runNumber ?? runId - 1000,
    runAttempt: options.github?.runAttempt ?? 1,
    workflowName: workflow.name,
    workflowFile: options.installedAs ?? workflow.file,
    eventPath: join(workDir, '_github_workflow', 'event.json'),
  };

  let inputs: Record<string, ContextValue> = {};
  if (event.name === 'workflow_dispatch') {
    try {
      const given = (event.payload.inputs ?? {}) as Record<string, unknown>;
      const scope = {
        contexts: { github: githubContext(event, identity, { id: '', workspace: '' }), inputs: {}, vars: {} },
      };
      const dispatched = dispatchInputs(inputDefinitions(workflow.root, 'workflow_dispatch'), given, scope);
      inputs = dispatched.inputs;
      event = { ...event, payload: { ...event.payload, inputs: dispatched.payload } };
    } catch (error) {
      throw new WorkflowStartupError(workflow.file, [(error as Error).message]);
    }
  }

  const lines: string[] = [];
  const cancel = new AbortController();
  if (options.signal?.aborted) cancel.abort();
  options.signal?.addEventListener('abort', () => cancel.abort(), { once: true });
  const settings: RunSettings = {
    repoRoot,
    workDir,
    machineEnv: machineEnvironment(options.env),
    homeGiven: options.env?.HOME !== undefined,
    secrets: options.secrets ?? {},
    environmentSecrets: options.environmentSecrets ?? {},
    vars: options.vars ?? {},
    environmentVars: options.environmentVars ?? {},
    standIns: { ...DEFAULT_STAND_INS, ...options.standIns },
    artifacts: options.artifacts ?? (await ArtifactStore.create(join(workDir, '_artifacts'))),
    ...(options.gitRepository ? { gitRepository: resolve(options.gitRepository) } : {}),
    defaultPermissions,
    debug: options.debug ?? false,
    idTokenRequestUrl: options.idTokenRequestUrl ?? 'http://127.0.0.1:9/_apis/oidc/token',
    identity,
    event,
    cancel: cancel.signal,
    emit: (line) => {
      lines.push(`${line.job} | ${line.text}`);
      options.onLine?.(line);
    },
    jobs: [],
  };
  const workflowConcurrency = field(workflow.root, 'concurrency');
  const topScope: WorkflowScope = { workflow, inputs, secrets: settings.secrets, keyPrefix: '' };
  const concurrency = workflowConcurrency
    ? readConcurrency(workflowConcurrency, {
        contexts: {
          github: githubContext(event, identity, { id: '', workspace: '' }),
          inputs,
          vars: settings.vars,
        },
      })
    : undefined;
  await runJobs(settings, topScope, { jobs: options.jobs, assumed: options.assumeJobs });

  const results = settings.jobs.map((j) => j.result);
  const conclusion = results.includes('failure')
    ? 'failure'
    : cancel.signal.aborted || results.includes('cancelled')
      ? 'cancelled'
      : 'success';
  return {
    workflow: { name: workflow.name, file: workflow.file },
    event,
    runId,
    runNumber: identity.runNumber,
    runAttempt: identity.runAttempt,
    conclusion,
    ...(concurrency ? { concurrency } : {}),
    jobs: settings.jobs,
    log: lines.map((l) => `${l}\n`).join(''),
    summaries: settings.jobs
      .filter((j) => j.summary !== '')
      .map((j) => ({ job: j.key, markdown: j.summary })),
    artifacts: settings.artifacts,
  };
}
