/**
 * Stand-ins for `actions/upload-artifact` and `actions/download-artifact` (v4+), on the runner's
 * `ArtifactStore`. Modelled:
 * - upload: `path` lines are globs relative to the workspace (`!` excludes, a directory means the
 *   files under it, hidden files left out unless `include-hidden-files`); the files are stored
 *   relative to the least common ancestor of the patterns' search paths, as upload-artifact does;
 *   `if-no-files-found` (warn, error, ignore); `retention-days` (0: the repository's 90; more than
 *   90 warns and uses 90); a second artifact of the same name in a run fails (409) unless
 *   `overwrite`; outputs `artifact-id`, `artifact-url`, `artifact-digest`;
 * - download: by `name` into `path` (default the workspace), or every artifact of the run (optionally
 *   by `pattern`) each into `path/<name>` unless `merge-multiple`; from another run only with
 *   `github-token` (+ `run-id`, `repository`) — without a token `run-id` is ignored, as in v4 —
 *   and then the token needs `actions: read`; expired artifacts are not found; output `download-path`.
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { StoredArtifact } from '../artifact-store';
import type { StandIn, StandInStep } from './types';

const UPLOAD_MANIFEST = `
name: Upload a Build Artifact (stand-in)
description: Upload a build artifact that can be used by subsequent workflow steps
inputs:
  name: { description: 'Artifact name', default: 'artifact' }
  path: { description: 'Files to upload', required: true }
  if-no-files-found: { description: 'warn, error or ignore', default: 'warn' }
  retention-days: { description: 'Days before the artifact expires (0 = repository default)' }
  compression-level: { description: 'Zip compression level', default: '6' }
  overwrite: { description: 'Replace an artifact of the same name', default: 'false' }
  include-hidden-files: { description: 'Include hidden files', default: 'false' }
outputs:
  artifact-id: { description: 'Artifact id' }
  artifact-url: { description: 'Artifact URL' }
  artifact-digest: { description: 'SHA-256 digest' }
runs:
  using: node24
  main: dist/upload/index.js
`;

const DOWNLOAD_MANIFEST = `
name: Download a Build Artifact (stand-in)
description: Download a build artifact that was previously uploaded in the workflow
inputs:
  name: { description: 'Artifact name' }
  artifact-ids: { description: 'Artifact ids' }
  path: { description: 'Destination path' }
  pattern: { description: 'Artifact name glob' }
  merge-multiple: { description: 'Merge into one directory', default: 'false' }
  github-token: { description: 'Token for another run or repository' }
  repository: { description: 'Repository of the artifact', default: '\${{ github.repository }}' }
  run-id: { description: 'Run of the artifact', default: '\${{ github.run_id }}' }
outputs:
  download-path: { description: 'Where the artifacts were downloaded' }
runs:
  using: node24
  main: dist/download/index.js
`;

const MAX_RETENTION_DAYS = 90;
const BAD_NAME_CHARACTERS = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];

function hidden(path: string): boolean {
  return path.split(/[\\/]/).some((part) => part.startsWith('.') && part !== '.' && part !== '..');
}

async function walk(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return [];
  if (!info.isDirectory()) return [dir];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** The directory part of a pattern before its first glob segment (`@actions/glob`'s search path). */
function searchPath(pattern: string): string {
  const parts = pattern.split('/');
  const literal: string[] = [];
  for (const part of parts) {
    if (/[*?[\]{}]/.test(part)) break;
    literal.push(part);
  }
  return literal.join('/') || '/';
}

function commonAncestor(paths: readonly string[]): string {
  const split = paths.map((p) => p.split(sep));
  const first = split[0] ?? [];
  let length = 0;
  while (length < first.length && split.every((parts) => parts[length] === first[length])) length++;
  return first.slice(0, length).join(sep) || sep;
}

/** A pattern matches a file, or a directory the file is under (`implicitDescendants`). */
function matchesOrUnder(file: string, pattern: string): boolean {
  return minimatch(file, pattern, { dot: true }) || minimatch(file, `${pattern}/**`, { dot: true });
}

/** upload-artifact's `findFilesToUpload`: the files and the root they are stored relative to. */
async function findFiles(step: StandInStep, text: string, includeHidden: boolean) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const absolute = (p: string) => resolve(step.workspace, p);
  const includes = lines.filter((l) => !l.startsWith('!')).map(absolute);
  const excludes = lines.filter((l) => l.startsWith('!')).map((l) => absolute(l.slice(1)));
  const searchPaths = includes.map(searchPath);
  const found = new Set<string>();
  for (const [index, pattern] of includes.entries()) {
    for (const file of await walk(searchPaths[index]!)) {
      if (matchesOrUnder(file, pattern)) found.add(file);
    }
  }
  const files = [...found]
    .filter((f) => !excludes.some((x) => matchesOrUnder(f, x)))
    .filter((f) => includeHidden || !hidden(relative(step.workspace, f)))
    .sort();
  let root: string;
  if (searchPaths.length > 1) root = commonAncestor(searchPaths);
  else if (files.length === 1 && searchPaths[0] === files[0]) root = dirname(files[0]!);
  else root = searchPaths[0] ?? step.workspace;
  return { files, root };
}

function artifactUrl(step: StandInStep, artifact: StoredArtifact): string {
  return `${step.run.serverUrl}/${artifact.repository}/actions/runs/${artifact.runId}/artifacts/${artifact.id}`;
}

async function upload(step: StandInStep): Promise<void> {
  const name = step.input('name');
  const path = step.input('path', { required: true });
  const ifNoFiles = step.input('if-no-files-found');
  if (!['warn', 'error', 'ignore'].includes(ifNoFiles)) {
    throw new Error(
      `Unrecognized if-no-files-found input. Provided: ${ifNoFiles}. Available options: warn,error,ignore`,
    );
  }
  const bad = BAD_NAME_CHARACTERS.find((c) => name.includes(c));
  if (bad !== undefined) {
    throw new Error(
      `The artifact name is not valid: ${name}. Contains the following character: ${JSON.stringify(bad)}`,
    );
  }
  const retentionText = step.input('retention-days');
  let retentionDays = retentionText === '' ? 0 : Number.parseInt(retentionText, 10);
  if (Number.isNaN(retentionDays) || retentionDays < 0) throw new Error('Invalid retention-days');
  if (retentionDays === 0) retentionDays = MAX_RETENTION_DAYS;
  if (retentionDays > MAX_RETENTION_DAYS) {
    step.warning(
      `Retention days cannot be greater than the maximum allowed retention set within the repository. Using ${MAX_RETENTION_DAYS} instead.`,
    );
    retentionDays = MAX_RETENTION_DAYS;
  }

  const { files, root } = await findFiles(step, path, step.booleanInput('include-hidden-files'));
  if (files.length === 0) {
    const message = `No files were found with the provided path: ${path}. No artifacts will be uploaded.`;
    if (ifNoFiles === 'error') throw new Error(message);
    if (ifNoFiles === 'warn') step.warning(message);
    else step.info(message);
    return;
  }
  step.info(`With the provided path, there will be ${files.length} file(s) uploaded`);
  const runId = Number(step.github.run_id);
  const existing = step.artifacts.find(runId, name, step.run.repository);
  if (existing) {
    if (!step.booleanInput('overwrite')) {
      throw new Error(
        'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
      );
    }
    await step.artifacts.delete(existing);
  }
  const artifact = await step.artifacts.upload({
    runId,
    repository: step.run.repository,
    name,
    root,
    files: files.map((f) => relative(root, f).split(sep).join('/')),
    retentionDays,
  });
  step.info(
    `Artifact ${name} has been successfully uploaded! Final size is ${artifact.sizeInBytes} bytes. Artifact ID is ${artifact.id}`,
  );
  step.info(`Artifact download URL: ${artifactUrl(step, artifact)}`);
  step.setOutput('artifact-id', String(artifact.id));
  step.setOutput('artifact-url', artifactUrl(step, artifact));
  step.setOutput('artifact-digest', artifact.digest);
}

const NOT_FOUND = (name: string) =>
  `Unable to download artifact(s): Artifact not found for name: ${name}
        Please ensure that your artifact is not expired and the artifact was uploaded using a compatible version of toolkit/upload-artifact.
        For more information, visit the GitHub Artifacts FAQ: https://github.com/actions/toolkit/blob/main/packages/artifact/docs/faq.md`;

async function download(step: StandInStep): Promise<void> {
  const name = step.input('name');
  const pattern = step.input('pattern');
  const token = step.input('github-token');
  const pathInput = step.input('path').replace(/^~(?=$|\/)/, step.env.HOME ?? '~');
  const destination = isAbsolute(pathInput) ? pathInput : resolve(step.workspace, pathInput);
  let runId = Number(step.github.run_id);
  let repository = step.run.repository;
  if (token) {
    runId = Number(step.input('run-id'));
    repository = step.input('repository');
    if (token === step.job.token && step.job.permissions.actions === 'none') {
      throw new Error('Unable to download artifact(s): Resource not accessible by integration');
    }
  }
  const live = step.artifacts.list({ runId, repository }).filter((a) => !step.artifacts.isExpired(a));
  if (name) {
    const artifact = live.find((a) => a.name === name);
    if (!artifact) throw new Error(NOT_FOUND(name));
    step.info(`Found artifact: ${artifact.name} (ID: ${artifact.id}, Size: ${artifact.sizeInBytes})`);
    await step.artifacts.download(artifact, destination);
  } else {
    const chosen = live.filter((a) => !pattern || minimatch(a.name, pattern));
    step.info(`Found ${chosen.length} artifact(s)`);
    const merge = step.booleanInput('merge-multiple');
    for (const artifact of chosen) {
      await step.artifacts.download(artifact, merge ? destination : join(destination, artifact.name));
    }
  }
  step.info('Download artifact has finished successfully');
  step.setOutput('download-path', destination);
}

export const uploadArtifact: StandIn = { manifest: UPLOAD_MANIFEST, main: upload };
export const downloadArtifact: StandIn = { manifest: DOWNLOAD_MANIFEST, main: download };
