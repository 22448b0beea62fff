/**
 * A workflow file read by GitHub's own parser and converter (@actions/workflow-parser). The
 * converted template gives jobs, needs, `if` conditions (with the implicit `success() &&`) and
 * step ids; fields it leaves out (`permissions`, `defaults`, `timeout-minutes`, a step's `with`,
 * `shell`, `working-directory`) are read from the parser's validated token tree. Any error the
 * parser reports — in the file or in a reusable workflow it calls — refuses the whole file.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { Step, WorkflowJob, WorkflowTemplate } from '@actions/workflow-parser/model/workflow-template';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isMapping, isSequence, isString } from '@actions/workflow-parser/templates/tokens/type-guards';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';

/** The workflow file GitHub would reject: every error the parser reported. */
export class WorkflowParseError extends Error {
  constructor(
    readonly file: string,
    readonly errors: readonly string[],
  ) {
    super(`${file} is not a valid workflow:\n${errors.map((e) => `  ${e}`).join('\n')}`);
    this.name = 'WorkflowParseError';
  }
}

/** A field of a mapping token, by key. */
export function field(mapping: MappingToken | undefined, key: string): TemplateToken | undefined {
  if (!mapping) return undefined;
  for (const pair of mapping) if (isString(pair.key) && pair.key.value === key) return pair.value;
  return undefined;
}

export function mappingField(mapping: MappingToken | undefined, key: string): MappingToken | undefined {
  const value = field(mapping, key);
  return value && isMapping(value) ? value : undefined;
}

/** Where a declared step lives: the file (relative to the repository), the job, its index in `steps`. */
export function stepKey(file: string, job: string, index: number): string {
  return `${file}#jobs.${job}.steps[${index}]`;
}

export interface LoadedStep {
  index: number;
  key: string;
  /** The runner's context name: the `id`, or a generated `__run`, `__actions_checkout`… */
  contextName: string;
  /** The `id` the author wrote, if any (only those reach the `steps` context). */
  id?: string;
  template: Step;
  raw: MappingToken;
}

export interface LoadedJob {
  id: string;
  template: WorkflowJob;
  raw: MappingToken;
  steps: LoadedStep[];
}

export interface LoadedWorkflow {
  /** Absolute path. */
  path: string;
  /** Path relative to the repository root, as keys and `github.workflow_ref` use it. */
  file: string;
  /** `name:`, or the file path as GitHub shows a workflow without one. */
  name: string;
  template: WorkflowTemplate;
  root: MappingToken;
  jobs: LoadedJob[];
}

/**
 * Where a reusable workflow lives: `./<path>` and `<owner>/gatehouse/<path>@<ref>` are files of the
 * Gatehouse checkout at `repoRoot`; anything else cannot be fetched here.
 */
export function reusableWorkflowPath(reference: FileReference, repoRoot: string): string {
  if ('repository' in reference && reference.repository !== 'gatehouse') {
    throw new Error(
      `${reference.owner}/${reference.repository}/${reference.path}@${reference.version} is not a Gatehouse workflow.`,
    );
  }
  return join(repoRoot, reference.path);
}

function describePath(path: string, repoRoot: string): string {
  const rel = relative(repoRoot, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** Parses, validates and converts a workflow file; reusable workflows it calls are validated too. */
export async function loadWorkflow(workflow: string, repoRoot: string): Promise<LoadedWorkflow> {
  const path = resolve(repoRoot, workflow);
  if (!existsSync(path)) throw new Error(`No workflow file at ${path}.`);
  const file = describePath(path, repoRoot);
  const parsed = parseWorkflow(
    { name: file, content: await readFile(path, 'utf8') },
    new NoOperationTraceWriter(),
  );
  const provider = {
    getFileContent: async (reference: FileReference) => {
      const target = reusableWorkflowPath(reference, repoRoot);
      return { name: describePath(target, repoRoot), content: await readFile(target, 'utf8') };
    },
  };
  const template = parsed.value
    ? await convertWorkflowTemplate(parsed.context, parsed.value, provider, { fetchReusableWorkflowDepth: 1 })
    : undefined;
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (!template || !parsed.value || errors.length > 0) {
    throw new WorkflowParseError(file, errors.length > 0 ? errors : ['The file could not be read.']);
  }
  const root = parsed.value.assertMapping('workflow root');
  const rawJobs = mappingField(root, 'jobs');
  const jobs = template.jobs.map((job): LoadedJob => {
    const raw = mappingField(rawJobs, job.id.value);
    if (!raw) throw new WorkflowParseError(file, [`Job '${job.id.value}' has no definition.`]);
    const rawSteps = field(raw, 'steps');
    const steps = (job.type === 'job' ? job.steps : []).map((step, index): LoadedStep => {
      const rawStep = rawSteps && isSequence(rawSteps) ? rawSteps.get(index) : undefined;
      if (!rawStep || !isMapping(rawStep))
        throw new WorkflowParseError(file, [`Step ${index} of ${job.id.value}?`]);
      const written = field(rawStep, 'id');
      return {
        index,
        key: stepKey(file, job.id.value, index),
        contextName: step.id,
        id: written && isString(written) ? written.value : undefined,
        template: step,
        raw: rawStep,
      };
    });
    return { id: job.id.value, template: job, raw, steps };
  });
  const name = field(root, 'name');
  return { path, file, name: name && isString(name) ? name.value : file, template, root, jobs };
}

/** One step a workflow file declares, keyed as results key the steps that ran. */
export interface DeclaredStep {
  key: string;
  job: string;
  index: number;
  name?: string;
  uses?: string;
  run?: string;
}

/** Every step a workflow file declares, in file order (jobs that call a reusable workflow have none). */
export async function listDeclaredSteps(workflow: string, repoRoot: string): Promise<DeclaredStep[]> {
  const loaded = await loadWorkflow(workflow, repoRoot);
  return loaded.jobs.flatMap((job) =>
    job.steps.map((step) => {
      const name = field(step.raw, 'name');
      const uses = field(step.raw, 'uses');
      const run = field(step.raw, 'run');
      return {
        key: step.key,
        job: job.id,
        index: step.index,
        ...(name ? { name: String(name) } : {}),
        ...(uses && isString(uses) ? { uses: uses.value } : {}),
        ...(run ? { run: String(run) } : {}),
      };
    }),
  );
}
