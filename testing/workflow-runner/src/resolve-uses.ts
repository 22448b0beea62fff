/**
 * What a step's `uses:` runs, decided when the job is set up (as the runner downloads every action
 * before the first step, an action that cannot be resolved fails the job before any step runs):
 * - `./<path>` and `<owner>/gatehouse/<path>@<ref>` (any owner) → the JavaScript action at
 *   `<repoRoot>/<path>`, through the runner harness (`./` is resolved at the repository root given
 *   to the runner, not in the workspace: the runner stands for a checkout of it);
 * - `<owner>/<name>[/<path>]@<ref>` → the stand-in registered under `owner/name[/path]`;
 * - anything else fails loudly.
 */
import { join } from 'node:path';
import { type LoadedAction, loadAction, parseActionManifest } from '@gatehouse/runner-harness';
import type { StandIn } from './stand-ins/types';

export type ResolvedUses =
  | {
      kind: 'action';
      action: LoadedAction;
      /** `./…`: the runner does not run `pre` for a local action (it warns instead). */
      local: boolean;
      /** `owner/repo`, `ref` and `path` for `github.action_*` (empty for a local action). */
      repository: string;
      ref: string;
      /** The runner's `Run …` group title. */
      title: string;
    }
  | {
      kind: 'stand-in';
      standIn: StandIn;
      manifest: LoadedAction;
      repository: string;
      ref: string;
      title: string;
    };

export class UnresolvedActionError extends Error {}

export async function resolveUses(
  uses: string,
  repoRoot: string,
  standIns: Readonly<Record<string, StandIn>>,
): Promise<ResolvedUses> {
  if (uses.startsWith('docker://')) {
    throw new UnresolvedActionError(`Container actions are not supported by this runner (uses: ${uses}).`);
  }
  if (uses.startsWith('./')) {
    const path = uses.slice(2).replace(/\/$/, '');
    return {
      kind: 'action',
      action: await loadAction(join(repoRoot, path)),
      local: true,
      repository: '',
      ref: '',
      title: uses,
    };
  }
  const match = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]+)?)@(\S+)$/.exec(uses);
  if (!match)
    throw new UnresolvedActionError(`Unable to resolve action \`${uses}\`: expected owner/repo[/path]@ref.`);
  const [, owner, repo, path = '', ref] = match as unknown as [string, string, string, string, string];
  const repository = `${owner}/${repo}`;
  if (repo === 'gatehouse') {
    const action = await loadAction(join(repoRoot, path));
    return { kind: 'action', action, local: false, repository, ref, title: uses };
  }
  const standIn = lookup(standIns, `${repository}${path}`);
  if (!standIn) {
    throw new UnresolvedActionError(
      `Unable to resolve action \`${uses}\`: no stand-in is registered for '${repository}${path}' (pass one in \`standIns\`).`,
    );
  }
  const manifest = parseActionManifest(standIn.manifest, `stand-in for ${repository}${path}`, repoRoot);
  return { kind: 'stand-in', standIn, manifest, repository, ref, title: uses };
}

function lookup(standIns: Readonly<Record<string, StandIn>>, name: string): StandIn | undefined {
  const key = Object.keys(standIns).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : standIns[key];
}
