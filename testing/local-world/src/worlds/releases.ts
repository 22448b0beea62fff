/**
 * A system's releases: each one the app's whole tree plus its `service.json`, committed and pushed
 * on main as r1, r2…. What a `deploy` break is depends on the platform (an image whose health check
 * never passes, a commit Railway fails to deploy), so the world says how to play it.
 */
import type { Commit, FileChanges } from '../app-repository';
import type { Break } from '../sample-app';
import type { World } from '../world';
import { wholeTree } from './fixtures';
import { systemManifest } from './system-app';

export interface SystemRelease extends Commit {
  version: string;
  break?: Break;
}

export interface ReleaseSpec {
  break?: Break;
  /** APP_ENV values where the break shows; default everywhere. */
  breakIn?: readonly string[];
  /** For `wrong-env`: the database its config names, if not the line's. */
  wrongDatabase?: string;
  /** Files this release adds to (or, as `null`, removes from) the app's tree. */
  files?: FileChanges;
}

export interface ReleaseLineOptions {
  /** The app's files in every release. */
  tree: Readonly<Record<string, string>>;
  /** For `wrong-env`: the world database the release's config names instead of its own. */
  wrongDatabase: string;
  /** What each break does, for the story (`{env}` is where it shows). */
  stories: Readonly<Record<Break, string>>;
  /** Makes a pushed release with the `deploy` break fail to deploy on the platform. */
  breakDeploy(commit: Commit): void | Promise<void>;
}

export interface ReleaseLine {
  /** Commits and pushes r<n>, the first being r1 (r0 is the app before the example). */
  next(spec?: ReleaseSpec): Promise<SystemRelease>;
  /** The story's line for a release. */
  describe(release: SystemRelease): string;
}

export function releaseLine(world: World, options: ReleaseLineOptions, start = 0): ReleaseLine {
  let version = start;
  let previous: string[] = [];
  return {
    async next(spec = {}) {
      version++;
      const name = `r${version}`;
      const tree: FileChanges = {
        ...options.tree,
        ...spec.files,
        ...systemManifest({
          version: name,
          ...(spec.break ? { break: spec.break } : {}),
          ...(spec.breakIn ? { breakIn: spec.breakIn } : {}),
          ...(spec.break === 'wrong-env'
            ? { wrongDatabase: spec.wrongDatabase ?? options.wrongDatabase }
            : {}),
        }),
      };
      const what = spec.break
        ? `breaks (${spec.break})${spec.breakIn ? ` in ${spec.breakIn.join(', ')}` : ''}`
        : 'good';
      const commit = await world.push(wholeTree(tree, previous), `${name}: ${what}`, name);
      previous = Object.entries(tree)
        .filter(([, text]) => text !== null)
        .map(([path]) => path);
      if (spec.break === 'deploy') await options.breakDeploy(commit);
      return { ...commit, version: name, ...(spec.break ? { break: spec.break } : {}) };
    },
    describe(release) {
      const head = `Pushed ${release.version} (${release.sha.slice(0, 7)})`;
      return release.break ? `${head}, which ${options.stories[release.break]}` : `${head}, a good release`;
    },
  };
}
