import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMain, repoRoot } from './actions';

/**
 * Names Gatehouse by one full commit SHA wherever a workflow uses it, as GitHub's hardening guide
 * advises (a tag can be moved to other code; a commit cannot). Used when releasing:
 *
 *   pnpm pin-gatehouse --commit HEAD --version v1.4.0 deploy    # deploy.yml's steps → that commit
 *   git commit -am 'release v1.4.0: deploy.yml names its actions by commit'
 *   pnpm pin-gatehouse --commit HEAD --version v1.4.0 examples  # the examples → the commit above
 *   git commit -am 'release v1.4.0: examples pinned'; git tag v1.4.0
 *
 * Two commits because a commit cannot name itself: deploy.yml's steps name the commit before it
 * (the same actions), and the examples name the commit whose deploy.yml is pinned. Each `uses:`
 * becomes `…@<sha> # <version>`, the form Dependabot keeps up to date.
 */
const OWNER_REPO = 'gatehouse-dev/gatehouse';
/** `gatehouse-dev/gatehouse/<path>@<ref>` plus a version comment, if any, up to the line's end. */
const USES = new RegExp(
  `(${OWNER_REPO.replace('/', '\\/')}\\/([\\w./-]+))@[\\w.-]+(?:[ \\t]+#[^\\n]*)?`,
  'g',
);

export const PIN_SETS: Record<string, string[]> = {
  deploy: ['.github/workflows/deploy.yml'],
  examples: [
    'examples/workflows/deploy-dev.yml',
    'examples/workflows/deploy-stage.yml',
    'examples/workflows/deploy-prod.yml',
    'examples/workflows/rollback.yml',
    'examples/systems/ec2-flask-alembic.yml',
    'examples/systems/vps-compose-prisma.yml',
    'examples/systems/railway-supabase.yml',
    'examples/systems/kubernetes.yml',
  ],
};

/** The full SHA of `commit` in the repository at `root`; refuses what git does not have. */
export function resolveCommit(root: string, commit: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `${commit}^{commit}`], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error(`pin-gatehouse: '${commit}' is not a commit of ${root}.`);
  }
}

/** Whether `path` (a file, or an action folder's action.yml) exists at `sha`. */
function existsAt(root: string, sha: string, path: string): boolean {
  const file = path.endsWith('.yml') || path.endsWith('.yaml') ? path : `${path}/action.yml`;
  try {
    execFileSync('git', ['cat-file', '-e', `${sha}:${file}`], { cwd: root, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Rewrites every Gatehouse `uses:` in `files` to `@<sha> # <version>`. Refuses, changing nothing,
 * when the commit lacks something a file uses. Returns how many references each file has.
 */
export function pinGatehouse(options: {
  root: string;
  commit: string;
  version: string;
  files: string[];
}): Record<string, number> {
  const sha = resolveCommit(options.root, options.commit);
  if (!/^v\d+(\.\d+){0,2}$/.test(options.version)) {
    throw new Error(`pin-gatehouse: --version must look like v1.4.0, got '${options.version}'.`);
  }
  const rewritten = new Map<string, string>();
  const counts: Record<string, number> = {};
  for (const file of options.files) {
    const path = join(options.root, file);
    const text = readFileSync(path, 'utf8');
    let count = 0;
    const next = text.replace(USES, (_match, uses: string, inner: string) => {
      if (!existsAt(options.root, sha, inner)) {
        throw new Error(
          `pin-gatehouse: ${relative(options.root, path)} uses ${inner}, which commit ${sha} does not have.`,
        );
      }
      count++;
      return `${uses}@${sha} # ${options.version}`;
    });
    rewritten.set(path, next);
    counts[file] = count;
  }
  for (const [path, text] of rewritten) writeFileSync(path, text);
  return counts;
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(`--${name}`);
    const value = at >= 0 ? args.splice(at, 2)[1] : undefined;
    if (!value) throw new Error(`pin-gatehouse: --${name} is required.`);
    return value;
  };
  const commit = option('commit');
  const version = option('version');
  const sets = args.length ? args : ['deploy'];
  const files = sets.flatMap((set) => {
    const listed = PIN_SETS[set];
    if (!listed)
      throw new Error(`pin-gatehouse: unknown set '${set}' (${Object.keys(PIN_SETS).join(', ')}).`);
    return listed;
  });
  const counts = pinGatehouse({ root: repoRoot, commit, version, files });
  for (const [file, count] of Object.entries(counts)) console.log(`${file}: ${count} reference(s) pinned`);
}
