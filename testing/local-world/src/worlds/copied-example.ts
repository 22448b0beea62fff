/**
 * A system example runs as it runs for the person who copied it: as `.github/workflows/<its file
 * name>` of their repository, filled in — `world.run` names every run so (GITHUB_WORKFLOW_REF, the
 * run's `path` in the Actions API), which is what the deploy history and the promotion guard trust.
 * The result's step keys name the example's own file, so they count in the step coverage check.
 */
import type { RunResult, WorkflowEvent } from '@gatehouse/workflow-runner';
import type { FillIn } from '../fill-in';
import type { Reporter } from '../report';
import { installedPath, type World } from '../world';

/** Where a copied example lives in the deploying repository. */
export const copiedPath = installedPath;

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

/** Runs a copied example in the world (the world names the run as installed), shown through the reporter. */
export async function runCopied(world: World, options: CopiedRunOptions): Promise<RunResult> {
  const main = options.main ?? false;
  options.reporter.runStarted(options.title, main);
  const result = await world.run({
    workflow: options.example,
    ...(options.text ? { text: options.text } : {}),
    fillIns: options.fillIns,
    event: options.event,
    onLine: (line) => options.reporter.line(line, main),
    ...(options.env ? { env: options.env } : {}),
  });
  options.reporter.runFinished(options.title, result, main);
  return result;
}

/** The deploy outcome a caller of the reusable workflow got back (its `deploy` job's output). */
export function outcomeOf(result: RunResult): string | undefined {
  return result.jobs.find((job) => job.key === 'deploy')?.outputs.outcome;
}
