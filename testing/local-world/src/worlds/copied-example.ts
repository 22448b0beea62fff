/**
 * A system example runs as it runs for the person who copied it: as `.github/workflows/<its file
 * name>` of their repository, filled in. That path is what GitHub puts in GITHUB_WORKFLOW_REF and
 * in the run's `path` in the Actions API, which is what the deploy history and the promotion guard
 * trust ("runs of this workflow file"); run from `examples/…` it would be a workflow GitHub never
 * runs. The result names the example's own file again, so its steps count as the example's in
 * the step coverage check (the copy has the example's text, placeholders filled in).
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunResult, WorkflowEvent } from '@gatehouse/workflow-runner';
import type { FillIn } from '../fill-in';
import type { Reporter } from '../report';
import { GATEHOUSE_ROOT, type World } from '../world';

/** Where a copied example lives in the deploying repository. */
export function copiedPath(example: string): string {
  return `.github/workflows/${basename(example)}`;
}

export interface CopiedRunOptions {
  /** The example file, relative to the Gatehouse checkout (`examples/systems/kubernetes.yml`). */
  example: string;
  fillIns: readonly FillIn[];
  event: WorkflowEvent;
  /** The run's one-line title for the reporter. */
  title: string;
  reporter: Reporter;
  /** The example's own run (shown step by step), or one that sets the scene. */
  main?: boolean;
  /** Laid over the runner's environment for this run. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The example's text instead of its file (a test that runs a changed copy). */
  text?: string;
}

/** Runs a copied example in the world; the result's keys name the example file. */
export async function runCopied(world: World, options: CopiedRunOptions): Promise<RunResult> {
  const main = options.main ?? false;
  const copy = copiedPath(options.example);
  options.reporter.runStarted(options.title, main);
  const result = await world.run({
    workflow: copy,
    text: options.text ?? (await readFile(join(GATEHOUSE_ROOT, options.example), 'utf8')),
    fillIns: options.fillIns,
    event: options.event,
    onLine: (line) => options.reporter.line(line, main),
    ...(options.env ? { env: options.env } : {}),
  });
  const named = asExample(result, copy, options.example);
  options.reporter.runFinished(options.title, named, main);
  return named;
}

/** A result of the copy with its file, jobs and step keys naming the example instead. */
export function asExample(result: RunResult, copy: string, example: string): RunResult {
  const rename = (file: string) => (file === copy ? example : file);
  return {
    ...result,
    workflow: { ...result.workflow, file: rename(result.workflow.file) },
    jobs: result.jobs.map((job) => ({
      ...job,
      workflow: rename(job.workflow),
      steps: job.steps.map((step) =>
        step.key.startsWith(`${copy}#`) ? { ...step, key: `${example}${step.key.slice(copy.length)}` } : step,
      ),
    })),
  };
}

/** The deploy outcome a caller of the reusable workflow got back (its `deploy` job's output). */
export function outcomeOf(result: RunResult): string | undefined {
  return result.jobs.find((job) => job.key === 'deploy')?.outputs.outcome;
}
