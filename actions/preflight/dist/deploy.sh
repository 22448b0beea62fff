# shellcheck shell=bash
# One deploy (or rollback) on this host. Nothing here is built from input: every value arrives in
# the variables assigned above (see deploy-script.ts), quoted or base64-encoded.
# Host requirements: bash 4+, coreutils (mktemp, mv, date, sync), sed, grep, flock (util-linux),
# base64, git in git mode, curl and timeout for verification. No jq, python or node.
umask 022
gh_require flock base64 sed grep mktemp mv date
if [[ "${GH_MODE}" == git ]]; then gh_require git; fi
if [[ -n "${GH_VERIFY_URL}" ]]; then gh_require curl; fi
if [[ "${GH_VERIFY}" == true ]]; then gh_require timeout; fi

# The exclusive lock for the whole deploy. The kernel drops it when the process dies, so there are
# no stale locks; the holder file only says who holds it, for a waiting deploy and for preflight.
mkdir -p -- "${GH_STATE_DIR}"
GH_STATE_FILE="${GH_STATE_DIR}/${GH_STATE_NAME}"
GH_LOCK_FILE="${GH_STATE_DIR}/${GH_LOCK_NAME}"
GH_HOLDER_FILE="${GH_STATE_DIR}/${GH_HOLDER_NAME}"
exec 9>>"${GH_LOCK_FILE}"
gh_locked=0
if [[ "${GH_LOCK_TIMEOUT}" == 0 ]]; then
  flock -x -n 9 && gh_locked=1
else
  flock -x -w "${GH_LOCK_TIMEOUT}" 9 && gh_locked=1
fi
if (( gh_locked == 0 )); then
  gh_holder="unknown (no holder recorded)"
  if [[ -r "${GH_HOLDER_FILE}" ]]; then gh_holder="$(head -n 1 -- "${GH_HOLDER_FILE}")"; fi
  printf 'gatehouse::lock-busy::%s\n' "${gh_holder}"
  echo "gatehouse: another deploy holds ${GH_LOCK_FILE}; gave up after lock-timeout (${GH_LOCK_TIMEOUT} s). Holder: ${gh_holder}" >&2
  exit 75
fi
# A temp file left by a deploy killed mid-write is garbage now that we hold the lock.
rm -f -- "${GH_STATE_DIR}/.${GH_STATE_NAME}".?????? "${GH_STATE_DIR}/.${GH_HOLDER_NAME}".??????
gh_since="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
gh_tmp="$(mktemp "${GH_STATE_DIR}/.${GH_HOLDER_NAME}.XXXXXX")"
# The line layout.ts's LOCK_HOLDER_PATTERN reads: who, pid, since.
printf '%s, pid %s, since %s\n' "${GH_HOLDER}" "$$" "${gh_since}" >"${gh_tmp}"
chmod 644 -- "${gh_tmp}"
mv -f -- "${gh_tmp}" "${GH_HOLDER_FILE}"
# Ours to remove when this script ends. Killed by a signal, it leaves the file behind, naming a
# holder gone with the lock; the next deploy replaces it.
# shellcheck disable=SC2317 # run by the EXIT trap below
gh_drop_holder() { rm -f -- "${GH_HOLDER_FILE}"; }
trap gh_drop_holder EXIT

# Current, previous and history, read back from the state file's fixed line layout.
gh_current=null
gh_previous=null
gh_history=""
if [[ -s "${GH_STATE_FILE}" ]]; then
  if ! grep -q '^  "current": .*,$' -- "${GH_STATE_FILE}" || ! grep -q '^  "history": \[$' -- "${GH_STATE_FILE}"; then
    echo "gatehouse: ${GH_STATE_FILE} is not in the layout Gatehouse writes (edited by hand?); move it aside to start a new history" >&2
    exit 65
  fi
  gh_current="$(gh_state_current "${GH_STATE_FILE}")"
  gh_previous="$(gh_state_previous "${GH_STATE_FILE}")"
  gh_history="$(gh_state_history "${GH_STATE_FILE}")"
fi
PREVIOUS_SHA="$(printf '%s\n' "${gh_current}" | sed -n 's/^{"sha":"\([0-9a-f]*\)",.*/\1/p')"
PREVIOUS_IMAGE_TAG="$(printf '%s\n' "${gh_current}" | sed -n 's/^{"sha":[^,]*,"imageTag":"\([A-Za-z0-9_.-]*\)".*/\1/p')"
# The commands and verify-command get them, with the DEPLOY_* values exported above.
export PREVIOUS_SHA PREVIOUS_IMAGE_TAG
printf 'gatehouse::previous::%s\n' "${gh_current}"

# Writes the state whole to a temp file in the same directory, then renames it over the old one:
# a reader (or a deploy killed at any instant) sees the old file or the new one, never half.
# Arguments: current, previous, the new history entry.
gh_write_state() {
  local tmp count=0 line
  tmp="$(mktemp "${GH_STATE_DIR}/.${GH_STATE_NAME}.XXXXXX")"
  {
    printf '{\n  "current": %s,\n  "previous": %s,\n  "history": [\n' "$1" "$2"
    printf '%s\n%s\n' "$3" "${gh_history}" | while IFS= read -r line; do
      [[ -n "${line}" ]] || continue
      count=$((count + 1))
      # Past the bound the rest is read and dropped (leaving early could kill printf with SIGPIPE).
      (( count <= GH_HISTORY_SIZE )) || continue
      if (( count > 1 )); then printf ',\n'; fi
      printf '    %s' "${line}"
    done
    printf '\n  ]\n}\n'
  } >"${tmp}"
  chmod 644 -- "${tmp}"
  sync -- "${tmp}" 2>/dev/null || true
  mv -f -- "${tmp}" "${GH_STATE_FILE}"
}

# Git mode (run in app-dir): the exact SHA; a dirty tree is refused unless force.
gh_checkout() {
  local dirty head
  local -a git
  GH_APP_ABS="$(pwd -P)"
  git=(git -c "safe.directory=${GH_APP_ABS}")
  if ! "${git[@]}" rev-parse --git-dir >/dev/null; then
    echo "gatehouse: app-dir ${GH_APP_DIR} is not a git checkout" >&2
    return 66
  fi
  if [[ "${GH_FORCE}" != true ]]; then
    dirty="$("${git[@]}" status --porcelain --untracked-files=no)"
    if [[ -n "${dirty}" ]]; then
      echo "gatehouse: ${GH_APP_DIR} has uncommitted changes to tracked files; refusing to check out over them (set force: true to discard them):" >&2
      "${git[@]}" status --short --untracked-files=no >&2
      return 65
    fi
  fi
  if ! "${git[@]}" fetch --quiet --tags origin; then
    echo "gatehouse: git fetch from origin failed in ${GH_APP_DIR}" >&2
  fi
  if ! "${git[@]}" cat-file -e "${DEPLOY_SHA}^{commit}" 2>/dev/null; then
    if ! "${git[@]}" fetch --quiet origin "${DEPLOY_SHA}"; then
      echo "gatehouse: commit ${DEPLOY_SHA} is not in origin (or origin is unreachable)" >&2
      return 66
    fi
  fi
  if [[ "${GH_FORCE}" == true ]]; then
    "${git[@]}" checkout --quiet --force --detach "${DEPLOY_SHA}"
  else
    "${git[@]}" checkout --quiet --detach "${DEPLOY_SHA}"
  fi
  head="$("${git[@]}" rev-parse HEAD)"
  if [[ "${head}" != "${DEPLOY_SHA}" ]]; then
    echo "gatehouse: HEAD is not ${DEPLOY_SHA} after checkout" >&2
    return 66
  fi
  echo "gatehouse: ${GH_APP_DIR} is at ${DEPLOY_SHA}"
}

# The env file's temp copies: this deploy's, and any a deploy killed by SIGKILL left (SIGKILL
# cannot be trapped). We hold the lock, so no other deploy is writing one.
gh_drop_env_temps() { rm -f -- "${GH_ENV_FILE}".gatehouse.??????; }
# Image mode (run in app-dir, so a relative env-file is app-dir's): the tag goes into `KEY=tag` in
# the env file the compose file or service reads. Other lines are kept as they are; the file is
# replaced whole, keeping its mode and owner, through a temp file beside it (so the rename is
# atomic) that goes if the deploy fails or is stopped first. It runs in gh_steps' subshell, so its
# traps end with it.
gh_write_image_tag() {
  local file="${GH_ENV_FILE}" line found=0 tmp
  mkdir -p -- "$(dirname -- "${file}")"
  gh_drop_env_temps
  # Set before the temp file exists, so no moment is left where it could outlive a stopped deploy.
  trap gh_drop_env_temps EXIT
  trap 'exit 143' TERM HUP INT
  tmp="$(mktemp "${file}.gatehouse.XXXXXX")"
  if [[ -e "${file}" ]]; then
    chmod --reference="${file}" -- "${tmp}" 2>/dev/null || true
    chown --reference="${file}" -- "${tmp}" 2>/dev/null || true
    while IFS= read -r line || [[ -n "${line}" ]]; do
      if [[ "${line}" == "${GH_IMAGE_TAG_KEY}="* || "${line}" == "export ${GH_IMAGE_TAG_KEY}="* ]]; then
        if (( found == 0 )); then printf '%s=%s\n' "${GH_IMAGE_TAG_KEY}" "${DEPLOY_IMAGE_TAG}"; fi
        found=1
      else
        printf '%s\n' "${line}"
      fi
    done <"${file}" >"${tmp}"
  fi
  if (( found == 0 )); then printf '%s=%s\n' "${GH_IMAGE_TAG_KEY}" "${DEPLOY_IMAGE_TAG}" >>"${tmp}"; fi
  mv -f -- "${tmp}" "${file}"
  trap - EXIT TERM HUP INT
  echo "gatehouse: ${GH_IMAGE_TAG_KEY}=${DEPLOY_IMAGE_TAG} written to ${file}"
}

# The steps that change the host, in a subshell so a failure is caught and recorded. The lock's
# descriptor is closed for them: a daemon started by the user's commands must not keep it.
gh_steps() {
  set -euo pipefail
  if [[ "${GH_MODE}" == image ]]; then mkdir -p -- "${GH_APP_DIR}"; fi
  cd -- "${GH_APP_DIR}"
  # git must not read the script's own input (the local runner feeds the script to bash on stdin).
  if [[ "${GH_MODE}" == git ]]; then gh_checkout </dev/null; else gh_write_image_tag; fi
  if [[ -n "${GH_COMMANDS}" ]]; then
    echo "gatehouse: running the deploy commands in ${GH_APP_DIR}"
    bash -euo pipefail -c "${GH_COMMANDS}" gatehouse-commands </dev/null
  fi
}
set +e
( gh_steps ) 9>&-
gh_rc=$?
set -e
gh_now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if (( gh_rc == 0 )); then
  gh_entry="${GH_ENTRY_HEAD},\"time\":\"${gh_now}\",\"outcome\":\"${GH_OUTCOME}\"${GH_ENTRY_TAIL}"
  if [[ "${gh_current}" == null ]]; then
    gh_write_state "${gh_entry}" "${gh_previous}" "${gh_entry}"
  else
    gh_write_state "${gh_entry}" "${gh_current}" "${gh_entry}"
  fi
  printf 'gatehouse::deployed::%s\n' "${gh_entry}"
else
  gh_entry="${GH_ENTRY_HEAD},\"time\":\"${gh_now}\",\"outcome\":\"${GH_FAILED_OUTCOME}\"${GH_ENTRY_TAIL}"
  gh_write_state "${gh_current}" "${gh_previous}" "${gh_entry}"
  printf 'gatehouse::failed::%s\n' "${gh_rc}"
  echo "gatehouse: the deploy failed (exit ${gh_rc}); recorded in history, current version unchanged" >&2
  exit "${gh_rc}"
fi

# After a change that succeeded: verify when asked to (exit GH_VERIFY_FAILED_EXIT when it fails).
if [[ "${GH_VERIFY}" == true ]]; then
  set +e
  ( gh_verify ) 9>&-
  gh_rc=$?
  set -e
  if (( gh_rc != 0 )); then exit "${GH_VERIFY_FAILED_EXIT}"; fi
fi
exit 0
