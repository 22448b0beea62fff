import type { ContextValue } from '@gatehouse/runner-harness';
import type { ArtifactStore } from '../artifact-store';
import type { Permissions } from '../permissions';

/**
 * A local stand-in for a third-party action, registered by `owner/name` (the ref is recorded, not
 * resolved). It declares the real action's `action.yml` (inputs with their defaults, outputs), so
 * inputs reach it as they would reach the real one, and does locally what the real action does,
 * through the same effects an action has (`@actions/core`'s outputs, variables, masks, state).
 */
export interface StandIn {
  /** The real action's metadata, as YAML (`name`, `description`, `inputs`, `outputs`, `runs`). */
  manifest: string;
  main(step: StandInStep): Promise<void>;
  /** Runs at the end of the job when `main` ran, as the real action's `post` would. */
  post?(step: StandInStep): Promise<void>;
}

/** What a stand-in sees and does; throwing fails the step with the error's message, as `core.setFailed`. */
export interface StandInStep {
  /** `uses:` as written, and its ref. */
  uses: string;
  ref: string;
  /** Inputs as the action receives them: given ones and declared defaults. */
  inputs: Readonly<Record<string, string>>;
  /** `core.getInput`: trimmed; `required` throws `Input required and not supplied: <name>`. */
  input(name: string, options?: { required?: boolean }): string;
  /** `core.getBooleanInput`: YAML 1.2 core booleans only. */
  booleanInput(name: string): boolean;
  /** The environment the real action's process would get. */
  env: Readonly<Record<string, string>>;
  github: Readonly<Record<string, ContextValue>>;
  workspace: string;
  runnerTemp: string;
  job: { key: string; permissions: Permissions; token: string };
  run: { id: number; repository: string; serverUrl: string };
  artifacts: ArtifactStore;
  /** The local git repository standing for `github.repository`, if the caller gave one. */
  gitRepository?: string;
  /** State saved by `main` (in `post`). */
  state: Readonly<Record<string, string>>;
  cancel: AbortSignal;

  info(text: string): void;
  debug(text: string): void;
  warning(message: string): void;
  notice(message: string): void;
  setOutput(name: string, value: string): void;
  exportVariable(name: string, value: string): void;
  setSecret(value: string): void;
  addPath(dir: string): void;
  saveState(name: string, value: string): void;
  appendSummary(markdown: string): void;
}
