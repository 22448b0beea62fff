import type { Account, GitIdentity, RepositoryRef } from './bodies';

/**
 * The repository a stub serves: commits, branches, tags and deployments held in memory, with the
 * answers GitHub gives for each (including its 404/422 distinctions), so clients meet real shapes.
 */

/** A tag: its commit, and for an annotated tag the SHA of the tag object the ref points at. */
export interface TagSpec {
  commit: string;
  annotated?: string;
}

/** A commit beyond its SHA: what `GET commits/{ref}` says about it. */
export interface CommitSeed {
  sha: string;
  message?: string;
  parents?: string[];
  author?: { name: string; email: string };
}

export interface DeploymentSeed {
  environment: string;
  sha: string;
  ref?: string;
  /** States in the order they were posted, e.g. `['in_progress', 'success']`. */
  statuses?: string[];
  payload?: unknown;
}

export interface StoredStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  environment_url: string;
  log_url: string;
  created_at: string;
}

export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  auto_merge: boolean;
  required_contexts: string[] | undefined;
  transient_environment: boolean;
  production_environment: boolean;
  created_at: string;
  statuses: StoredStatus[];
}

export const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success',
];

export class StubRepository implements RepositoryRef {
  readonly deployments: StoredDeployment[] = [];
  private readonly commitDetails = new Map<string, CommitSeed>();
  private sequence = 0;

  constructor(
    readonly fullName: string,
    readonly id: number,
    readonly owner: Account,
    /** Who the token belongs to: the creator of what the API creates. */
    readonly actor: Account,
    readonly branches: Record<string, string>,
    readonly tags: Record<string, TagSpec>,
    extraCommits: (string | CommitSeed)[],
  ) {
    for (const entry of extraCommits) this.addCommit(entry);
  }

  /** Deterministic, strictly increasing ids and times: ordering is what clients rely on, not the clock. */
  nextTime(): { id: number; at: string } {
    this.sequence += 1;
    return { id: this.sequence, at: this.timeAt(this.sequence) };
  }

  timeAt(tick: number): string {
    return new Date(Date.UTC(2024, 0, 1) + tick * 1000).toISOString().replace('.000Z', 'Z');
  }

  addCommit(entry: string | CommitSeed): void {
    const seed = typeof entry === 'string' ? { sha: entry } : entry;
    const sha = seed.sha.toLowerCase();
    this.commitDetails.set(sha, { ...this.commitDetails.get(sha), ...seed, sha });
  }

  commits(): string[] {
    return [
      ...new Set([
        ...this.commitDetails.keys(),
        ...Object.values(this.branches),
        ...Object.values(this.tags).map((tag) => tag.commit),
      ]),
    ];
  }

  commitInfo(sha: string): { message: string; parents: string[]; author: GitIdentity; tree: string } {
    const seed = this.commitDetails.get(sha);
    const who = seed?.author ?? { name: 'Gatehouse Test', email: 'test@gatehouse.invalid' };
    return {
      message: seed?.message ?? `commit ${sha.slice(0, 7)}`,
      parents: seed?.parents ?? [],
      author: { ...who, date: this.timeAt(0) },
      // Git's empty tree: the stub serves no trees.
      tree: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
    };
  }

  /** GitHub's `commits/{ref}`: a SHA (or unique prefix), a branch or a tag. */
  resolveCommit(ref: string): string | undefined {
    if (this.branches[ref]) return this.branches[ref];
    if (this.tags[ref]) return this.tags[ref].commit;
    if (/^[0-9a-f]{4,40}$/i.test(ref)) {
      const found = this.commits().filter((sha) => sha.startsWith(ref.toLowerCase()));
      return found.length === 1 ? found[0] : undefined;
    }
    return undefined;
  }

  tagObject(sha: string): { name: string; tag: TagSpec } | undefined {
    for (const [name, tag] of Object.entries(this.tags)) if (tag.annotated === sha) return { name, tag };
    return undefined;
  }

  addDeployment(fields: Omit<StoredDeployment, 'id' | 'created_at' | 'statuses'>): StoredDeployment {
    const { id, at } = this.nextTime();
    const deployment: StoredDeployment = { ...fields, id, created_at: at, statuses: [] };
    this.deployments.push(deployment);
    return deployment;
  }

  addStatus(
    deployment: StoredDeployment,
    fields: Omit<StoredStatus, 'id' | 'created_at'>,
    autoInactive: boolean,
  ): StoredStatus {
    const { id, at } = this.nextTime();
    const status: StoredStatus = { ...fields, id, created_at: at };
    deployment.statuses.push(status);
    if (fields.state === 'success' && autoInactive) {
      // GitHub marks earlier successful deployments of the environment inactive (auto_inactive).
      for (const other of this.deployments) {
        if (other === deployment || other.environment !== deployment.environment) continue;
        if (other.statuses.at(-1)?.state === 'success') {
          this.addStatus(other, { ...other.statuses.at(-1)!, state: 'inactive', description: '' }, false);
        }
      }
    }
    return status;
  }

  seed(seed: DeploymentSeed): void {
    const deployment = this.addDeployment({
      sha: seed.sha,
      ref: seed.ref ?? seed.sha,
      task: 'deploy',
      environment: seed.environment,
      description: null,
      payload: seed.payload ?? {},
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: false,
    });
    for (const state of seed.statuses ?? []) {
      this.addStatus(
        deployment,
        { state, description: '', environment: seed.environment, environment_url: '', log_url: '' },
        true,
      );
    }
  }
}
