import { shortSha } from '@gatehouse/action-kit/short-sha';
import { shellScript } from '@gatehouse/command-runner';
import { type DeployVersion, entryFragments, type RunIdentity } from './deploy-state';
import { layoutAssignments } from './layout';

export interface DeployScriptOptions {
  mode: 'git' | 'image';
  /** What to put on the host: in git mode `sha` (and `ref` for the record), in image mode `imageTag`. */
  version: DeployVersion;
  appDir: string;
  stateDir: string;
  /** The user's commands (bash), run in app-dir after the checkout or tag change. */
  commands?: string;
  run: RunIdentity;
  /** Image mode: the env file (relative to app-dir, or absolute) and the key that holds the tag. */
  envFile?: string;
  imageTagKey?: string;
  /** Git mode: discard uncommitted changes to tracked files instead of refusing. */
  force?: boolean;
  lockTimeoutSeconds: number;
  historySize: number;
  /** How a success is recorded: `success` for a deploy, `rollback` for a rollback. */
  kind?: 'deploy' | 'rollback';
  /** Verification on the host once the change succeeded; a failure makes the script exit 80. */
  verify?: Verification;
}

export interface Verification {
  /** Bash run in app-dir with the DEPLOY_* variables, retried until it exits 0. */
  command?: string;
  /** Fetched with curl from the host; must answer 2xx and, when there is a sha, name it. */
  url?: string;
  timeoutSeconds: number;
}

/** The verification the rollout inputs ask for (verify-command, verify-url, verify-timeout), if any. */
export function verificationFrom(settings: {
  verifyCommand?: string;
  verifyUrl?: string;
  verifyTimeoutMs: number;
}): Verification | undefined {
  if (!settings.verifyCommand && !settings.verifyUrl) return undefined;
  return {
    ...(settings.verifyCommand ? { command: settings.verifyCommand } : {}),
    ...(settings.verifyUrl ? { url: settings.verifyUrl } : {}),
    timeoutSeconds: Math.ceil(settings.verifyTimeoutMs / 1000),
  };
}

/** The exit code of a script whose change succeeded but whose verification did not. */
export const VERIFY_FAILED_EXIT = 80;

export const SHA = /^[0-9a-f]{40}$/;
/** Docker's tag grammar: the tag reaches an env file and a `sed` pattern, so nothing else passes. */
export const IMAGE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The builder's last guard: the actions' settings refuse these values first, naming the input, so
 * one that gets here is a bug. The sha, the tag and the key reach an env file and `sed` patterns.
 */
function deployScriptProblems(options: DeployScriptOptions): string[] {
  const problems: string[] = [];
  const { version } = options;
  if (options.mode === 'git' && !SHA.test(version.sha ?? ''))
    problems.push('git mode needs a full 40-character commit sha');
  if (version.sha !== undefined && !SHA.test(version.sha))
    problems.push(`sha must be 40 hex characters, got '${version.sha}'`);
  if (options.mode === 'image' && version.imageTag === undefined)
    problems.push('image mode needs an image tag');
  if (version.imageTag !== undefined && !IMAGE_TAG_PATTERN.test(version.imageTag)) {
    problems.push(`image tag must match ${IMAGE_TAG_PATTERN.source}, got '${version.imageTag}'`);
  }
  if (!ENV_KEY.test(options.imageTagKey ?? 'IMAGE_TAG'))
    problems.push(`image tag key must be an env variable name`);
  if (!Number.isSafeInteger(options.lockTimeoutSeconds) || options.lockTimeoutSeconds < 0)
    problems.push('lock timeout must be whole seconds ≥ 0');
  if (!Number.isSafeInteger(options.historySize) || options.historySize < 1)
    problems.push('history size must be ≥ 1');
  if (options.appDir === '' || options.stateDir === '')
    problems.push('app-dir and state-dir must not be empty');
  if (options.verify && !Number.isSafeInteger(options.verify.timeoutSeconds)) {
    problems.push('verify timeout must be whole seconds');
  }
  return problems;
}

/** One line, no control characters: it is shown in another deploy's lock-timeout message. */
function holderText(options: DeployScriptOptions): string {
  const { version, run } = options;
  const what = version.sha ?? version.imageTag ?? '?';
  const text = `${options.kind ?? 'deploy'} of ${what}${version.ref ? ` (${version.ref})` : ''} by run ${run.runId}, actor ${run.actor}`;
  return text.replace(/[\p{Cc}]/gu, ' ');
}

/** What the verification checks, in words, for the log and the host's own report line. */
export function describeVerification(verify: Verification | undefined, sha: string | undefined): string {
  if (!verify || (!verify.command && !verify.url)) return '';
  const parts: string[] = [];
  if (verify.command) parts.push('verify-command passed');
  if (verify.url) parts.push(`${verify.url} answered 2xx${sha ? ` naming ${shortSha(sha)}` : ''}`);
  return parts.join('; ');
}

/** What each host will check, for plans and wave lines (before anything ran). */
export function verificationPlan(verify: Verification | undefined, sha: string | undefined): string {
  if (!verify || (!verify.command && !verify.url)) return '';
  const parts: string[] = [];
  if (verify.command) parts.push('verify-command');
  if (verify.url) parts.push(`${verify.url} answers 2xx${sha ? ` naming ${shortSha(sha)}` : ''}`);
  return parts.join(' and ');
}

function hasVerification(verify: Verification | undefined): verify is Verification {
  return verify !== undefined && (verify.command !== undefined || verify.url !== undefined);
}

function verifyValues(options: Pick<DeployScriptOptions, 'verify' | 'version'>) {
  const verify = hasVerification(options.verify) ? options.verify : undefined;
  return {
    enabled: verify !== undefined,
    values: {
      GH_VERIFY_URL: verify?.url ?? '',
      GH_VERIFY_TIMEOUT: String(verify?.timeoutSeconds ?? 0),
      GH_VERIFY_WHAT: describeVerification(verify, options.version.sha),
      GH_VERIFY_FAILED_EXIT: String(VERIFY_FAILED_EXIT),
    },
    encoded: { GH_VERIFY_COMMAND: verify?.command },
  };
}

/** What the user's commands (and verify-command) get in their environment, besides PREVIOUS_*. */
function deployVariables(version: DeployVersion, environment: string): Record<string, string> {
  return {
    DEPLOY_SHA: version.sha ?? '',
    DEPLOY_REF: version.ref ?? '',
    DEPLOY_IMAGE: version.image ?? '',
    DEPLOY_IMAGE_TAG: version.imageTag ?? '',
    DEPLOY_ENVIRONMENT: environment,
  };
}

/** The fixed bash the scripts are made of, in the order they run. */
const REQUIRE = new URL('./require.sh', import.meta.url);
const STATE_LINES = new URL('./state-lines.sh', import.meta.url);
const VERIFY = new URL('./verify.sh', import.meta.url);
const DEPLOY = new URL('./deploy.sh', import.meta.url);
const VERIFY_ONLY = new URL('./verify-only.sh', import.meta.url);

/**
 * The whole bash script for one deploy (or rollback) on every host: the values assigned once at
 * the top, single-quoted (the user's commands base64-encoded), then `deploy.sh` and the functions
 * it calls.
 */
export function buildDeployScript(options: DeployScriptOptions): string {
  const problems = deployScriptProblems(options);
  if (problems.length > 0) throw new Error(`Invalid deploy script options: ${problems.join('; ')}`);
  const { version, run } = options;
  const rollback = options.kind === 'rollback';
  const { head, tail } = entryFragments(version, run);
  const verify = verifyValues(options);
  return shellScript({
    purpose: `${rollback ? 'rollback' : 'deploy'} on this host`,
    values: {
      GH_MODE: options.mode,
      GH_APP_DIR: options.appDir,
      ...layoutAssignments(options.stateDir, { state: true, lock: true }),
      GH_ENV_FILE: options.envFile ?? '.env',
      GH_IMAGE_TAG_KEY: options.imageTagKey ?? 'IMAGE_TAG',
      GH_FORCE: options.force ? 'true' : 'false',
      GH_LOCK_TIMEOUT: String(options.lockTimeoutSeconds),
      GH_HISTORY_SIZE: String(options.historySize),
      GH_HOLDER: holderText(options),
      GH_OUTCOME: rollback ? 'rollback' : 'success',
      GH_FAILED_OUTCOME: rollback ? 'rollback-failed' : 'failed',
      GH_ENTRY_HEAD: head,
      GH_ENTRY_TAIL: tail,
      GH_VERIFY: verify.enabled ? 'true' : 'false',
      ...verify.values,
    },
    exported: deployVariables(version, run.environment),
    encoded: { GH_COMMANDS: options.commands, ...verify.encoded },
    bodies: [REQUIRE, STATE_LINES, VERIFY, DEPLOY],
  });
}

export interface VerifyScriptOptions {
  version: DeployVersion;
  appDir: string;
  environment: string;
  verify: Verification;
}

/**
 * Verification alone, for the end of a wave's bake: no lock, no state, nothing written. Exits 80
 * when it fails.
 */
export function buildVerifyScript(options: VerifyScriptOptions): string {
  const verify = verifyValues(options);
  return shellScript({
    purpose: 'verification only',
    values: {
      GH_APP_DIR: options.appDir,
      ...verify.values,
    },
    exported: deployVariables(options.version, options.environment),
    encoded: verify.encoded,
    bodies: [REQUIRE, VERIFY, VERIFY_ONLY],
  });
}
