import { shellScript } from '@gatehouse/command-runner';
import { layoutAssignments } from '@gatehouse/host-script/layout';

/**
 * The one read-only bash script preflight sends to each host (`host-checks.sh`). Every check runs
 * and prints one `@@preflight<TAB>check<TAB>verdict<TAB>reason` line, so every failure is reported,
 * not just the first. Nothing is written, and the env file's values are never printed.
 */
export interface HostCheckSettings {
  appDir: string;
  stateDir: string;
  gitCheckout: boolean;
  expectedOwner: string | undefined;
  envFile: string;
  requiredVars: string[];
  environmentVar: string;
  expectedEnvironment: string | undefined;
  requireDocker: boolean;
  requireCommands: string[];
  minFreeDiskKb: number;
  databaseQueryCommand: string | undefined;
}

export const LINE_MARK = '@@preflight';

/**
 * The whole script: the settings as quoted assignments, then `host-checks.sh` as written. The
 * state-dir names come from the host layout the deploy script uses.
 */
export function hostCheckScript(settings: HostCheckSettings): string {
  return shellScript({
    purpose: 'preflight checks (read only)',
    values: {
      LINE_MARK,
      APP_DIR: settings.appDir,
      ...layoutAssignments(settings.stateDir, { lock: true, holderPattern: true }),
      GIT_CHECKOUT: settings.gitCheckout ? 'true' : 'false',
      EXPECTED_OWNER: settings.expectedOwner ?? '',
      ENV_FILE: settings.envFile,
      REQUIRED_VARS: settings.requiredVars,
      ENV_VAR: settings.environmentVar,
      EXPECTED_ENVIRONMENT: settings.expectedEnvironment ?? '',
      REQUIRE_DOCKER: settings.requireDocker ? 'true' : 'false',
      REQUIRE_COMMANDS: settings.requireCommands,
      MIN_FREE_KB: String(Math.max(0, Math.floor(settings.minFreeDiskKb))),
      DATABASE_QUERY_COMMAND: settings.databaseQueryCommand ?? '',
    },
    bodies: [new URL('./host-checks.sh', import.meta.url)],
  });
}
