/**
 * Artifacts as `actions/upload-artifact` and `actions/download-artifact` (v4+) keep them on GitHub:
 * per run, by name, with a retention period. One store can be shared by several runs (a later run
 * downloads an earlier run's artifact with `run-id` and `github-token`), and read by stand-ins of
 * the GitHub API. The files are kept as uploaded, not zipped, in a folder per run: `dir/<run id>/<name>/`.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface StoredArtifact {
  id: number;
  name: string;
  runId: number;
  /** `owner/name` of the run's repository. */
  repository: string;
  /** Paths relative to the artifact root, `/`-separated, sorted. */
  files: string[];
  sizeInBytes: number;
  /** sha256 over the files' paths and contents (GitHub hashes the zip; there is none here). */
  digest: string;
  retentionDays: number;
  createdAt: Date;
  expiresAt: Date;
  /** Set by `expire` (or when `expiresAt` has passed): downloads no longer find it. */
  expired: boolean;
}

export interface UploadRequest {
  runId: number;
  repository: string;
  name: string;
  /** The directory the file paths are relative to. */
  root: string;
  files: readonly string[];
  retentionDays: number;
}

export class ArtifactStore {
  private readonly artifacts: StoredArtifact[] = [];
  private nextId = 1;

  private constructor(readonly dir: string) {}

  /** A store in `dir`, or in a new temporary directory. */
  static async create(dir?: string): Promise<ArtifactStore> {
    const root = dir ?? (await mkdtemp(join(tmpdir(), 'gatehouse-artifacts-')));
    await mkdir(root, { recursive: true });
    return new ArtifactStore(root);
  }

  /** Artifacts, oldest first, optionally of one run and/or one name; expired ones included. */
  list(filter: { runId?: number; name?: string; repository?: string } = {}): StoredArtifact[] {
    return this.artifacts.filter(
      (a) =>
        (filter.runId === undefined || a.runId === filter.runId) &&
        (filter.name === undefined || a.name === filter.name) &&
        (filter.repository === undefined || a.repository === filter.repository),
    );
  }

  /** The live (unexpired) artifact of that name in that run. */
  find(runId: number, name: string, repository?: string): StoredArtifact | undefined {
    return this.list({ runId, name, repository }).find((a) => !this.isExpired(a));
  }

  isExpired(artifact: StoredArtifact): boolean {
    return artifact.expired || artifact.expiresAt.getTime() <= Date.now();
  }

  /** Where an artifact's files are. */
  pathOf(artifact: Pick<StoredArtifact, 'runId' | 'name'>): string {
    return join(this.dir, String(artifact.runId), artifact.name);
  }

  async upload(request: UploadRequest): Promise<StoredArtifact> {
    const id = this.nextId++;
    const target = this.pathOf(request);
    await rm(target, { recursive: true, force: true });
    const hash = createHash('sha256');
    let size = 0;
    const files = [...request.files].sort();
    for (const file of files) {
      const from = join(request.root, file);
      await mkdir(dirname(join(target, file)), { recursive: true });
      await cp(from, join(target, file));
      size += (await stat(from)).size;
      hash.update(`${file}\0`).update(await readFile(from));
    }
    const createdAt = new Date();
    const artifact: StoredArtifact = {
      id,
      name: request.name,
      runId: request.runId,
      repository: request.repository,
      files,
      sizeInBytes: size,
      digest: hash.digest('hex'),
      retentionDays: request.retentionDays,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + request.retentionDays * 86_400_000),
      expired: false,
    };
    this.artifacts.push(artifact);
    return artifact;
  }

  /** Removes an artifact (upload-artifact's `overwrite: true` deletes the old one first). */
  async delete(artifact: StoredArtifact): Promise<void> {
    const index = this.artifacts.indexOf(artifact);
    if (index >= 0) this.artifacts.splice(index, 1);
    await rm(this.pathOf(artifact), { recursive: true, force: true });
  }

  /** Marks an artifact expired, as its retention period ending would. */
  expire(artifact: StoredArtifact): void {
    artifact.expired = true;
  }

  /** Copies an artifact's files into `destination`. */
  async download(artifact: StoredArtifact, destination: string): Promise<void> {
    await mkdir(destination, { recursive: true });
    for (const file of artifact.files) {
      await mkdir(dirname(join(destination, file)), { recursive: true });
      await cp(join(this.pathOf(artifact), file), join(destination, file));
    }
  }
}
