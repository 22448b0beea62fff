import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@gatehouse/action-kit/errors';
import { runContext } from '@gatehouse/action-kit/run-context';
import { shortSha } from '@gatehouse/action-kit/short-sha';
import type { GithubClient } from './index';
import { globMatches } from './ref-glob';
import { tagCommit } from './refs';

/**
 * Which workflow runs may vouch for something: a deploy history to carry on, or a deployment to
 * promote. Anyone who can push a branch can run any workflow file on it (their own copy of it), and
 * a pull request can run workflows that upload artifacts or, given `deployments: write`, create
 * deployments. What they cannot change is what GitHub records about a run: its workflow file, the
 * branch or tag it ran on, its event, its repository and its conclusion. So trust is decided on
 * those, read through the Actions API, and never on what an artifact or a deployment says of itself.
 */
export interface TrustRules {
  /** Workflow files, as `.github/workflows/deploy-prod.yml`. */
  workflows: string[];
  /** Globs over full refs (`refs/heads/main`, `refs/tags/v*`) a trusted run may have run on. */
  refs: string[];
}

/** The two inputs every action that checks runs takes, under the same names. */
export const TRUSTED_WORKFLOWS_INPUT = 'trusted-workflows';
export const TRUSTED_REFS_INPUT = 'trusted-refs';

const WORKFLOW_FILE = /^(?:\.github\/workflows\/)?([\w.-]+\.ya?ml)$/;
const MAX_REF_LENGTH = 255;
const MAX_ITEMS = 100;

/** Input `trusted-workflows`: file paths or bare file names, checked once at input time. */
export function readTrustedWorkflows(values: readonly string[]): string[] {
  if (values.length > MAX_ITEMS) {
    throw new ConfigurationError(
      `Input '${TRUSTED_WORKFLOWS_INPUT}' lists ${values.length} files; at most ${MAX_ITEMS}.`,
    );
  }
  return values.map((value) => {
    const file = WORKFLOW_FILE.exec(value)?.[1];
    if (!file) {
      throw new ConfigurationError(
        `Input '${TRUSTED_WORKFLOWS_INPUT}' takes workflow files of this repository, such as ` +
          `.github/workflows/deploy-stage.yml or deploy-stage.yml; got ${JSON.stringify(value.slice(0, 120))}.`,
      );
    }
    return `.github/workflows/${file}`;
  });
}

/** Input `trusted-refs`: globs over refs/heads/… and refs/tags/…, the only refs a run can be on. */
export function readTrustedRefs(values: readonly string[]): string[] {
  if (values.length > MAX_ITEMS) {
    throw new ConfigurationError(
      `Input '${TRUSTED_REFS_INPUT}' lists ${values.length} patterns; at most ${MAX_ITEMS}.`,
    );
  }
  for (const value of values) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we refuse.
    const bad = value.length > MAX_REF_LENGTH || /[\s\x00-\x1f\x7f]/.test(value);
    if (bad || !/^refs\/(heads|tags)\/./.test(value)) {
      throw new ConfigurationError(
        `Input '${TRUSTED_REFS_INPUT}' takes full refs or globs of at most ${MAX_REF_LENGTH} characters, ` +
          `such as refs/heads/main or refs/tags/v*; got ${JSON.stringify(value.slice(0, 120))}.`,
      );
    }
  }
  return [...values];
}

/** What the run itself says about where it comes from, for the defaults. */
export interface RunOrigin {
  /** GITHUB_WORKFLOW_REF: `owner/repo/.github/workflows/deploy-dev.yml@refs/heads/main`. */
  workflowRef?: string;
  /** The event payload's repository.default_branch. */
  defaultBranch?: string;
}

export function runOrigin(env: NodeJS.ProcessEnv): RunOrigin {
  const { eventPath, workflowRef } = runContext(env);
  let defaultBranch: string | undefined;
  try {
    const payload = eventPath ? JSON.parse(readFileSync(eventPath, 'utf8')) : {};
    const branch = payload?.repository?.default_branch;
    if (typeof branch === 'string' && branch !== '') defaultBranch = branch;
  } catch {
    // No readable payload: the default branch stays unknown, and a rule that needs it says so.
  }
  return { workflowRef, defaultBranch };
}

/**
 * The rules with their defaults filled in: no workflows given means this run's own workflow file
 * (for a reusable workflow, the caller's file, as GITHUB_WORKFLOW_REF names it); no refs means the
 * repository's default branch. Called only when a rule is needed, so a step that checks no run
 * never fails for want of them.
 */
export function trustRules(
  given: { workflows: readonly string[]; refs: readonly string[] },
  origin: RunOrigin,
  why: string,
): TrustRules {
  let workflows = [...given.workflows];
  if (workflows.length === 0) {
    const own = origin.workflowRef ? workflowPath(origin.workflowRef) : undefined;
    if (!own) {
      throw new ConfigurationError(
        `Input '${TRUSTED_WORKFLOWS_INPUT}' is empty and GITHUB_WORKFLOW_REF does not name this run's workflow, ` +
          `so ${why} cannot tell which runs to trust. Name the deploy workflow files, e.g. .github/workflows/deploy-prod.yml.`,
      );
    }
    workflows = [own];
  }
  let refs = [...given.refs];
  if (refs.length === 0) {
    if (!origin.defaultBranch) {
      throw new ConfigurationError(
        `Input '${TRUSTED_REFS_INPUT}' is empty and the event does not name the repository's default branch, ` +
          `so ${why} cannot tell which refs to trust. Give them, e.g. refs/heads/main.`,
      );
    }
    refs = [`refs/heads/${origin.defaultBranch}`];
  }
  return { workflows, refs };
}

/**
 * A run's workflow file as a path in its repository. GitHub gives `.github/workflows/x.yml`, and
 * its description also shows `owner/repo/.github/workflows/x.yml@ref` (GITHUB_WORKFLOW_REF's form).
 */
export function workflowPath(text: string, repository?: string): string | undefined {
  const path = text.replace(/@.*$/, '');
  const at = path.indexOf('.github/workflows/');
  if (at < 0) return undefined;
  const owner = path.slice(0, at).replace(/\/$/, '');
  if (owner !== '' && repository !== undefined && owner.toLowerCase() !== repository.toLowerCase()) {
    return undefined;
  }
  return path.slice(at);
}

/** The fields of GitHub's workflow-run object that trust is decided on. */
export interface WorkflowRun {
  id: number;
  path: string;
  event: string;
  head_branch: string | null;
  head_sha: string;
  status: string | null;
  conclusion: string | null;
  html_url?: string;
  repository?: { full_name: string };
  head_repository?: { full_name: string } | null;
}

export type RunVerdict =
  | { trusted: true; run: WorkflowRun; ref: string }
  | { trusted: false; run?: WorkflowRun; why: string };

/** Memoised checks of runs, so a run named by many artifacts or deployments is read once. */
export class RunChecker {
  private readonly seen = new Map<string, Promise<RunVerdict>>();

  constructor(
    private readonly github: GithubClient,
    readonly rules: TrustRules,
  ) {}

  /** Whether run `id` may vouch; `requireSuccess` also asks that it finished with success. */
  check(id: number | string, options: { requireSuccess: boolean }): Promise<RunVerdict> {
    const key = `${id}:${options.requireSuccess}`;
    let verdict = this.seen.get(key);
    if (!verdict) {
      verdict = this.checkOnce(id, options.requireSuccess);
      this.seen.set(key, verdict);
    }
    return verdict;
  }

  /** A cheap look at what an artifact listing says of its run: false when the run cannot be trusted. */
  mayTrust(run: {
    head_branch?: string | null;
    repository_id?: number;
    head_repository_id?: number;
  }): boolean {
    if (run.head_repository_id !== undefined && run.head_repository_id !== run.repository_id) return false;
    const name = run.head_branch;
    if (!name) return false;
    return this.allowed(`refs/heads/${name}`) || this.allowed(`refs/tags/${name}`);
  }

  private allowed(ref: string): boolean {
    return this.rules.refs.some((glob) => globMatches(glob, ref));
  }

  private async checkOnce(id: number | string, requireSuccess: boolean): Promise<RunVerdict> {
    const github = this.github;
    const run = await github.get<WorkflowRun>('/repos/{owner}/{repo}/actions/runs/{run_id}', { run_id: id });
    if (!run) {
      return { trusted: false, why: `workflow run ${id} does not exist in ${github.repository}` };
    }
    const refuse = (why: string): RunVerdict => ({ trusted: false, run, why: `workflow run ${id} ${why}` });
    const head = run.head_repository?.full_name;
    if (run.repository && run.repository.full_name.toLowerCase() !== github.repository.toLowerCase()) {
      return refuse(`belongs to ${run.repository.full_name}, not ${github.repository}`);
    }
    if (!head || head.toLowerCase() !== github.repository.toLowerCase()) {
      return refuse(`ran code from another repository (${head ?? 'unknown'}), as a fork's pull request does`);
    }
    if (run.event.startsWith('pull_request')) {
      return refuse(`ran for a ${run.event} event: a pull request's workflow never vouches for a deploy`);
    }
    const path = workflowPath(run.path, github.repository);
    if (!path || !this.rules.workflows.includes(path)) {
      return refuse(
        `is of workflow ${run.path}, not a trusted deploy workflow (${TRUSTED_WORKFLOWS_INPUT}: ${this.rules.workflows.join(', ')})`,
      );
    }
    if (requireSuccess && run.status !== 'completed') {
      return refuse(`has not finished (status ${run.status})`);
    }
    if (requireSuccess && run.conclusion !== 'success') {
      return refuse(`did not succeed (conclusion ${run.conclusion})`);
    }
    const ref = await this.refOf(run);
    if ('why' in ref) return refuse(ref.why);
    return { trusted: true, run, ref: ref.ref };
  }

  /**
   * The full ref a run ran on. GitHub gives only a bare name (`head_branch`), which is the tag's
   * name for a run on a tag; a branch and a tag may share it. The run executed the workflow file
   * of its own commit, so the name is taken as the tag when a tag of that name points at that
   * commit, and as the branch otherwise; a run can then pass as neither a branch called v9 nor a
   * tag called main.
   */
  private async refOf(run: WorkflowRun): Promise<{ ref: string } | { why: string }> {
    const name = run.head_branch;
    const allowedRefs = `${TRUSTED_REFS_INPUT}: ${this.rules.refs.join(', ')}`;
    if (!name) return { why: `ran on no branch or tag (${allowedRefs})` };
    const branch = `refs/heads/${name}`;
    const tag = `refs/tags/${name}`;
    if (!this.allowed(branch) && !this.allowed(tag))
      return { why: `ran on ${name}, not a trusted ref (${allowedRefs})` };
    const tagged = await tagCommit(this.github, name);
    if (tagged !== undefined && tagged.toLowerCase() === run.head_sha.toLowerCase()) {
      return this.allowed(tag)
        ? { ref: tag }
        : {
            why: `ran on ${tag} (the tag points at its commit ${shortSha(run.head_sha)}), not a trusted ref (${allowedRefs})`,
          };
    }
    return this.allowed(branch)
      ? { ref: branch }
      : {
          why: `ran on the branch ${name} (no tag ${name} points at its commit ${shortSha(run.head_sha)}), not a trusted ref (${allowedRefs})`,
        };
  }
}
