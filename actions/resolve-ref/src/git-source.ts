import { getExecOutput } from '@actions/exec';
import { ActionFailure, ConfigurationError } from '@gatehouse/action-kit';
import { explainGitError } from '@gatehouse/action-kit/known-errors';
import type { RefSource } from './lookup';

/**
 * Refs looked up with git in a checkout: the fallback when there is no token. Local refs first
 * (a full checkout has them all), then `ls-remote origin` for what a shallow checkout lacks.
 */
export async function gitSource(workspace: string): Promise<RefSource | undefined> {
  // @actions/exec serves: these git queries take no input and need no timeout. Exit codes are answers.
  const git = (...args: string[]) =>
    getExecOutput('git', args, { cwd: workspace, silent: true, ignoreReturnCode: true });
  const inside = await git('rev-parse', '--is-inside-work-tree').catch(() => {
    throw new ConfigurationError(
      "Input 'token' is empty, so refs are resolved with git, but git is not installed on this runner. " +
        'Pass a token (the default is github.token), or install git.',
    );
  });
  if (inside.exitCode !== 0) {
    // "Not a repository" is the caller's to explain; any other refusal (dubious ownership) is said as git said it.
    const why = /not a git repository/.test(inside.stderr) ? undefined : explainGitError(inside.stderr);
    if (why) throw new ConfigurationError(`git cannot read ${workspace}: ${why}.`);
    return undefined;
  }
  if (inside.stdout.trim() !== 'true') return undefined;
  const hasOrigin = (await git('remote')).stdout.split('\n').includes('origin');

  const revParse = async (name: string): Promise<string | undefined> => {
    const result = await git('rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`);
    return result.exitCode === 0 ? result.stdout.trim() : undefined;
  };
  /** `ls-remote` answers a ref and, for annotated tags, its peeled `^{}` line; the peeled one wins. */
  const lsRemote = async (ref: string): Promise<string | undefined> => {
    if (!hasOrigin) return undefined;
    const result = await git('ls-remote', '--end-of-options', 'origin', ref, `${ref}^{}`);
    if (result.exitCode !== 0) {
      const why = explainGitError(result.stderr);
      throw new ActionFailure(
        `git ls-remote origin ${ref} failed${why ? `: ${why}` : ''}. git said: ${result.stderr.trim()}`,
      );
    }
    const lines = result.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    const peeled = lines.find(([, name]) => name === `${ref}^{}`);
    return (peeled ?? lines.find(([, name]) => name === ref))?.[0];
  };
  const first = async (...candidates: (() => Promise<string | undefined>)[]) => {
    for (const candidate of candidates) {
      const sha = await candidate();
      if (sha) return sha;
    }
    return undefined;
  };

  return {
    name: `the git checkout in ${workspace}`,
    commit: async (sha) => revParse(sha),
    branch: (name) =>
      first(
        () => revParse(`refs/remotes/origin/${name}`),
        () => revParse(`refs/heads/${name}`),
        () => lsRemote(`refs/heads/${name}`),
      ),
    tag: (name) =>
      first(
        () => revParse(`refs/tags/${name}`),
        () => lsRemote(`refs/tags/${name}`),
      ),
  };
}
