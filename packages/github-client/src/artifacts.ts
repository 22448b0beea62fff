import { ActionFailure } from '@gatehouse/action-kit/errors';
import { GithubApiError, type GithubClient } from './index';

/** The fields of GitHub's artifact object that Gatehouse reads. */
export interface Artifact {
  id: number;
  name: string;
  expired: boolean;
  created_at: string | null;
  /** What the listing says of the run that uploaded it; trust still asks the run itself. */
  workflow_run?: {
    id?: number;
    repository_id?: number;
    head_repository_id?: number;
    head_branch?: string;
    head_sha?: string;
  } | null;
}

export const ARTIFACTS_PER_PAGE = 100;

/**
 * Artifacts called `name`, newest first (GitHub's order), of the repository or of one run, a page
 * at a time so a caller can stop at the first one it trusts. A flood of same-named artifacts from
 * pull requests must not hide an older trusted one, so up to `maxPages` pages are read.
 */
export async function* artifactsNamed(
  github: GithubClient,
  name: string,
  options: { runId?: number; maxPages?: number } = {},
): AsyncGenerator<Artifact> {
  const route =
    options.runId === undefined
      ? '/repos/{owner}/{repo}/actions/artifacts'
      : '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts';
  for (let page = 1; page <= (options.maxPages ?? 10); page++) {
    const listed = await github.get<{ total_count: number; artifacts: Artifact[] }>(route, {
      name,
      per_page: ARTIFACTS_PER_PAGE,
      page,
      ...(options.runId === undefined ? {} : { run_id: options.runId }),
    });
    const artifacts = listed?.artifacts ?? [];
    // GitHub's `name` filter is an exact match; checked again, as everything else here is.
    for (const artifact of artifacts) if (artifact.name === name) yield artifact;
    if (artifacts.length < ARTIFACTS_PER_PAGE) return;
  }
}

/** The most an artifact may weigh before it is read into memory: histories are kilobytes. */
const MAX_ZIP_BYTES = 32 * 1024 * 1024;

/**
 * The text files of an artifact whose path `wanted` accepts, read from its zip (GitHub answers the
 * download with a redirect to a short-lived URL, which the client follows). Undefined when the
 * artifact is gone (404, or 410 once expired).
 */
export async function readArtifactFiles(
  github: GithubClient,
  artifactId: number,
  wanted: (path: string) => boolean,
): Promise<Map<string, string> | undefined> {
  let zip: ArrayBuffer | string | undefined;
  try {
    zip = await github.get<ArrayBuffer | string>(
      '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
      { artifact_id: artifactId, archive_format: 'zip' },
    );
  } catch (error) {
    // 410 Gone: expired between the listing and the download.
    if (error instanceof GithubApiError && error.status === 410) return undefined;
    throw error;
  }
  if (zip === undefined) return undefined;
  if (!(zip instanceof ArrayBuffer)) {
    throw new ActionFailure(`Artifact ${artifactId} did not download as a zip archive.`);
  }
  if (zip.byteLength > MAX_ZIP_BYTES) {
    throw new ActionFailure(
      `Artifact ${artifactId} is ${zip.byteLength} bytes; more than ${MAX_ZIP_BYTES} is not a deploy history.`,
    );
  }
  const { unzipSync, strFromU8 } = await import('fflate');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(zip), {
      filter: (file) => wanted(file.name) && file.originalSize <= MAX_ZIP_BYTES,
    });
  } catch (error) {
    throw new ActionFailure(`Artifact ${artifactId} is not a readable zip archive (${String(error)}).`);
  }
  return new Map(Object.entries(files).map(([path, bytes]) => [path, strFromU8(bytes)]));
}
