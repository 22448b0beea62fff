/**
 * How a run in the world is shown to a person: the story's own lines, each step as it starts (and
 * why one is skipped), the errors and warnings as they happen, then one line per step with what it
 * found, and the job summary rendered for a terminal. Everything printed comes from the runner's
 * masked log and the steps' outputs, so a secret masked there is masked here.
 */
import type { JobRun, RunLogLine, RunResult, StepRun } from '@gatehouse/workflow-runner';
import { markdownToText } from './markdown-text';

export interface Reporter {
  /** A line of the story (what the world does between runs, and why). */
  say(text: string): void;
  /** `main`: the example's own run (shown step by step); otherwise a run that sets the scene. */
  runStarted(title: string, main: boolean): void;
  line(line: RunLogLine, main: boolean): void;
  runFinished(title: string, result: RunResult, main: boolean): void;
}

export const silentReporter: Reporter = {
  say: () => {},
  runStarted: () => {},
  line: () => {},
  runFinished: () => {},
};

export interface PrintOptions {
  /** Every log line of the example's run, not just steps and annotations. */
  verbose?: boolean;
  /** Print each main run's job summary after its steps (default true). */
  summaries?: boolean;
}

/** A reporter that writes lines (to the terminal by default). */
export function printingReporter(write: (text: string) => void, options: PrintOptions = {}): Reporter {
  return {
    say: (text) => write(text),
    runStarted(title, main) {
      write(main ? `\n▶ ${title}` : `  … ${title}`);
    },
    line(line, main) {
      if (!main) return;
      const text = line.text;
      if (options.verbose) {
        write(`    ${line.job} | ${text}`);
        return;
      }
      // Steps as they start (post steps are cleanup); skipped ones and why come with the results.
      if (line.stream === 'runner' && text.startsWith('▶ ') && !text.startsWith('▶ Post '))
        write(`    ${text}`);
      // A gate says how long it may wait: a quiet minute then reads as waiting, not hanging.
      else if (/retried for up to/.test(text)) write(`        ${text}`);
      else if (/^##\[(error|warning)\]/.test(text)) write(`        ${text.replace(/^##\[(\w+)\]/, '$1: ')}`);
    },
    runFinished(title, result, main) {
      if (!main) {
        write(
          `    ${result.conclusion === 'success' ? '✓' : '✗'} ${title}: ${result.conclusion}${outcomeOf(result)}`,
        );
        return;
      }
      write(`\n  Steps of ${title} (run ${result.runId}):`);
      for (const job of result.jobs) {
        if (job.steps.length === 0) continue;
        write(`    job ${job.key}: ${job.result}`);
        for (const step of job.steps.filter((s) => s.phase === 'main')) write(`      ${stepLine(step)}`);
      }
      if (options.summaries !== false) write(renderSummaries(result));
      write(
        `\n${result.conclusion === 'success' ? '✓' : '✗'} ${title}: ${result.conclusion}${outcomeOf(result)}`,
      );
    },
  };
}

/** The run's job summaries as a terminal shows them. */
export function renderSummaries(result: RunResult): string {
  return result.summaries
    .map(({ job, markdown }) => `\n  Job summary of ${job}:\n\n${indent(markdownToText(markdown), '  │ ')}`)
    .join('\n');
}

/** Why a step was skipped: its condition as the runner evaluated it (`success() && …` included). */
function skippedBecause(condition: string | undefined): string {
  return condition ? `skipped: ${condition}` : 'skipped';
}

/** The deploy outcome the summary step reported, when there was one. */
function outcomeOf(result: RunResult): string {
  const outcome = result.jobs
    .flatMap((job) => Object.entries(job.outputs))
    .find(([name]) => name === 'outcome');
  return outcome?.[1] ? ` (${outcome[1]})` : '';
}

/** What a step found, in a few words, from its outputs (Gatehouse actions) or its outcome. */
export function stepLine(step: StepRun): string {
  const mark = !step.ran ? '–' : step.conclusion === 'success' ? '✓' : '✗';
  const o = step.outputs;
  const action =
    /\/actions\/([\w-]+)@/.exec(step.uses ?? '')?.[1] ?? /^\.\/actions\/([\w-]+)/.exec(step.uses ?? '')?.[1];
  const details: Record<string, () => string> = {
    'resolve-ref': () => `${o.sha?.slice(0, 7) ?? ''} ${o.ref ?? ''} (${o.source ?? ''})`,
    preflight: () => `passed: ${o.passed ?? ''}`,
    'db-bootstrap': () =>
      `${o['schema-state'] ?? ''} → ${o['action-taken'] ?? ''}; version ${o['version-before'] || '(none)'} → ${o['version-after'] || '(none)'}`,
    'deploy-ssm': () => `${o.status ?? ''}${hostsOf(o.results)}`,
    'smoke-check': () => `passed: ${o.passed ?? ''}`,
    'health-deep-gate': () => `verdict: ${o.verdict ?? ''}`,
    rollback: () => `${o.status ?? ''}; back to ${o['rolled-back-to'] || '(nothing)'}`,
    summary: () =>
      o.outcome ? `outcome: ${o.outcome}` : o['deployment-id'] ? `deployment ${o['deployment-id']}` : '',
  };
  const detail = step.ran && action && step.outputs ? (details[action]?.() ?? '') : '';
  const error = step.annotations.find((a) => a.level === 'error');
  const why = !step.ran
    ? ` (${skippedBecause(step.skippedBy)})`
    : error
      ? `\n          ${error.message.split('\n')[0]}`
      : '';
  return `${mark} ${step.name}${detail ? ` — ${detail}` : ''}${why}`;
}

function hostsOf(results: string | undefined): string {
  try {
    const parsed = JSON.parse(results ?? '') as unknown[];
    return Array.isArray(parsed) ? `; ${parsed.length} host(s)` : '';
  } catch {
    return '';
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');
}

/** The job that ran the steps of a run (the called workflow's job for a caller). */
export function stepsJob(result: RunResult): JobRun | undefined {
  return [...result.jobs].reverse().find((job) => job.steps.length > 0);
}
