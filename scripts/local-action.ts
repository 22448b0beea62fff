import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMain, repoRoot } from './actions';

/**
 * Runs an action's TypeScript source under GitHub's debugger for actions, @github/local-action:
 * it imports `src/main.ts`, calls its `run()` with its own stand-in for @actions/core (inputs from
 * a .env file, outputs and failures printed, secrets redacted), then the post step's.
 *
 *   pnpm local-action <action> <.env file> [--post]
 *
 * Why not its `local-action` launcher: the launcher picks the package manager from the action's
 * package.json, finds none named there and takes npm; npm reports @actions/core at the symlink
 * pnpm made, not at the file Node loads, so the stand-in is never applied and the real
 * @actions/core runs unnoticed. Told it is pnpm (as the launcher would tell it), local-action asks
 * `pnpm list` in the action's folder for the path Node loads, and its stand-in replaces
 * @actions/core for the action and action-kit alike: both use the one installed copy. The
 * launcher would also fetch tsx with `pnpm dlx`; the workspace's own tsx runs it here.
 */

export interface LocalActionCommand {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export function localActionCommand(
  action: string,
  dotenvFile: string,
  options: { post?: boolean } = {},
): LocalActionCommand {
  const actionDir = join(repoRoot, 'actions', action);
  if (!existsSync(join(actionDir, 'action.yml'))) throw new Error(`No action at actions/${action}`);
  const cli = fileURLToPath(import.meta.resolve('@github/local-action'));
  const tsx = fileURLToPath(import.meta.resolve('tsx/cli'));
  const args = [tsx, cli, 'run', actionDir, 'src/main.ts', resolve(dotenvFile)];
  if (options.post) {
    if (!existsSync(join(actionDir, 'src', 'post.ts'))) throw new Error(`actions/${action} has no post step`);
    args.push('--post', 'src/post.ts');
  }
  // The .env file is the step's whole context: what the shell holds from elsewhere (on a CI runner,
  // its own GITHUB_STEP_SUMMARY and inputs) must not leak in.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(key)),
  );
  return {
    file: process.execPath,
    args,
    cwd: actionDir,
    env: {
      ...env,
      NODE_PACKAGE_MANAGER: 'pnpm',
      TARGET_ACTION_PATH: actionDir,
      NODE_NO_WARNINGS: '1',
    },
  };
}

if (isMain(import.meta.url)) {
  const [action, dotenvFile, ...rest] = process.argv.slice(2);
  if (!action || !dotenvFile || rest.some((arg) => arg !== '--post')) {
    console.error('usage: pnpm local-action <action> <.env file> [--post]');
    process.exit(2);
  }
  // `pnpm local-action` runs in the repository root; the .env path is where the developer typed it.
  const envFile = resolve(process.env.INIT_CWD ?? process.cwd(), dotenvFile);
  const command = localActionCommand(action, envFile, { post: rest.includes('--post') });
  const result = spawnSync(command.file, command.args, {
    cwd: command.cwd,
    env: command.env,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
