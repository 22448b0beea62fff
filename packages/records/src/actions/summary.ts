import { count, fields, type Infer, nullable, oneOf, string } from '../shape';

export const OUTCOMES = [
  'deployed',
  'rolled-back',
  'rollback-failed',
  'failed',
  'failed-before-change',
  'not-deployed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** summary: `start` opens the GitHub Deployment, whose id `finish` reads back here. */
export const summaryRecord = fields({
  phase: oneOf('start', 'finish'),
  environment: nullable(string),
  sha: nullable(string),
  deploymentId: nullable(count),
  /** Set by finish. */
  outcome: nullable(oneOf(...OUTCOMES)),
});
export type SummaryRecord = Infer<typeof summaryRecord>;
