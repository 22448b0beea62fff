import * as core from '@actions/core';
import { ActionFailure, log } from '@gatehouse/action-kit';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import type { CommandRunner } from '@gatehouse/command-runner';
import { type DeployVersion, type HostState, readHostStates } from '@gatehouse/host-script';
import type { DeploySsmRecord } from '@gatehouse/records';
import { chooseForFleet, describeVersion, scopeFromStates } from './choose-version';
import type { GithubLookups } from './github';
import type { Settings } from './settings';
import { targetVersion } from './target-version';

/** What rollback will do: which hosts go to which version, and why those. */
export interface RollbackPlan {
  hosts: string[];
  version: DeployVersion;
  /** Why this version, for the log. */
  why: string;
  /** Whose changes are undone, for the log and record (a run id), when known. */
  undoes?: string;
  /** What each host runs now, when it was read. */
  states: HostState[];
  /** Why nothing is to be done, when `hosts` is empty. */
  nothing?: string;
}

/** The part of deploy-ssm's record rollback relies on (its run and the hosts it changed). */
export interface DeployRecord {
  runId: string;
  dryRun: boolean;
  changed: string[];
}

export function readDeployRecord(record: DeploySsmRecord | undefined): DeployRecord | undefined {
  if (!record) return undefined;
  return { runId: record.runId, dryRun: record.dryRun, changed: record.changedHosts.map((c) => c.host) };
}

interface PlanDeps {
  runner: CommandRunner;
  github: () => Promise<GithubLookups>;
  environment: string;
  rollingBackFrom?: string;
  record?: DeployRecord;
}

/**
 * Which hosts, to which version. The hosts are exactly those the rollout changed: from
 * deploy-ssm's record in this job, or else from the hosts' own deploy-state.json (the run that
 * wrote the newest entry, and the hosts where it did). Each goes back to what it ran before that
 * run; hosts that disagree are named and nothing changes. `to` names the version instead, for the
 * changed hosts when this job's record names them, else for every target.
 */
export async function planRollback(settings: Settings, deps: PlanDeps): Promise<RollbackPlan> {
  const { record, runner } = deps;
  if (record?.dryRun) {
    return { hosts: [], version: {}, why: '', states: [], nothing: 'the deploy in this job was a dry run' };
  }
  const candidates = record ? record.changed : await runner.resolveHosts();
  if (candidates.length === 0) {
    return { hosts: [], version: {}, why: '', states: [], nothing: 'the deploy in this job changed no host' };
  }
  const read = () => {
    log.info(`Reading deploy-state.json on ${candidates.length} host(s) (read only)`);
    return readHostStates(runner, candidates, {
      stateDir: settings.stateDir,
      maxConcurrency: settings.maxConcurrency,
      deliveryTimeoutMs: settings.deliveryTimeoutMs,
      comment: 'gatehouse rollback: read deploy-state.json (read only)',
    });
  };
  if (settings.to !== undefined) {
    // A rollback dispatched by hand has no resolve-ref record of the commit being rolled back:
    // the hosts say what they run, or `last-successful` would name the version running now.
    const byHand = settings.to === 'last-successful' && deps.rollingBackFrom === undefined;
    const states = settings.dryRun || byHand ? await read() : [];
    const rollingBackFrom = byHand ? runningNow(states) : deps.rollingBackFrom;
    const target = await targetVersion(settings, { ...deps, rollingBackFrom });
    return { hosts: candidates, version: target.version, why: target.why, states };
  }

  const states = await read();
  const unreadable = states.filter((s) => s.error !== undefined);
  if (unreadable.length > 0) {
    throw new ActionFailure(
      `Could not read deploy-state.json on ${unreadable.map((s) => `${s.host} (${s.error})`).join(', ')}; nothing was changed.`,
    );
  }
  const scope = record
    ? {
        kind: 'run' as const,
        runId: record.runId,
        hosts: candidates,
        why: 'deploy-ssm in this job changed them',
      }
    : scopeFromStates(states.map(({ host, state }) => ({ host, state })));
  if (scope.kind === 'refused') throw new ActionFailure(`Rollback refused: ${scope.message}.`);
  log.info(`Undoing run ${scope.runId} on ${scope.hosts.length} host(s): ${scope.why}`);
  const inScope = states.filter((s) => scope.hosts.includes(s.host));
  const choice = chooseForFleet(
    inScope.map(({ host, state }) => ({ host, state })),
    scope.runId,
    settings.mode,
  );
  if (choice.kind === 'refused') throw new ActionFailure(`Rollback refused: ${choice.message}.`);
  if (choice.done.length > 0) {
    log.info(`Already rolled back by run ${scope.runId}, left as they are: ${choice.done.join(', ')}`);
  }
  if (choice.hosts.length === 0) {
    return {
      hosts: [],
      version: {},
      why: '',
      states,
      undoes: scope.runId,
      nothing: 'every host is already rolled back',
    };
  }
  if (settings.mode === 'git' && !choice.version.sha) {
    throw new ActionFailure(
      `The recorded version ${describeVersion(choice.version)} has no commit SHA, so it cannot be restored in git mode; nothing was changed.`,
    );
  }
  if (settings.mode === 'image' && !choice.version.imageTag) {
    throw new ActionFailure(
      `The recorded version ${describeVersion(choice.version)} has no image tag, so it cannot be restored in image mode; nothing was changed.`,
    );
  }
  return {
    hosts: choice.hosts,
    version: choice.version,
    why: `each changed host's recorded ${choice.why}`,
    undoes: scope.runId,
    states,
  };
}

/**
 * The commit every host runs now, which `last-successful` must skip. Hosts that run different
 * commits leave "the version being rolled back" undefined, so a person names the version.
 */
function runningNow(states: readonly HostState[]): string | undefined {
  const unreadable = states.filter((s) => s.error !== undefined);
  if (unreadable.length > 0) {
    throw new ActionFailure(
      `Could not read deploy-state.json on ${unreadable.map((s) => `${s.host} (${s.error})`).join(', ')}, so the version running now is not known; nothing was changed.`,
    );
  }
  const running = states.flatMap(({ host, state }) =>
    state?.current?.sha ? [{ host, sha: state.current.sha }] : [],
  );
  const shas = [...new Set(running.map((r) => r.sha))];
  if (shas.length > 1) {
    const list = running.map((r) => `${r.host} runs ${shortSha(r.sha)}`).join(', ');
    throw new ActionFailure(
      `Rollback refused: 'to: last-successful' skips the version being rolled back, but the hosts run different commits (${list}). Name the version to go to with input 'to'; nothing was changed.`,
    );
  }
  if (shas.length === 0) {
    core.warning(
      "No host records the commit it runs, so 'to: last-successful' cannot skip it: the newest successful deployment may be the version running now.",
    );
    return undefined;
  }
  log.info(
    `The hosts run ${shortSha(shas[0])}: 'last-successful' is the newest successful deployment before it.`,
  );
  return shas[0];
}
