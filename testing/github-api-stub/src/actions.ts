import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import type { StubRepository } from './repository';

/**
 * Workflow runs and their artifacts (docs: REST "Workflow runs", "Artifacts"). Seeded by a test
 * (or by a workflow runner mirroring its artifact store), so a client can check where an artifact
 * came from: which workflow file, which branch and commit, which repository (a fork's run has
 * another head repository).
 */
export interface WorkflowRunSeed {
  id?: number;
  /** The workflow's `name:` */
  name: string;
  /** `.github/workflows/deploy.yml` */
  path: string;
  head_branch: string | null;
  head_sha: string;
  event: string;
  status?: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion?:
    | 'success'
    | 'failure'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | 'neutral'
    | null;
  run_number?: number;
  run_attempt?: number;
  /** A fork's run: the repository the head commit lives in. Default: this repository. */
  head_repository?: { full_name: string; id: number };
  /** Who triggered it. Default: the stub's actor. */
  actor?: { login: string; id: number };
  display_title?: string;
}

export interface StoredRun extends Required<Omit<WorkflowRunSeed, 'head_repository' | 'actor'>> {
  id: number;
  workflow_id: number;
  head_repository: { full_name: string; id: number };
  actor: { login: string; id: number };
  created_at: string;
  updated_at: string;
}

export interface ArtifactSeed {
  id?: number;
  name: string;
  /** The workflow run that uploaded it (must be a seeded run). */
  run_id: number;
  /** Path inside the artifact → contents; served zipped, as GitHub serves artifacts. */
  files: Record<string, string | Uint8Array>;
  expired?: boolean;
  retention_days?: number;
}

export interface StoredArtifact {
  id: number;
  name: string;
  run_id: number;
  zip: Uint8Array;
  expired: boolean;
  created_at: string;
  expires_at: string;
  /** The secret part of the download URL the 302 points at. */
  downloadKey: string;
}

export class ActionsStore {
  readonly runs: StoredRun[] = [];
  readonly artifacts: StoredArtifact[] = [];
  private nextRunId = 9_000_000_001;
  private nextArtifactId = 5_000_001;

  constructor(private readonly repo: StubRepository) {}

  addRun(seed: WorkflowRunSeed): StoredRun {
    const { at } = this.repo.nextTime();
    const id = seed.id ?? this.nextRunId++;
    if (this.runs.some((run) => run.id === id))
      throw new Error(`github-api-stub: workflow run ${id} exists already`);
    const run: StoredRun = {
      id,
      name: seed.name,
      path: seed.path,
      head_branch: seed.head_branch,
      head_sha: seed.head_sha.toLowerCase(),
      event: seed.event,
      status: seed.status ?? 'completed',
      conclusion:
        seed.conclusion === undefined
          ? seed.status && seed.status !== 'completed'
            ? null
            : 'success'
          : seed.conclusion,
      run_number: seed.run_number ?? this.runs.length + 1,
      run_attempt: seed.run_attempt ?? 1,
      display_title: seed.display_title ?? seed.name,
      workflow_id: workflowId(seed.path),
      head_repository: seed.head_repository ?? { full_name: this.repo.fullName, id: this.repo.id },
      actor: seed.actor ?? { login: this.repo.actor.login, id: this.repo.actor.id },
      created_at: at,
      updated_at: at,
    };
    this.repo.addCommit(run.head_sha);
    this.runs.push(run);
    return run;
  }

  updateRun(id: number, patch: Partial<Pick<StoredRun, 'status' | 'conclusion'>>): StoredRun {
    const run = this.run(id);
    if (!run) throw new Error(`github-api-stub: no workflow run ${id}`);
    Object.assign(run, patch, { updated_at: this.repo.nextTime().at });
    return run;
  }

  run(id: number | string): StoredRun | undefined {
    return this.runs.find((run) => String(run.id) === String(id));
  }

  addArtifact(seed: ArtifactSeed): StoredArtifact {
    if (!this.run(seed.run_id))
      throw new Error(`github-api-stub: artifact '${seed.name}' names unknown run ${seed.run_id}`);
    const { id: tick, at } = this.repo.nextTime();
    const zip = zipSync(
      Object.fromEntries(
        Object.entries(seed.files).map(([path, content]) => [
          path,
          typeof content === 'string' ? strToU8(content) : content,
        ]),
      ),
      // Fixed times, so the same files always make the same archive (and digest).
      { mtime: new Date(Date.UTC(2024, 0, 1)) },
    );
    const artifact: StoredArtifact = {
      id: seed.id ?? this.nextArtifactId++,
      name: seed.name,
      run_id: seed.run_id,
      zip,
      expired: seed.expired ?? false,
      created_at: at,
      expires_at: this.repo.timeAt(tick + (seed.retention_days ?? 90) * 86_400),
      downloadKey: createHash('sha256').update(`${seed.name}:${tick}`).digest('hex').slice(0, 32),
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  artifact(id: number | string): StoredArtifact | undefined {
    return this.artifacts.find((artifact) => String(artifact.id) === String(id));
  }
}

/** A stable id per workflow file, as GitHub has one id per workflow. */
function workflowId(path: string): number {
  return (
    100_000 + (Number.parseInt(createHash('sha256').update(path).digest('hex').slice(0, 8), 16) % 900_000)
  );
}

export function digest(zip: Uint8Array): string {
  return `sha256:${createHash('sha256').update(zip).digest('hex')}`;
}
