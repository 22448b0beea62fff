import type { ContextValue } from '@gatehouse/runner-harness';
import type { ArtifactStore } from './artifact-store';
import type { WorkflowEvent } from './events';
import type { RunIdentity } from './github-context';
import type { LoadedWorkflow } from './load-workflow';
import type { DefaultPermissions, Permissions } from './permissions';
import type { JobRun, RunLogLine } from './result';
import type { StandIn } from './stand-ins/types';

/** Everything a run shares between its jobs (built once from the caller's options). */
export interface RunSettings {
  repoRoot: string;
  workDir: string;
  /** The machine environment steps inherit. */
  machineEnv: Readonly<Record<string, string>>;
  /** False when the caller set HOME: each job then gets a HOME of its own, as a fresh runner would. */
  homeGiven: boolean;
  secrets: Readonly<Record<string, string>>;
  environmentSecrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  vars: Readonly<Record<string, string>>;
  environmentVars: Readonly<Record<string, Readonly<Record<string, string>>>>;
  standIns: Readonly<Record<string, StandIn>>;
  artifacts: ArtifactStore;
  gitRepository?: string;
  defaultPermissions: DefaultPermissions;
  debug: boolean;
  idTokenRequestUrl: string;
  identity: RunIdentity;
  event: WorkflowEvent;
  /** The run was cancelled (the caller's signal). */
  cancel: AbortSignal;
  emit(line: RunLogLine): void;
  /** Finished jobs, in order. */
  jobs: JobRun[];
}

/** The workflow a job belongs to, and what its run gave it. */
export interface WorkflowScope {
  workflow: LoadedWorkflow;
  inputs: Readonly<Record<string, ContextValue>>;
  /** Repository secrets at the top level; what the caller passed (or inherited) in a called workflow. */
  secrets: Readonly<Record<string, string>>;
  /** A called workflow's jobs get at most what the caller job was granted. */
  ceiling?: Permissions;
  /** `''`, or `<caller key>/` for the jobs of a called workflow. */
  keyPrefix: string;
  calledBy?: string;
}

/** A finished job as its dependants see it (`needs.<id>`). */
export interface NeededJob {
  result: 'success' | 'failure' | 'cancelled' | 'skipped';
  outputs: Readonly<Record<string, string>>;
}
