import { shellQuote } from '@gatehouse/command-runner';

/**
 * The one read-only bash script preflight sends to each host. Every check runs (none stops the
 * script) and prints one `@@preflight<TAB>check<TAB>verdict<TAB>reason` line, so every failure is
 * reported, not just the first. Nothing is written: no temp files, no lock files created, and the
 * env file's values are read into variables only to test them, never printed.
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

const FUNCTIONS = String.raw`
report() { printf '%s\t%s\t%s\t%s\n' "$LINE_MARK" "$1" "$2" "$(printf '%s' "$3" | tr '\t\n\r' '   ' | cut -c1-400)"; }
env_value() { # the last assignment of $1 in the env file, quotes stripped; never printed
  local line
  line="$(grep -E "^[[:space:]]*(export[[:space:]]+)?$1[[:space:]]*=" "$ENV_PATH" 2>/dev/null | tail -n 1)" || true
  [ -n "$line" ] || return 1
  line="\${line#*=}"; line="\${line#"\${line%%[![:space:]]*}"}"; line="\${line%"\${line##*[![:space:]]}"}"
  case "$line" in \"*\") line="\${line:1:-1}" ;; \'*\') line="\${line:1:-1}" ;; esac
  printf '%s' "$line"
}
free_kb() { df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }
`;

const CHECKS = String.raw`
# App checkout
if [ ! -d "$APP_DIR" ]; then report app-dir fail "$APP_DIR does not exist or is not a directory"
else
  problems=""
  if [ "$GIT_CHECKOUT" = true ] && ! GIT_OPTIONAL_LOCKS=0 git -C "$APP_DIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    problems="$APP_DIR is not a git checkout (or git is missing, or refuses it as dubious ownership)"
  fi
  if [ -n "$EXPECTED_OWNER" ]; then
    owner="$(stat -c %U "$APP_DIR")"
    [ "$owner" = "$EXPECTED_OWNER" ] || problems="\${problems:+$problems; }$APP_DIR is owned by $owner, expected $EXPECTED_OWNER"
  fi
  if [ -n "$problems" ]; then report app-dir fail "$problems"; else report app-dir pass "$APP_DIR exists"; fi
fi

# Env file: key names only, values never printed
case "$ENV_FILE" in /*) ENV_PATH="$ENV_FILE" ;; *) ENV_PATH="$APP_DIR/$ENV_FILE" ;; esac
if [ ! -f "$ENV_PATH" ] || [ ! -r "$ENV_PATH" ]; then
  report env-file fail "$ENV_PATH does not exist or is not readable"
  env_ok=false
else
  env_ok=true
  missing=""
  for key in "\${REQUIRED_VARS[@]}"; do
    value="$(env_value "$key")" || value=""
    [ -n "$value" ] || missing="\${missing:+$missing, }$key"
  done
  if [ -n "$missing" ]; then report env-file fail "$ENV_PATH lacks non-empty values for: $missing"
  else report env-file pass "$ENV_PATH is readable; \${#REQUIRED_VARS[@]} required key(s) set"; fi
fi

# Environment marker
if [ -z "$EXPECTED_ENVIRONMENT" ]; then report environment skip "expected-environment is not set"
elif [ "$env_ok" != true ]; then report environment fail "cannot read $ENV_VAR: the env file is unreadable"
else
  value="$(env_value "$ENV_VAR")" || value=""
  if [ -z "$value" ]; then report environment fail "$ENV_VAR is not set in $ENV_PATH"
  elif [ "$value" = "$EXPECTED_ENVIRONMENT" ]; then report environment pass "$ENV_VAR equals $EXPECTED_ENVIRONMENT"
  else report environment fail "$ENV_VAR in $ENV_PATH does not equal expected-environment $EXPECTED_ENVIRONMENT (wrong host?)"; fi
fi

# Docker
if [ "$REQUIRE_DOCKER" != true ]; then report docker skip "require-docker is false"
elif ! command -v docker >/dev/null 2>&1; then report docker fail "docker is not on PATH"
elif ! docker info >/dev/null 2>&1; then report docker fail "the Docker daemon does not answer (docker info failed)"
else report docker pass "the Docker daemon answers"; fi

# Commands
if [ "\${#REQUIRE_COMMANDS[@]}" -eq 0 ]; then report commands skip "require-commands is empty"
else
  absent=""
  for cmd in "\${REQUIRE_COMMANDS[@]}"; do command -v "$cmd" >/dev/null 2>&1 || absent="\${absent:+$absent, }$cmd"; done
  if [ -n "$absent" ]; then report commands fail "not on PATH: $absent"; else report commands pass "all on PATH: \${REQUIRE_COMMANDS[*]}"; fi
fi

# Disk
low=""
for dir in "$APP_DIR" "$STATE_DIR"; do
  probe="$dir"; while [ ! -e "$probe" ] && [ "$probe" != / ] && [ "$probe" != . ]; do probe="$(dirname "$probe")"; done
  kb="$(free_kb "$probe")"
  if [ -z "$kb" ]; then low="\${low:+$low; }cannot read free space of $dir"
  elif [ "$kb" -lt "$MIN_FREE_KB" ]; then low="\${low:+$low; }$dir has $((kb / 1024)) MiB free"; fi
done
if [ -n "$low" ]; then report disk fail "$low, less than min-free-disk ($((MIN_FREE_KB / 1024)) MiB)"
else report disk pass "at least $((MIN_FREE_KB / 1024)) MiB free in app-dir and state-dir"; fi

# State dir: access(2) answers for permissions and read-only mounts (EROFS) without writing, so
# not even the directory's mtime changes.
if [ -d "$STATE_DIR" ]; then
  if [ -w "$STATE_DIR" ] && [ -x "$STATE_DIR" ]; then report state-dir pass "$STATE_DIR is writable"
  else report state-dir fail "$STATE_DIR is not writable by $(id -un)"; fi
elif [ -e "$STATE_DIR" ]; then report state-dir fail "$STATE_DIR exists but is not a directory"
else
  parent="$(dirname "$STATE_DIR")"; while [ ! -e "$parent" ] && [ "$parent" != / ] && [ "$parent" != . ]; do parent="$(dirname "$parent")"; done
  if [ -d "$parent" ] && [ -w "$parent" ]; then report state-dir pass "$STATE_DIR does not exist yet; $parent is writable, so the deploy can create it"
  else report state-dir fail "$STATE_DIR does not exist and $parent is not writable by $(id -un)"; fi
fi

# Deploy lock: a shared, non-blocking flock on a read-only open fails only while a deploy holds it.
LOCK="$STATE_DIR/deploy.lock"
if [ ! -e "$LOCK" ]; then report deploy-lock pass "no deploy has run here yet (no $LOCK)"
elif ! exec {lockfd}<"$LOCK"; then report deploy-lock fail "$LOCK exists but cannot be opened"
elif flock -n -s "$lockfd"; then flock -u "$lockfd"; exec {lockfd}<&-; report deploy-lock pass "no deploy holds $LOCK"
else
  exec {lockfd}<&-
  since="$(date -u -d "@$(stat -c %Y "$LOCK")" +%Y-%m-%dT%H:%M:%SZ)"
  holder=""
  for info in "$STATE_DIR/deploy.lock.info" "$LOCK"; do
    [ -s "$info" ] && [ -r "$info" ] && { holder="$(head -c 300 "$info" | tr -d '\0')"; break; }
  done
  report deploy-lock fail "a deploy holds $LOCK since $since\${holder:+ (holder: $holder)}"
fi

# Database environment marker, read by the command the workflow gives (e.g. psql behind docker compose)
if [ -z "$DATABASE_QUERY_COMMAND" ]; then report database skip "database-query-command is not set"
elif [ -z "$EXPECTED_ENVIRONMENT" ]; then report database fail "database-query-command is set but expected-environment is not"
else
  if marker="$(cd "$APP_DIR" 2>/dev/null && bash -c "$DATABASE_QUERY_COMMAND" 2>&1)"; then
    marker="$(printf '%s' "$marker" | head -n 1 | tr -d '[:space:]')"
    if [ "$marker" = "$EXPECTED_ENVIRONMENT" ]; then report database pass "the database's environment marker is $marker"
    else report database fail "the database's environment marker is '$marker', expected $EXPECTED_ENVIRONMENT (wrong database?)"; fi
  else report database fail "database-query-command failed: $(printf '%s' "$marker" | tail -n 3)"; fi
fi
`;

/** String.raw keeps `\${` as written; bash needs the bare `${`. */
function bareDollarBraces(text: string): string {
  return text.replace(/\\\$\{/g, '${');
}

export function hostCheckScript(settings: HostCheckSettings): string {
  const array = (values: string[]) => `(${values.map(shellQuote).join(' ')})`;
  return [
    '#!/bin/bash',
    // No -e: a failing check must not stop the others. Unset variables are still bugs.
    'set -uo pipefail',
    `LINE_MARK=${shellQuote(LINE_MARK)}`,
    `APP_DIR=${shellQuote(settings.appDir)}`,
    `STATE_DIR=${shellQuote(settings.stateDir)}`,
    `GIT_CHECKOUT=${settings.gitCheckout ? 'true' : 'false'}`,
    `EXPECTED_OWNER=${shellQuote(settings.expectedOwner ?? '')}`,
    `ENV_FILE=${shellQuote(settings.envFile)}`,
    `REQUIRED_VARS=${array(settings.requiredVars)}`,
    `ENV_VAR=${shellQuote(settings.environmentVar)}`,
    `EXPECTED_ENVIRONMENT=${shellQuote(settings.expectedEnvironment ?? '')}`,
    `REQUIRE_DOCKER=${settings.requireDocker ? 'true' : 'false'}`,
    `REQUIRE_COMMANDS=${array(settings.requireCommands)}`,
    `MIN_FREE_KB=${Math.max(0, Math.floor(settings.minFreeDiskKb))}`,
    `DATABASE_QUERY_COMMAND=${shellQuote(settings.databaseQueryCommand ?? '')}`,
    bareDollarBraces(FUNCTIONS),
    bareDollarBraces(CHECKS),
    `echo "$LINE_MARK-done"`,
  ].join('\n');
}
