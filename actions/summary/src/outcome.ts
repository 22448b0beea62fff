import { type JobView, shortSha } from './views';

export const OUTCOMES = [
  'deployed',
  'rolled-back',
  'rollback-failed',
  'failed',
  'failed-before-change',
  'not-deployed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The words a person reads first, and the Deployment state GitHub shows for each outcome. */
export const OUTCOME_TEXT: Record<Outcome, { icon: string; words: string; state: DeploymentState }> = {
  deployed: { icon: '✅', words: 'deployed', state: 'success' },
  'rolled-back': { icon: '↩️', words: 'rolled back', state: 'failure' },
  'rollback-failed': { icon: '🚨', words: 'failed, and the rollback failed too', state: 'failure' },
  failed: { icon: '❌', words: 'deploy failed', state: 'failure' },
  // `error` rather than `failure`: the deploy never ran, so there is nothing of it to judge.
  'failed-before-change': { icon: '⛔', words: 'failed before changing anything', state: 'error' },
  'not-deployed': { icon: '➖', words: 'nothing was deployed', state: 'error' },
};

export type DeploymentState = 'success' | 'failure' | 'error';

export interface Verdict {
  outcome: Outcome;
  /** One or two sentences: what happened, where, and where the environment stands now. */
  sentence: string;
  /** At most 140 characters, for the Deployment status. */
  short: string;
}

function hostCount(n: number): string {
  return n === 1 ? '1 host' : `${n} hosts`;
}

function failedHosts(job: JobView): string[] {
  return (job.deploy?.hosts ?? [])
    .filter((h) => (h.status ?? '').toLowerCase() !== 'success')
    .map((h) => h.host);
}

function names(items: string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** Why the deploy itself is judged failed, in words; undefined when nothing says it failed. */
function deployProblem(job: JobView, jobFailed: boolean): string | undefined {
  const deployStatus = (job.deploy?.status ?? '').toLowerCase();
  if (job.deploy && deployStatus !== 'success') {
    const hosts = failedHosts(job);
    return hosts.length > 0
      ? `the deploy failed on ${names(hosts)} (${job.deploy.status ?? 'no status'})`
      : `the deploy ended ${job.deploy.status ?? 'without a status'}`;
  }
  if (job.smoke?.ok === false) {
    const failing = job.smoke.checks.filter((c) => c.ok === false).map((c) => c.name);
    return failing.length > 0 ? `its smoke check failed (${names(failing)})` : 'its smoke check failed';
  }
  if (job.deepGate?.ok === false) {
    return `its deep health gate said ${job.deepGate.verdict ?? 'fail'}${job.deepGate.reason ? `: ${job.deepGate.reason}` : ''}`;
  }
  return jobFailed ? 'a later step of the job failed' : undefined;
}

/** Why the job stopped before the deploy, in words. */
function earlyProblem(job: JobView): string | undefined {
  if (job.preflight?.passed === false) {
    const hosts = [...new Set(job.preflight.failures.map((f) => f.host))];
    const checks = [...new Set(job.preflight.failures.map((f) => f.check))];
    return hosts.length > 0 ? `preflight failed on ${names(hosts)} (${names(checks)})` : 'preflight failed';
  }
  if (job.database?.failed)
    return `db-bootstrap failed${job.database.reason ? `: ${job.database.reason}` : ''}`;
  if (!job.ref.sha) return 'the ref was not resolved';
  return undefined;
}

export function decideOutcome(job: JobView, options: { jobStatus?: string; override?: Outcome }): Verdict {
  const jobFailed = options.jobStatus !== undefined && options.jobStatus !== 'success';
  const env = job.ref.environment ?? 'the environment';
  const sha = shortSha(job.ref.sha) ?? 'the new version';
  const hosts = job.deploy?.hosts.length ?? 0;
  const rollback = job.rollback;

  let outcome: Outcome;
  let sentence: string;
  if (rollback) {
    const why = deployProblem(job, false) ?? rollback.reason ?? 'the deploy failed';
    const to = rollback.rolledBackTo ? `\`${rollback.rolledBackTo}\`` : 'its previous version';
    if (rollback.succeeded) {
      outcome = 'rolled-back';
      sentence = `The deploy of \`${sha}\` was rolled back because ${why}. ${env} is back on ${to} on ${hostCount(rollback.hosts.length)}.`;
    } else {
      outcome = 'rollback-failed';
      sentence = `The deploy of \`${sha}\` failed because ${why}, and the rollback to ${to} ended ${rollback.status ?? 'without a status'}. ${env} needs a person now.`;
    }
  } else if (job.deploy) {
    const problem = deployProblem(job, jobFailed);
    if (problem) {
      outcome = 'failed';
      sentence = `The deploy of \`${sha}\` to ${env} failed: ${problem}. It was not rolled back.`;
    } else {
      outcome = 'deployed';
      const gates = [job.smoke && 'smoke check', job.deepGate && 'deep health gate'].filter(Boolean);
      sentence = `\`${sha}\` is live on ${hostCount(hosts)}${gates.length > 0 ? `; ${gates.join(' and ')} passed` : ''}.`;
    }
  } else {
    const problem = earlyProblem(job) ?? (jobFailed ? 'a step failed before the deploy' : undefined);
    if (job.database?.changed) {
      outcome = 'failed';
      sentence = `The database was changed (${job.database.versionBefore ?? '?'} → ${job.database.versionAfter ?? '?'}) but no code was deployed${problem ? `: ${problem}` : ''}.`;
    } else if (problem) {
      outcome = 'failed-before-change';
      sentence = `Nothing was changed: ${problem}. No host and no database was touched.`;
    } else {
      outcome = 'not-deployed';
      sentence = 'No deploy ran in this job.';
    }
  }
  if (options.override) outcome = options.override;
  return { outcome, sentence, short: shortText(`${capitalize(OUTCOME_TEXT[outcome].words)}: ${sentence}`) };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** GitHub refuses a status description over 140 characters; cut on a word with an ellipsis. */
export function shortText(text: string, max = 140): string {
  const plain = text.replace(/`/g, '').replace(/\s+/g, ' ').trim();
  const chars = [...plain];
  if (chars.length <= max) return plain;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
