import { OUTCOMES, type Outcome } from '@gatehouse/records';
import { afterRollback, beforeRollback, failedHosts, type JobView, shortSha, versionText } from './views';

export { OUTCOMES, type Outcome };

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
  /**
   * The job ran a rollback and no deploy (a rollback dispatched by hand): the version it went
   * back to is what the environment now runs, and what its Deployment records.
   */
  byHand: boolean;
}

function hostCount(n: number): string {
  return n === 1 ? '1 host' : `${n} hosts`;
}

function names(items: string[], max = 3): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** What the first failed attempt of a gate said, in words. */
function gateProblem(job: JobView, when: 'before' | 'after'): string | undefined {
  const pick = when === 'before' ? beforeRollback : afterRollback;
  const smoke = pick(job.smoke).find((a) => !a.ok)?.record;
  if (smoke) {
    const failing = smoke.checks.filter((c) => c.verdict === 'fail').map((c) => c.name);
    const why = failing.length > 0 ? failing : smoke.problems;
    return `${when === 'after' ? 'the smoke check after the rollback' : 'its smoke check'} failed${why.length > 0 ? ` (${names(why)})` : ''}`;
  }
  const deep = pick(job.deep).find((a) => !a.ok)?.record;
  if (deep) {
    const who = when === 'after' ? 'the deep health gate after the rollback' : 'its deep health gate';
    return `${who} said ${deep.verdict}${deep.reasons.length > 0 ? `: ${deep.reasons.join('; ')}` : ''}`;
  }
  return undefined;
}

/** Why the deploy itself is judged failed, in words; undefined when nothing says it failed. */
function deployProblem(job: JobView, jobFailed: boolean): string | undefined {
  const deploy = job.deploy;
  if (deploy?.status === 'failed') {
    const hosts = failedHosts(deploy.results);
    return hosts.length > 0 ? `the deploy failed on ${names(hosts)}` : 'the deploy failed';
  }
  return gateProblem(job, 'before') ?? (jobFailed ? 'a later step of the job failed' : undefined);
}

/** "; its smoke check and deep health gate passed after the rollback", for the gates that ran then. */
function passedAfterRollback(job: JobView): string {
  const checked = [
    afterRollback(job.smoke).length > 0 && 'smoke check',
    afterRollback(job.deep).length > 0 && 'deep health gate',
  ].filter(Boolean);
  return checked.length > 0 ? `; its ${checked.join(' and ')} passed after the rollback` : '';
}

/** Why the job stopped before the deploy, in words. */
function earlyProblem(job: JobView): string | undefined {
  if (job.preflight?.passed === false) {
    const failures = job.preflight.hosts.flatMap((h) =>
      h.checks.filter((c) => c.verdict === 'fail').map((c) => ({ host: h.host, check: c.check })),
    );
    const hosts = [...new Set(failures.map((f) => f.host))];
    const checks = [...new Set(failures.map((f) => f.check))];
    return hosts.length > 0 ? `preflight failed on ${names(hosts)} (${names(checks)})` : 'preflight failed';
  }
  if (job.database?.status === 'failed')
    return `db-bootstrap failed${job.database.reason ? `: ${job.database.reason}` : ''}`;
  if (!job.ref.sha) return 'the ref was not resolved';
  return undefined;
}

function rolledBack(job: JobView, sha: string, env: string): { outcome: Outcome; sentence: string } {
  const rollback = job.rollback!;
  const why = deployProblem(job, false) ?? rollback.reason ?? 'the deploy failed';
  const to = versionText(rollback.rolledBackTo);
  const toText = to ? `\`${to}\`` : 'its previous version';
  if (rollback.nothing !== null) {
    return {
      outcome: 'failed',
      sentence: `The deploy of \`${sha}\` to ${env} failed because ${why}. Nothing was rolled back: ${rollback.nothing}.`,
    };
  }
  if (rollback.dryRun) {
    return {
      outcome: 'failed',
      sentence: `The deploy of \`${sha}\` to ${env} failed because ${why}. The rollback was a dry run: nothing was changed.`,
    };
  }
  if (rollback.status === 'failed') {
    return {
      outcome: 'rollback-failed',
      sentence: `The deploy of \`${sha}\` failed because ${why}, and the rollback to ${toText} failed. ${env} needs a person now.`,
    };
  }
  const hosts = hostCount(rollback.results.length);
  const after = gateProblem(job, 'after');
  if (after) {
    return {
      outcome: 'rollback-failed',
      sentence: `The deploy of \`${sha}\` was rolled back to ${toText} on ${hosts} because ${why}, but ${after}. ${env} needs a person now.`,
    };
  }
  return {
    outcome: 'rolled-back',
    sentence:
      `The deploy of \`${sha}\` was rolled back because ${why}. ${env} is back on ${toText} on ${hosts}` +
      `${passedAfterRollback(job)}.`,
  };
}

/**
 * A job that rolled back without deploying (the rollback workflow, dispatched by a person): no
 * "deploy of" anything failed here; the environment was put on a version, and either holds it or
 * needs a person.
 */
function rollbackByHand(job: JobView, env: string): { outcome: Outcome; sentence: string } {
  const rollback = job.rollback!;
  const why = rollback.reason ? ` (${rollback.reason})` : '';
  const to = versionText(rollback.rolledBackTo);
  const toText = to ? `\`${to}\`` : 'its previous version';
  if (rollback.nothing !== null) {
    return {
      outcome: 'not-deployed',
      sentence: `Nothing was rolled back in ${env}${why}: ${rollback.nothing}.`,
    };
  }
  if (rollback.dryRun) {
    return {
      outcome: 'not-deployed',
      sentence: `A dry run of a rollback of ${env}${why}: nothing was changed; ${hostCount(rollback.plan.length)} would go to ${toText}.`,
    };
  }
  if (rollback.status === 'failed') {
    return {
      outcome: 'rollback-failed',
      sentence: `The rollback of ${env} to ${toText}${why} failed. ${env} needs a person now.`,
    };
  }
  const hosts = hostCount(rollback.results.length);
  const after = gateProblem(job, 'after');
  if (after) {
    return {
      outcome: 'rollback-failed',
      sentence: `${capitalize(env)} was rolled back to ${toText} on ${hosts}${why}, but ${after}. ${env} needs a person now.`,
    };
  }
  return {
    outcome: 'rolled-back',
    sentence:
      `${capitalize(env)} was rolled back to ${toText} on ${hosts}${why}` +
      `${rollback.undoes ? `, undoing run ${rollback.undoes}` : ''}` +
      `${passedAfterRollback(job)}.`,
  };
}

export function decideOutcome(job: JobView, options: { jobStatus?: string; override?: Outcome }): Verdict {
  const jobFailed = options.jobStatus !== undefined && options.jobStatus !== 'success';
  const env = job.ref.environment ?? 'the environment';
  const sha = shortSha(job.ref.sha) ?? 'the new version';

  let outcome: Outcome;
  let sentence: string;
  // A rollback is by hand when the job neither resolved a commit to deploy nor deployed one: a
  // deploy job always resolves first, even when its deploy is a platform command with no record.
  const byHand = job.rollback !== undefined && job.deploy === undefined && job.ref.source === undefined;
  if (byHand) {
    ({ outcome, sentence } = rollbackByHand(job, env));
  } else if (job.rollback) {
    ({ outcome, sentence } = rolledBack(job, sha, env));
  } else if (job.deploy?.dryRun) {
    outcome = 'not-deployed';
    sentence = `A dry run: nothing was changed. ${hostCount(job.deploy.hosts.length)} would go to \`${versionText(job.deploy.version) ?? sha}\`.`;
  } else if (job.deploy) {
    const problem = deployProblem(job, jobFailed);
    if (problem) {
      outcome = 'failed';
      sentence = `The deploy of \`${sha}\` to ${env} failed: ${problem}. It was not rolled back.`;
    } else {
      outcome = 'deployed';
      const gates = [job.smoke.length > 0 && 'smoke check', job.deep.length > 0 && 'deep health gate'].filter(
        Boolean,
      );
      sentence = `\`${sha}\` is live on ${hostCount(job.deploy.hosts.length)}${gates.length > 0 ? `; ${gates.join(' and ')} passed` : ''}.`;
    }
  } else {
    const problem = earlyProblem(job) ?? (jobFailed ? 'a step failed before the deploy' : undefined);
    const db = job.database;
    if (db && db.versionBefore !== db.versionAfter) {
      outcome = 'failed';
      sentence = `The database was changed (${db.versionBefore ?? 'no version'} → ${db.versionAfter ?? 'no version'}) but no code was deployed${problem ? `: ${problem}` : ''}.`;
    } else if (problem) {
      outcome = 'failed-before-change';
      sentence = `Nothing was changed: ${problem}. No host and no database was touched.`;
    } else {
      outcome = 'not-deployed';
      sentence = 'No deploy ran in this job.';
    }
  }
  if (options.override) outcome = options.override;
  return {
    outcome,
    sentence,
    short: shortText(`${capitalize(OUTCOME_TEXT[outcome].words)}: ${sentence}`),
    byHand,
  };
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
