# shellcheck shell=bash
# preflight's checks on one host, read only. Every check runs (none stops the script) and prints
# one `LINE_MARK<TAB>check<TAB>verdict<TAB>reason` line, so every failure is reported, not just the
# first. Nothing is written: no temp files, no lock files created, and the env file's values are
# read into variables only to test them, never printed.
# No -e: a failing check must not stop the others. Unset variables are still bugs.
set +e

report() {
  local reason
  reason="$(printf '%s' "$3" | tr '\t\n\r' '   ' | cut -c1-400)"
  printf '%s\t%s\t%s\t%s\n' "${LINE_MARK}" "$1" "$2" "${reason}"
}

# The last assignment of $1 in the env file, quotes stripped (nothing when there is none); never
# printed.
env_value() {
  local line
  line="$(grep -E "^[[:space:]]*(export[[:space:]]+)?$1[[:space:]]*=" "${ENV_PATH}" 2>/dev/null | tail -n 1)"
  [[ -n "${line}" ]] || return 0
  line="${line#*=}"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  case "${line}" in
    \"*\" | \'*\') line="${line:1:-1}" ;;
    *) ;;
  esac
  printf '%s' "${line}"
}

free_kb() { df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }

# The nearest existing directory at or above $1.
existing_parent() {
  local dir="$1"
  while [[ ! -e "${dir}" && "${dir}" != / && "${dir}" != . ]]; do dir="$(dirname "${dir}")"; done
  printf '%s' "${dir}"
}

# App checkout
if [[ ! -d "${APP_DIR}" ]]; then
  report app-dir fail "${APP_DIR} does not exist or is not a directory"
else
  problems=""
  if [[ "${GIT_CHECKOUT}" == true ]] && ! GIT_OPTIONAL_LOCKS=0 git -C "${APP_DIR}" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    problems="${APP_DIR} is not a git checkout (or git is missing, or refuses it as dubious ownership)"
  fi
  if [[ -n "${EXPECTED_OWNER}" ]]; then
    owner="$(stat -c %U "${APP_DIR}")"
    if [[ "${owner}" != "${EXPECTED_OWNER}" ]]; then
      problems="${problems:+${problems}; }${APP_DIR} is owned by ${owner}, expected ${EXPECTED_OWNER}"
    fi
  fi
  if [[ -n "${problems}" ]]; then report app-dir fail "${problems}"; else report app-dir pass "${APP_DIR} exists"; fi
fi

# Env file: key names only, values never printed
case "${ENV_FILE}" in
  /*) ENV_PATH="${ENV_FILE}" ;;
  *) ENV_PATH="${APP_DIR}/${ENV_FILE}" ;;
esac
if [[ ! -f "${ENV_PATH}" || ! -r "${ENV_PATH}" ]]; then
  report env-file fail "${ENV_PATH} does not exist or is not readable"
  env_ok=false
else
  env_ok=true
  missing=""
  for key in "${REQUIRED_VARS[@]}"; do
    value="$(env_value "${key}")"
    [[ -n "${value}" ]] || missing="${missing:+${missing}, }${key}"
  done
  if [[ -n "${missing}" ]]; then
    report env-file fail "${ENV_PATH} lacks non-empty values for: ${missing}"
  else
    report env-file pass "${ENV_PATH} is readable; ${#REQUIRED_VARS[@]} required key(s) set"
  fi
fi

# Environment marker
if [[ -z "${EXPECTED_ENVIRONMENT}" ]]; then
  report environment skip "expected-environment is not set"
elif [[ "${env_ok}" != true ]]; then
  report environment fail "cannot read ${ENV_VAR}: the env file is unreadable"
else
  value="$(env_value "${ENV_VAR}")"
  if [[ -z "${value}" ]]; then
    report environment fail "${ENV_VAR} is not set in ${ENV_PATH}"
  elif [[ "${value}" == "${EXPECTED_ENVIRONMENT}" ]]; then
    report environment pass "${ENV_VAR} equals ${EXPECTED_ENVIRONMENT}"
  else
    report environment fail "${ENV_VAR} in ${ENV_PATH} does not equal expected-environment ${EXPECTED_ENVIRONMENT} (wrong host?)"
  fi
fi

# Docker
if [[ "${REQUIRE_DOCKER}" != true ]]; then
  report docker skip "require-docker is false"
elif ! command -v docker >/dev/null 2>&1; then
  report docker fail "docker is not on PATH"
elif ! docker info >/dev/null 2>&1; then
  report docker fail "the Docker daemon does not answer (docker info failed)"
else
  report docker pass "the Docker daemon answers"
fi

# Commands
if [[ "${#REQUIRE_COMMANDS[@]}" -eq 0 ]]; then
  report commands skip "require-commands is empty"
else
  absent=""
  for cmd in "${REQUIRE_COMMANDS[@]}"; do
    command -v "${cmd}" >/dev/null 2>&1 || absent="${absent:+${absent}, }${cmd}"
  done
  if [[ -n "${absent}" ]]; then
    report commands fail "not on PATH: ${absent}"
  else
    report commands pass "all on PATH: ${REQUIRE_COMMANDS[*]}"
  fi
fi

# Disk
low=""
for dir in "${APP_DIR}" "${GH_STATE_DIR}"; do
  probe="$(existing_parent "${dir}")"
  kb="$(free_kb "${probe}")"
  if [[ ! "${kb}" =~ ^[0-9]+$ ]]; then
    low="${low:+${low}; }cannot read free space of ${dir}"
  elif (( kb < MIN_FREE_KB )); then
    low="${low:+${low}; }${dir} has $((kb / 1024)) MiB free"
  fi
done
if [[ -n "${low}" ]]; then
  report disk fail "${low}, less than min-free-disk ($((MIN_FREE_KB / 1024)) MiB)"
else
  report disk pass "at least $((MIN_FREE_KB / 1024)) MiB free in app-dir and state-dir"
fi

# State dir: access(2) answers for permissions and read-only mounts (EROFS) without writing, so
# not even the directory's mtime changes.
user="$(id -un)"
if [[ -d "${GH_STATE_DIR}" ]]; then
  if [[ -w "${GH_STATE_DIR}" && -x "${GH_STATE_DIR}" ]]; then
    report state-dir pass "${GH_STATE_DIR} is writable"
  else
    report state-dir fail "${GH_STATE_DIR} is not writable by ${user}"
  fi
elif [[ -e "${GH_STATE_DIR}" ]]; then
  report state-dir fail "${GH_STATE_DIR} exists but is not a directory"
else
  parent="$(existing_parent "$(dirname "${GH_STATE_DIR}")")"
  if [[ -d "${parent}" && -w "${parent}" ]]; then
    report state-dir pass "${GH_STATE_DIR} does not exist yet; ${parent} is writable, so the deploy can create it"
  else
    report state-dir fail "${GH_STATE_DIR} does not exist and ${parent} is not writable by ${user}"
  fi
fi

# Deploy lock: a shared, non-blocking flock on a read-only open fails only while a deploy holds it.
# Who holds it, and since when, is in the holder file the deploy writes just after taking it (and
# removes when it ends); the lock file's own mtime says only when the first deploy created it.
lock="${GH_STATE_DIR}/${GH_LOCK_NAME}"
holder_file="${GH_STATE_DIR}/${GH_HOLDER_NAME}"
if [[ ! -e "${lock}" ]]; then
  report deploy-lock pass "no deploy has run here yet (no ${lock})"
elif ! exec {lockfd}<"${lock}"; then
  report deploy-lock fail "${lock} exists but cannot be opened"
elif flock -n -s "${lockfd}"; then
  flock -u "${lockfd}"
  exec {lockfd}<&-
  report deploy-lock pass "no deploy holds ${lock}"
else
  exec {lockfd}<&-
  holder=""
  if [[ -r "${holder_file}" ]]; then holder="$(head -n 1 -- "${holder_file}" | tr -d '\0' | cut -c1-300)"; fi
  if [[ "${holder}" =~ ${GH_HOLDER_PATTERN} ]]; then
    report deploy-lock fail "a deploy holds ${lock} since ${BASH_REMATCH[3]}: ${BASH_REMATCH[1]} (pid ${BASH_REMATCH[2]})"
  elif [[ -n "${holder}" ]]; then
    report deploy-lock fail "a deploy holds ${lock}; ${holder_file} says: ${holder}"
  else
    report deploy-lock fail "something holds ${lock}, but ${holder_file} names no holder (a deploy just starting, or not a Gatehouse deploy)"
  fi
fi

# Database environment marker, read by the command the workflow gives (e.g. psql behind docker compose)
if [[ -z "${DATABASE_QUERY_COMMAND}" ]]; then
  report database skip "database-query-command is not set"
elif [[ -z "${EXPECTED_ENVIRONMENT}" ]]; then
  report database fail "database-query-command is set but expected-environment is not"
elif marker="$(cd "${APP_DIR}" 2>/dev/null && bash -c "${DATABASE_QUERY_COMMAND}" 2>&1)"; then
  marker="$(printf '%s' "${marker}" | head -n 1 | tr -d '[:space:]')"
  if [[ "${marker}" == "${EXPECTED_ENVIRONMENT}" ]]; then
    report database pass "the database's environment marker is ${marker}"
  else
    report database fail "the database's environment marker is '${marker}', expected ${EXPECTED_ENVIRONMENT} (wrong database?)"
  fi
else
  said="$(printf '%s' "${marker}" | tail -n 3)"
  report database fail "database-query-command failed: ${said}"
fi

echo "${LINE_MARK}-done"
