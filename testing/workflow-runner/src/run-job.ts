/**
 * One job, step by step, as the runner runs it (actions/runner `JobExtension`, `StepsRunner`,
 * `ActionRunner`): actions resolved first ("Set up job"); the `pre` of every repository action at
 * the start (`pre-if`, default `always()`); then each step — its `env` evaluated, then its name, then
 * its `if` against the job status (`success()`, `failure()`, `cancelled()`, `always()`), its
 * `timeout-minutes`, its effects (outputs, `GITHUB_ENV`, `GITHUB_PATH`, state, summary) and its
 * `continue-on-error` (outcome vs conclusion); then the `post` of every action whose `pre` or `main`
 * ran, newest first (`post-if`, default `always()`); then job outputs and the environment URL.
 * `timeout-minutes` of the job cancels it: the running step is cancelled (SIGINT, SIGTERM, kill)
 * unless its condition still holds, and only `always()`/`cancelled()` steps run after.
 * Whatever a step left running in the background is killed when the job ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isMapping, isString } from '@actions/workflow-parser/templates/tokens/type-guards';
import {
  type Annotation,
  type Contexts,
  type ContextValue,
  evaluateCondition,
  evaluateString,
  evaluateStringMap,
  evaluateToken,
  type Phase,
  type Scope,
  SecretMasker,
  type StatusFunctions,
  StepOutput,
} from '@gatehouse/runner-harness';
import { runActionStep } from './action-step';
import { githubContext } from './github-context';
import { field, type LoadedJob, type LoadedStep, mappingField } from './load-workflow';
import type { Permissions } from './permissions';
import { type ResolvedUses, resolveUses } from './resolve-uses';
import type { Conclusion, JobRun, StepRun } from './result';
import type { NeededJob, RunSettings, WorkflowScope } from './run-settings';
import { runScript } from './script-step';
import type { JobFacts, PhaseOutcome, StepRuntime } from './step-runtime';

type JobStatus = 'success' | 'failure' | 'cancelled';

interface JobDirectories {
  workspace: string;
  temp: string;
  toolCache: string;
  home: string;
}

interface PostStep {
  step: LoadedStep;
  resolved: ResolvedUses;
  name: string;
  condition: string;
}

const DEFAULT_JOB_TIMEOUT_MINUTES = 360;

export interface JobRequest {
  settings: RunSettings;
  scope: WorkflowScope;
  job: LoadedJob;
  key: string;
  needs: Readonly<Record<string, NeededJob>>;
  permissions: Permissions;
}

export class JobRunner {
  private readonly settings: RunSettings;
  private readonly scope: WorkflowScope;
  private readonly job: LoadedJob;
  private readonly masker = new SecretMasker();
  private status: JobStatus = 'success';
  private readonly env: Record<string, string> = {};
  private readonly prependPath: string[] = [];
  private readonly steps: Record<
    string,
    { outputs: Record<string, string>; outcome: string; conclusion: string }
  > = {};
  private readonly states = new Map<number, Record<string, string>>();
  private readonly posts: PostStep[] = [];
  private readonly resolved = new Map<number, ResolvedUses>();
  private readonly processGroups = new Set<number>();
  private onJobCancel: (() => void) | undefined;
  private readonly result: JobRun;
  private github: Record<string, ContextValue> = {};
  private runner: Record<string, string> = {};
  private secrets: Record<string, string> = {};
  private vars: Record<string, string> = {};
  private facts!: JobFacts;
  private summary = '';

  constructor(private readonly request: JobRequest) {
    this.settings = request.settings;
    this.scope = request.scope;
    this.job = request.job;
    this.result = {
      key: request.key,
      id: this.job.id,
      workflow: this.scope.workflow.file,
      ...(this.scope.calledBy ? { calledBy: this.scope.calledBy } : {}),
      name: this.job.id,
      result: 'success',
      outputs: {},
      permissions: request.permissions,
      steps: [],
      summary: '',
      annotations: [],
      workspace: '',
    };
  }

  async run(): Promise<JobRun> {
    const dirs = await this.prepareDirectories();
    this.result.workspace = dirs.workspace;
    this.prepareContexts(dirs);
    let timer: NodeJS.Timeout | undefined;
    // A run cancelled while the job runs cancels it; a job started after (if: always()) runs.
    const runCancelled = () => this.cancelJob('The operation was canceled.');
    this.settings.cancel.addEventListener('abort', runCancelled, { once: true });
    try {
      timer = this.startTimeout();
      if (await this.setUp(dirs)) {
        await this.runPreSteps();
        for (const step of this.job.steps) await this.runMainStep(step);
        while (this.posts.length > 0) await this.runPostStep(this.posts.pop()!);
      }
      this.finish();
    } catch (error) {
      this.jobError(error);
      this.status = this.status === 'cancelled' ? 'cancelled' : 'failure';
    } finally {
      if (timer) clearTimeout(timer);
      this.settings.cancel.removeEventListener('abort', runCancelled);
      this.killLeftovers();
    }
    this.result.result = this.status;
    this.result.summary = this.summary;
    return this.result;
  }

  // ── Set up ────────────────────────────────────────────────────────────────────────────────

  private async prepareDirectories(): Promise<JobDirectories> {
    const safe = this.request.key.replace(/[^\w.-]+/g, '_');
    const root = join(this.settings.workDir, 'jobs', safe);
    await rm(root, { recursive: true, force: true });
    const dirs = {
      workspace: join(root, 'workspace'),
      temp: join(root, 'temp'),
      toolCache: join(root, 'tool_cache'),
      home: join(root, 'home'),
    };
    for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
    return dirs;
  }

  private contexts(env: Readonly<Record<string, string>> = this.env): Contexts {
    return {
      github: this.github,
      inputs: this.scope.inputs,
      vars: this.vars,
      secrets: this.secrets,
      needs: this.request.needs as unknown as ContextValue,
      env,
      steps: this.steps,
      runner: this.runner,
      job: { status: this.status, container: { id: '', network: '' }, services: {} },
    };
  }

  private stepStatus(): StatusFunctions {
    return {
      success: () => this.status === 'success',
      failure: () => this.status === 'failure',
      cancelled: () => this.status === 'cancelled',
    };
  }

  private scopeFor(env?: Readonly<Record<string, string>>, status = false): Scope {
    return { contexts: this.contexts(env), ...(status ? { status: this.stepStatus() } : {}) };
  }

  /** The contexts a job has before its first step: `github`, `runner`, `vars`, `secrets`. */
  private prepareContexts(dirs: JobDirectories): void {
    const { settings, job } = this;
    this.github = githubContext(settings.event, settings.identity, { id: job.id, workspace: dirs.workspace });
    this.runner = {
      name: 'GitHub Actions 1',
      os: 'Linux',
      arch: 'X64',
      environment: 'github-hosted',
      temp: dirs.temp,
      tool_cache: dirs.toolCache,
      ...(settings.debug ? { debug: '1' } : {}),
    };
    this.vars = { ...settings.vars };
    this.secrets = { ...this.scope.secrets };
    const name = job.template.name;
    if (name) {
      try {
        this.result.name = evaluateString(name, { contexts: this.contexts({}) }, 'name') || job.id;
      } catch {
        // The name is for display only; the job id stands in for it.
      }
    }
    this.emitRunner(`Job ${this.request.key}${this.result.name !== job.id ? ` (${this.result.name})` : ''}`);
  }

  /** "Set up job": environment, secrets, env, and every action resolved. False: the job fails now. */
  private async setUp(dirs: JobDirectories): Promise<boolean> {
    const { settings, job } = this;
    const jobScope = () => ({ contexts: this.contexts({}) });
    const environment = field(job.raw, 'environment');
    if (environment) {
      const spec = isMapping(environment) ? environment : undefined;
      const nameToken = spec ? field(spec, 'name') : environment;
      const name = nameToken ? evaluateString(nameToken, jobScope(), 'environment.name') : '';
      if (name) {
        this.result.environment = { name };
        Object.assign(this.secrets, settings.environmentSecrets[name] ?? {});
        Object.assign(this.vars, settings.environmentVars[name] ?? {});
      }
    }
    this.secrets.GITHUB_TOKEN = settings.identity.token;
    // The runner masks every secret the job can see, and the tokens it hands out.
    for (const value of Object.values(this.secrets)) if (value) this.masker.addSecret(value);
    const runtimeToken = randomBytes(24).toString('hex');
    const idToken =
      this.request.permissions['id-token'] === 'write' ? randomBytes(24).toString('hex') : undefined;
    this.masker.addSecret(runtimeToken);
    if (idToken) this.masker.addSecret(idToken);

    const runsOn = field(job.raw, 'runs-on');
    if (runsOn) this.result.runsOn = evaluateToken(runsOn, jobScope());
    const concurrency = field(job.raw, 'concurrency');
    if (concurrency) this.result.concurrency = readConcurrency(concurrency, jobScope());

    const workflowEnv = this.scope.workflow.template.env;
    if (workflowEnv) {
      Object.assign(this.env, evaluateStringMap(workflowEnv, { contexts: this.contexts({}) }, 'env'));
    }
    const jobEnv = field(job.raw, 'env');
    if (jobEnv)
      Object.assign(this.env, evaluateStringMap(jobEnv, { contexts: this.contexts({ ...this.env }) }, 'env'));

    this.facts = {
      key: this.request.key,
      permissions: this.request.permissions,
      workspace: dirs.workspace,
      temp: dirs.temp,
      home: dirs.home,
      prependPath: this.prependPath,
      defaults: this.runDefaults(),
      runtimeToken,
      ...(idToken ? { idToken } : {}),
    };
    await writeFile(settings.identity.eventPath, JSON.stringify(settings.event.payload, null, 2));

    for (const step of job.steps) {
      const uses = field(step.raw, 'uses');
      if (!uses || !isString(uses)) continue;
      try {
        this.resolved.set(step.index, await resolveUses(uses.value, settings.repoRoot, settings.standIns));
      } catch (error) {
        this.jobError(error);
        this.status = 'failure';
        return false;
      }
    }
    return true;
  }

  /** `defaults.run` of the job, each setting falling back to the workflow's. */
  private runDefaults(): JobFacts['defaults'] {
    const read = (root: TemplateToken | undefined, scope: Scope) => {
      const run = root && isMapping(root) ? mappingField(root, 'run') : undefined;
      const shell = field(run, 'shell');
      const workingDirectory = field(run, 'working-directory');
      return {
        shell: shell ? evaluateString(shell, scope, 'defaults.run.shell') : undefined,
        workingDirectory: workingDirectory
          ? evaluateString(workingDirectory, scope, 'defaults.run.working-directory')
          : undefined,
      };
    };
    const workflow = read(field(this.scope.workflow.root, 'defaults'), { contexts: {} });
    const job = read(field(this.job.raw, 'defaults'), { contexts: this.contexts() });
    return {
      shell: job.shell ?? workflow.shell,
      workingDirectory: job.workingDirectory ?? workflow.workingDirectory,
    };
  }

  private startTimeout() {
    const token = field(this.job.raw, 'timeout-minutes');
    let minutes = DEFAULT_JOB_TIMEOUT_MINUTES;
    if (token) {
      const value = evaluateToken(token, { contexts: this.contexts({}) });
      if (typeof value === 'number' && value > 0) minutes = value;
    }
    return setTimeout(
      () =>
        this.cancelJob(
          `The job running on runner GitHub Actions 1 has exceeded the maximum execution time of ${minutes} minutes.`,
        ),
      minutes * 60_000,
    );
  }

  /** The job is cancelled: the running step stops unless its condition still holds. */
  private cancelJob(message: string): void {
    if (this.status === 'cancelled') return;
    this.status = 'cancelled';
    this.annotateJob('error', message);
    this.onJobCancel?.();
  }

  // ── Steps ─────────────────────────────────────────────────────────────────────────────────

  private async runPreSteps(): Promise<void> {
    for (const step of this.job.steps) {
      const resolved = this.resolved.get(step.index);
      if (resolved?.kind !== 'action' || resolved.local || !resolved.action.runs.pre) continue;
      const name = `Pre ${this.displayName(step, this.env)}`;
      const condition = resolved.action.runs.preIf ?? 'always()';
      const stepRun = this.newStepRun(step, 'pre', name);
      if (!this.holdsOrFails(condition, step, stepRun)) continue;
      await this.execute(step, stepRun, 'pre', this.env, async (runtime) =>
        runActionStep(runtime, resolved, 'pre', this.withInputs(step, runtime.scope)),
      );
      this.registerPost(step, resolved, name.slice('Pre '.length));
    }
  }

  private async runMainStep(step: LoadedStep): Promise<void> {
    this.github.action = step.contextName;
    const stepRun = this.newStepRun(step, 'main', this.defaultName(step));
    const env = { ...this.env };
    try {
      Object.assign(env, evaluateStringMap(field(step.raw, 'env'), this.scopeFor(env), 'env'));
    } catch (error) {
      return this.failBeforeRunning(step, stepRun, error);
    }
    stepRun.name = this.displayName(step, env);
    const condition = step.template.if?.expression ?? 'success()';
    let holds: boolean;
    try {
      holds = this.holds(condition, env, stepRun);
    } catch (error) {
      return this.failBeforeRunning(step, stepRun, error);
    }
    if (!holds) {
      this.updateStepsContext(step, 'skipped', 'skipped', {});
      return;
    }
    const resolved = this.resolved.get(step.index);
    const run = field(step.raw, 'run');
    await this.execute(step, stepRun, 'main', env, async (runtime) => {
      if (resolved) {
        this.registerPost(step, resolved, stepRun.name);
        return runActionStep(runtime, resolved, 'main', this.withInputs(step, runtime.scope));
      }
      if (!run) throw new Error(`Step ${step.index} of ${this.job.id} has neither run nor uses.`);
      const outcome = await runScript(runtime, {
        run,
        shell: field(step.raw, 'shell'),
        workingDirectory: field(step.raw, 'working-directory'),
      });
      stepRun.run = outcome.script;
      return outcome;
    });
  }

  private async runPostStep(post: PostStep): Promise<void> {
    const name = `Post ${post.name}`;
    const stepRun = this.newStepRun(post.step, 'post', name);
    if (!this.holdsOrFails(post.condition, post.step, stepRun)) return;
    await this.execute(post.step, stepRun, 'post', this.env, async (runtime) =>
      runActionStep(runtime, post.resolved, 'post', this.withInputs(post.step, runtime.scope)),
    );
  }

  private registerPost(step: LoadedStep, resolved: ResolvedUses, name: string): void {
    if (this.posts.some((p) => p.step === step)) return;
    const hasPost = resolved.kind === 'action' ? !!resolved.action.runs.post : !!resolved.standIn.post;
    if (!hasPost) return;
    const runs = resolved.kind === 'action' ? resolved.action.runs : resolved.manifest.runs;
    this.posts.push({ step, resolved, name, condition: runs.postIf ?? 'always()' });
  }

  private withInputs(step: LoadedStep, scope: Scope): Record<string, string> {
    return evaluateStringMap(field(step.raw, 'with'), scope, 'with');
  }

  /** `pre-if`/`post-if`: a condition that cannot be evaluated fails that step, as any step's. */
  private holdsOrFails(condition: string, step: LoadedStep, stepRun: StepRun): boolean {
    try {
      return this.holds(condition, this.env, stepRun);
    } catch (error) {
      this.failBeforeRunning(step, stepRun, error, false);
      return false;
    }
  }

  /** Evaluates a condition; false records the step as skipped. */
  private holds(condition: string, env: Readonly<Record<string, string>>, stepRun: StepRun): boolean {
    if (evaluateCondition(condition, this.scopeFor(env, true))) return true;
    stepRun.skippedBy = condition;
    this.emitStep(stepRun, `▷ ${stepRun.name} (skipped: ${condition})`);
    return false;
  }

  private newStepRun(step: LoadedStep, phase: Phase, name: string): StepRun {
    const uses = field(step.raw, 'uses');
    const stepRun: StepRun = {
      key: step.key,
      job: this.request.key,
      phase,
      name,
      ...(step.id ? { id: step.id } : {}),
      ...(uses && isString(uses) ? { uses: uses.value } : {}),
      ran: false,
      outcome: 'skipped',
      conclusion: 'skipped',
      outputs: {},
      log: [],
      annotations: [],
      durationMs: 0,
    };
    this.result.steps.push(stepRun);
    return stepRun;
  }

  private defaultName(step: LoadedStep): string {
    const uses = field(step.raw, 'uses');
    if (uses && isString(uses)) return `Run ${uses.value}`;
    const run = field(step.raw, 'run');
    const source = run ? ((run as { source?: string }).source ?? String(run)) : '';
    return `Run ${source.trimStart().split(/[\r\n]/)[0] ?? ''}`;
  }

  private displayName(step: LoadedStep, env: Readonly<Record<string, string>>): string {
    const name = field(step.raw, 'name');
    if (!name) return this.defaultName(step);
    try {
      return evaluateString(name, this.scopeFor(env), 'name') || this.defaultName(step);
    } catch {
      return this.defaultName(step);
    }
  }

  private failBeforeRunning(step: LoadedStep, stepRun: StepRun, error: unknown, main = true): void {
    stepRun.ran = true;
    stepRun.outcome = 'failure';
    stepRun.conclusion = 'failure';
    const output = this.stepOutput(stepRun);
    output.annotate('error', messageOf(error));
    stepRun.annotations.push(...output.annotations);
    if (main) this.updateStepsContext(step, 'failure', 'failure', {});
    if (this.status === 'success') this.status = 'failure';
  }

  private stepOutput(stepRun: StepRun): StepOutput {
    return new StepOutput({
      masker: this.masker,
      debug: this.settings.debug,
      env: () => ({ ...this.settings.machineEnv, ...this.env }),
      onLine: (line) => {
        stepRun.log.push(line.text);
        this.settings.emit({ ...line, job: this.request.key, step: stepRun.name });
      },
    });
  }

  /** Runs one step phase: timeout, cancellation, effects, continue-on-error, job status. */
  private async execute(
    step: LoadedStep,
    stepRun: StepRun,
    phase: Phase,
    env: Readonly<Record<string, string>>,
    body: (runtime: StepRuntime) => Promise<PhaseOutcome>,
  ): Promise<void> {
    const started = performance.now();
    stepRun.ran = true;
    this.emitStep(stepRun, `▶ ${stepRun.name}`);
    const output = this.stepOutput(stepRun);
    const cancel = new AbortController();
    let timedOut = false;
    let cancelledByJob = false;
    let timeoutMinutes = 0;
    const timeoutToken = phase === 'main' ? field(step.raw, 'timeout-minutes') : undefined;
    if (timeoutToken) {
      try {
        const value = evaluateToken(timeoutToken, this.scopeFor(env));
        if (typeof value !== 'number')
          throw new Error(`Unexpected value '${String(value)}' for timeout-minutes.`);
        timeoutMinutes = value;
      } catch (error) {
        output.annotate('error', 'An error occurred when attempting to determine the step timeout.');
        output.annotate('error', messageOf(error));
      }
    }
    const timer =
      timeoutMinutes > 0
        ? setTimeout(() => {
            timedOut = true;
            cancel.abort();
          }, timeoutMinutes * 60_000)
        : undefined;
    const condition = phase === 'main' ? (step.template.if?.expression ?? 'success()') : 'always()';
    this.onJobCancel = () => {
      // The runner tests the condition again: a step that still should run keeps running.
      let still = false;
      try {
        still = evaluateCondition(condition, this.scopeFor(env, true));
      } catch {
        still = false;
      }
      if (!still) {
        cancelledByJob = true;
        cancel.abort();
      }
    };
    const state = this.states.get(step.index) ?? {};
    const runtime: StepRuntime = {
      settings: this.settings,
      job: this.facts,
      scope: this.scopeFor(env),
      env,
      github: { ...this.github, action: step.contextName },
      runner: this.runner,
      output,
      cancel: cancel.signal,
      state,
      onProcessGroup: (group) => {
        if (group !== undefined) this.processGroups.add(group);
      },
    };
    let outcome: PhaseOutcome | undefined;
    try {
      outcome = await body(runtime);
    } catch (error) {
      output.annotate('error', messageOf(error));
    } finally {
      clearTimeout(timer);
      this.onJobCancel = undefined;
    }
    let result: Conclusion = outcome && !outcome.failed ? 'success' : 'failure';
    if (timedOut) {
      output.annotate('error', `The action '${stepRun.name}' has timed out after ${timeoutMinutes} minutes.`);
      result = 'failure';
    } else if (cancelledByJob) {
      output.annotate('error', 'The operation was canceled.');
      result = 'cancelled';
    }
    if (outcome) {
      if (this.applyEffects(step, stepRun, phase, outcome, output))
        result = result === 'cancelled' ? result : 'failure';
    }
    stepRun.outcome = result;
    stepRun.conclusion = result;
    if (result === 'failure' && phase === 'main') {
      if (this.continueOnError(step, env, output)) stepRun.conclusion = 'success';
    }
    stepRun.annotations.push(...output.annotations);
    stepRun.durationMs = performance.now() - started;
    if (phase === 'main') this.updateStepsContext(step, stepRun.outcome, stepRun.conclusion, stepRun.outputs);
    if (stepRun.conclusion === 'failure' && this.status === 'success') this.status = 'failure';
  }

  /** Applies a phase's effects; true when one of them fails the step. */
  private applyEffects(
    step: LoadedStep,
    stepRun: StepRun,
    phase: Phase,
    outcome: PhaseOutcome,
    output: StepOutput,
  ): boolean {
    const { effects } = outcome;
    for (const message of effects.fileErrors) output.annotate('error', message);
    for (const message of effects.otherErrors) output.annotate('error', message);
    for (const dir of effects.path) {
      const at = this.prependPath.indexOf(dir);
      if (at >= 0) this.prependPath.splice(at, 1);
      this.prependPath.push(dir);
    }
    for (const [name, value] of effects.env) {
      if (name.toUpperCase() === 'NODE_OPTIONS') {
        output.annotate('error', "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.");
        continue;
      }
      this.env[name] = value;
    }
    if (effects.state.length > 0) {
      this.states.set(step.index, {
        ...(this.states.get(step.index) ?? {}),
        ...Object.fromEntries(effects.state),
      });
    }
    // Outputs of `pre` and `post` go nowhere: those phases have no step context name.
    if (phase === 'main') Object.assign(stepRun.outputs, Object.fromEntries(effects.outputs));
    if (effects.summary) {
      this.summary += effects.summary
        .split('\n')
        .map((line) => this.masker.mask(line))
        .join('\n');
    }
    return effects.fileErrors.length > 0;
  }

  private continueOnError(
    step: LoadedStep,
    env: Readonly<Record<string, string>>,
    output: StepOutput,
  ): boolean {
    const token = field(step.raw, 'continue-on-error');
    if (!token) return false;
    try {
      const value = evaluateToken(token, this.scopeFor(env));
      if (typeof value !== 'boolean')
        throw new Error(`Unexpected value '${String(value)}' for continue-on-error.`);
      return value;
    } catch (error) {
      output.annotate(
        'error',
        'The step failed and an error occurred when attempting to determine whether to continue on error.',
      );
      output.annotate('error', messageOf(error));
      return false;
    }
  }

  private updateStepsContext(
    step: LoadedStep,
    outcome: string,
    conclusion: string,
    outputs: Record<string, string>,
  ) {
    if (!step.id) return;
    this.steps[step.id] = { outputs: { ...outputs }, outcome, conclusion };
  }

  // ── End of the job ───────────────────────────────────────────────────────────────────────

  private finish(): void {
    const outputs = mappingField(this.job.raw, 'outputs');
    if (outputs) {
      for (const { key, value } of outputs) {
        const name = String(key);
        try {
          const evaluated = evaluateString(value, this.scopeFor(), `outputs.${name}`);
          if (evaluated === '') continue;
          if (this.masker.mask(evaluated) !== evaluated) {
            this.annotateJob('warning', `Skip output '${name}' since it may contain secret.`);
            continue;
          }
          this.result.outputs[name] = evaluated;
        } catch (error) {
          this.annotateJob('error', 'Fail to evaluate job outputs');
          this.annotateJob('error', messageOf(error));
          this.status = this.status === 'cancelled' ? 'cancelled' : 'failure';
        }
      }
    }
    const environment = field(this.job.raw, 'environment');
    const url = environment && isMapping(environment) ? field(environment, 'url') : undefined;
    if (url && this.result.environment) {
      try {
        const evaluated = evaluateString(url, this.scopeFor(), 'environment.url');
        if (this.masker.mask(evaluated) !== evaluated) {
          this.annotateJob(
            'warning',
            `Skip setting environment url as environment '${this.result.environment.name}' may contain secret.`,
          );
        } else if (evaluated) {
          this.result.environment.url = evaluated;
        }
      } catch (error) {
        this.annotateJob('error', 'Failed to evaluate environment url');
        this.annotateJob('error', messageOf(error));
        this.status = this.status === 'cancelled' ? 'cancelled' : 'failure';
      }
    }
  }

  /** "Cleaning up orphan processes": every step's process group. */
  private killLeftovers(): void {
    for (const group of this.processGroups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  // ── Log ──────────────────────────────────────────────────────────────────────────────────

  private emitRunner(text: string): void {
    this.settings.emit({ job: this.request.key, text: this.masker.mask(text), stream: 'runner' });
  }

  private emitStep(stepRun: StepRun, text: string): void {
    this.settings.emit({
      job: this.request.key,
      step: stepRun.name,
      text: this.masker.mask(text),
      stream: 'runner',
    });
  }

  private annotateJob(level: Annotation['level'], message: string): void {
    const masked = this.masker.mask(message);
    this.result.annotations.push({ level, message: masked, properties: {} });
    this.emitRunner(`##[${level}]${masked}`);
  }

  private jobError(error: unknown): void {
    this.annotateJob('error', messageOf(error));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `concurrency:` as a string (the group) or a mapping (`group`, `cancel-in-progress`). */
export function readConcurrency(
  token: TemplateToken,
  scope: Scope,
): { group: string; cancelInProgress: boolean } {
  if (!isMapping(token))
    return { group: evaluateString(token, scope, 'concurrency'), cancelInProgress: false };
  const group = field(token, 'group');
  const cancel = field(token, 'cancel-in-progress');
  return {
    group: group ? evaluateString(group, scope, 'concurrency.group') : '',
    cancelInProgress: cancel ? evaluateToken(cancel, scope) === true : false,
  };
}
