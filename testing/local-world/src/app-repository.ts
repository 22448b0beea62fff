/**
 * The deploying repository as git holds it: a real repository on this machine whose commits are
 * the releases. `actions/checkout` (the workflow runner's stand-in) and every host's app-dir clone
 * it; the GitHub API stub is told about each commit, branch and tag as it is pushed, so both views
 * of the repository agree.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '@gatehouse/action-kit/command';

/** A file's text, or `null` to delete it in the commit. */
export type FileChanges = Readonly<Record<string, string | null>>;

export interface Commit {
  sha: string;
  /** The commit it follows on main (none for the first). */
  parent?: string;
  message: string;
  /** The tag that names it, if any (e.g. `r2`). */
  tag?: string;
}

const AUTHOR = {
  GIT_AUTHOR_NAME: 'Sample App',
  GIT_AUTHOR_EMAIL: 'dev@sample-app.invalid',
  GIT_COMMITTER_NAME: 'Sample App',
  GIT_COMMITTER_EMAIL: 'dev@sample-app.invalid',
};

export class AppRepository {
  readonly commits: Commit[] = [];
  private readonly shown = new Map<string, string | undefined>();

  private constructor(
    /** The work tree (and `.git`): clone it with `git clone <dir>`. */
    readonly dir: string,
    readonly defaultBranch: string,
  ) {}

  static async create(dir: string, defaultBranch = 'main'): Promise<AppRepository> {
    await mkdir(dir, { recursive: true });
    const repository = new AppRepository(dir, defaultBranch);
    await repository.git('init', '-q', '-b', defaultBranch);
    return repository;
  }

  /** The newest commit on the default branch. */
  get head(): Commit | undefined {
    return this.commits.at(-1);
  }

  /** Commits `changes` on the default branch (tagged when `tag` is given) and returns the commit. */
  async commit(changes: FileChanges, message: string, tag?: string): Promise<Commit> {
    for (const [path, text] of Object.entries(changes)) {
      const file = join(this.dir, path);
      if (text === null) await rm(file, { force: true });
      else {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, text);
      }
    }
    await this.git('add', '-A');
    await this.git('commit', '-q', '--allow-empty', '-m', message);
    if (tag) await this.git('tag', tag);
    const sha = await this.git('rev-parse', 'HEAD');
    const parent = this.head?.sha;
    const commit: Commit = { sha, message, ...(parent ? { parent } : {}), ...(tag ? { tag } : {}) };
    this.commits.push(commit);
    return commit;
  }

  /** A file as it is in a commit, or undefined when the commit does not have it. */
  async show(sha: string, path: string): Promise<string | undefined> {
    const key = `${sha}:${path}`;
    if (!this.shown.has(key)) {
      const result = await runCommand('git', ['-C', this.dir, 'show', key]);
      this.shown.set(key, result.exitCode === 0 ? result.stdout : undefined);
    }
    return this.shown.get(key);
  }

  /** A clone in `dir` with this repository as `origin`, checked out at `sha` (detached) or the default branch. */
  async cloneInto(dir: string, sha?: string): Promise<void> {
    await mkdir(dirname(dir), { recursive: true });
    await runGit(dirname(dir), ['clone', '-q', this.dir, dir]);
    if (sha) await runGit(dir, ['checkout', '-q', '--detach', sha]);
  }

  git(...args: string[]): Promise<string> {
    return runGit(this.dir, args);
  }
}

export async function runGit(cwd: string, args: readonly string[]): Promise<string> {
  const result = await runCommand('git', args, { cwd, env: { ...process.env, ...AUTHOR } });
  if (result.exitCode !== 0) {
    throw new Error(
      `git ${args.join(' ')} failed in ${cwd}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout.trim();
}
