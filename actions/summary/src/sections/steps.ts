import { formatDuration } from '@gatehouse/action-kit';
import { mark, type RenderContext, utcText } from '../context';
import { code, table } from '../markdown';
import type { StepView } from '../views';

/**
 * Each step that left a record, with the time it took by its own start and end: a rollback's time
 * is the rollback's, never the failed gate's retries before it.
 */
export function stepsSection(steps: readonly StepView[], ctx: RenderContext): string | undefined {
  if (steps.length === 0) return undefined;
  const first = Math.min(...steps.map((s) => s.startedAt));
  const last = Math.max(...steps.map((s) => s.finishedAt));
  const rows = steps.map((s) => [
    s.label,
    code(s.step ?? undefined),
    mark(s.ok),
    new Date(s.startedAt).toISOString().slice(11, 19),
    formatDuration(s.finishedAt - s.startedAt),
  ]);
  const busy = steps.reduce((sum, s) => sum + (s.finishedAt - s.startedAt), 0);
  const total =
    `\n\nThe first of these steps started at ${utcText(first)}` +
    (steps.length > 1
      ? `; from then to the last one ending: ${formatDuration(last - first)}, of which these steps took ` +
        `${formatDuration(busy)} (the rest is the job's other steps, such as credentials and checkout, and the runner between steps).`
      : '.');
  return `### Steps and time\n\n${table(['Step', 'Step id', 'Result', 'Started (UTC)', 'Took'], rows, ctx.maxRows)}${total}`;
}
