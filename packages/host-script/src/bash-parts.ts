/**
 * The fixed bash of the host script. Nothing here is built from input: every value arrives in the
 * variables assigned above it (see `deploy-script.ts`), quoted by `shellQuote` or base64-encoded.
 * Host requirements: bash 4+, coreutils (mktemp, mv, date, sync), sed, grep, flock (util-linux),
 * base64, and git in git mode. No jq, python or node.
 */

/** Fails early, and by name, when the host lacks a tool the script needs. */
// biome-ignore lint/complexity/noUselessStringRaw: every part is raw, so a later backslash stays bash's
export const REQUIRE = String.raw`
gh_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "gatehouse: this host has no '$tool' (needed: bash, coreutils, sed, grep, flock, base64, git in git mode, curl for verify-url)" >&2; exit 127; }
  done
}
`;

/** What every deploy and rollback needs. */
export const REQUIREMENTS = `${REQUIRE}gh_require flock base64 sed grep mktemp mv date\n`;

/**
 * The exclusive lock for the whole deploy. The kernel drops it when the process dies, so there
 * are no stale locks; the holder file only says who holds it, for the message of a waiting deploy.
 */
export const LOCK = String.raw`
mkdir -p -- "$GH_STATE_DIR"
GH_STATE_FILE="$GH_STATE_DIR/deploy-state.json"
GH_HOLDER_FILE="$GH_STATE_DIR/deploy.lock.holder"
exec 9>>"$GH_STATE_DIR/deploy.lock"
gh_lock() {
  if [[ "$GH_LOCK_TIMEOUT" == 0 ]]; then flock -x -n 9; else flock -x -w "$GH_LOCK_TIMEOUT" 9; fi
}
if ! gh_lock; then
  gh_holder="unknown (no holder recorded)"
  if [[ -r "$GH_HOLDER_FILE" ]]; then gh_holder="$(head -n 1 -- "$GH_HOLDER_FILE")"; fi
  printf 'gatehouse::lock-busy::%s\n' "$gh_holder"
  echo "gatehouse: another deploy holds $GH_STATE_DIR/deploy.lock; gave up after lock-timeout ($GH_LOCK_TIMEOUT s). Holder: $gh_holder" >&2
  exit 75
fi
# A temp file left by a deploy killed mid-write is garbage now that we hold the lock.
rm -f -- "$GH_STATE_DIR"/.deploy-state.json.* "$GH_STATE_DIR"/.deploy.lock.holder.*
gh_tmp="$(mktemp "$GH_STATE_DIR/.deploy.lock.holder.XXXXXX")"
printf '%s, pid %s, since %s\n' "$GH_HOLDER" "$$" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$gh_tmp"
chmod 644 -- "$gh_tmp"
mv -f -- "$gh_tmp" "$GH_HOLDER_FILE"
`;

/** Reads current, previous and history back from the fixed line layout (see deploy-state.ts). */
export const READ_STATE = String.raw`
gh_current=null
gh_previous=null
gh_history=""
if [[ -s "$GH_STATE_FILE" ]]; then
  if ! grep -q '^  "current": .*,$' -- "$GH_STATE_FILE" || ! grep -q '^  "history": \[$' -- "$GH_STATE_FILE"; then
    echo "gatehouse: $GH_STATE_FILE is not in the layout Gatehouse writes (edited by hand?); move it aside to start a new history" >&2
    exit 65
  fi
  gh_current="$(sed -n 's/^  "current": \(.*\),$/\1/p' -- "$GH_STATE_FILE")"
  gh_previous="$(sed -n 's/^  "previous": \(.*\),$/\1/p' -- "$GH_STATE_FILE")"
  gh_history="$(sed -n '/^  "history": \[$/,/^  \]$/s/^    \({.*}\),\{0,1\}$/\1/p' -- "$GH_STATE_FILE")"
fi
PREVIOUS_SHA="$(printf '%s\n' "$gh_current" | sed -n 's/^{"sha":"\([0-9a-f]*\)",.*/\1/p')"
PREVIOUS_IMAGE_TAG="$(printf '%s\n' "$gh_current" | sed -n 's/^{"sha":[^,]*,"imageTag":"\([A-Za-z0-9_.-]*\)".*/\1/p')"
printf 'gatehouse::previous::%s\n' "$gh_current"
`;

/**
 * Writes the state whole to a temp file in the same directory, then renames it over the old one:
 * a reader (or a deploy killed at any instant) sees the old file or the new one, never half.
 * Arguments: current, previous, the new history entry.
 */
export const WRITE_STATE = String.raw`
gh_write_state() {
  local tmp count=0 line
  tmp="$(mktemp "$GH_STATE_DIR/.deploy-state.json.XXXXXX")"
  {
    printf '{\n  "current": %s,\n  "previous": %s,\n  "history": [\n' "$1" "$2"
    printf '%s\n%s\n' "$3" "$gh_history" | while IFS= read -r line; do
      [[ -n "$line" ]] || continue
      count=$((count + 1))
      # Past the bound the rest is read and dropped (leaving early could kill printf with SIGPIPE).
      (( count <= GH_HISTORY_SIZE )) || continue
      if (( count > 1 )); then printf ',\n'; fi
      printf '    %s' "$line"
    done
    printf '\n  ]\n}\n'
  } >"$tmp"
  chmod 644 -- "$tmp"
  sync -- "$tmp" 2>/dev/null || true
  mv -f -- "$tmp" "$GH_STATE_FILE"
}
`;

/** Git mode (run in app-dir): exact SHA; a dirty tree is refused unless force. */
// biome-ignore lint/complexity/noUselessStringRaw: every part is raw, so a later backslash stays bash's
export const GIT_CHECKOUT = String.raw`
gh_git() { git -c safe.directory="$GH_APP_ABS" "$@" </dev/null; }
gh_checkout() {
  GH_APP_ABS="$(pwd -P)"
  gh_git rev-parse --git-dir >/dev/null || { echo "gatehouse: app-dir $GH_APP_DIR is not a git checkout" >&2; return 66; }
  if [[ "$GH_FORCE" != true ]] && [[ -n "$(gh_git status --porcelain --untracked-files=no)" ]]; then
    echo "gatehouse: $GH_APP_DIR has uncommitted changes to tracked files; refusing to check out over them (set force: true to discard them):" >&2
    gh_git status --short --untracked-files=no >&2
    return 65
  fi
  if ! gh_git fetch --quiet --tags origin; then
    echo "gatehouse: git fetch from origin failed in $GH_APP_DIR" >&2
  fi
  if ! gh_git cat-file -e "$DEPLOY_SHA^{commit}" 2>/dev/null; then
    gh_git fetch --quiet origin "$DEPLOY_SHA" || { echo "gatehouse: commit $DEPLOY_SHA is not in origin (or origin is unreachable)" >&2; return 66; }
  fi
  if [[ "$GH_FORCE" == true ]]; then gh_git checkout --quiet --force --detach "$DEPLOY_SHA"; else gh_git checkout --quiet --detach "$DEPLOY_SHA"; fi
  [[ "$(gh_git rev-parse HEAD)" == "$DEPLOY_SHA" ]] || { echo "gatehouse: HEAD is not $DEPLOY_SHA after checkout" >&2; return 66; }
  echo "gatehouse: $GH_APP_DIR is at $DEPLOY_SHA"
}
`;

/**
 * Image mode (run in app-dir, so a relative env-file is app-dir's): the tag goes into `KEY=tag`
 * in the env file the compose file or service reads.
 * Other lines are kept as they are; the file is replaced whole, keeping its mode and owner.
 */
export const IMAGE_TAG = String.raw`
gh_write_image_tag() {
  local file="$GH_ENV_FILE" tmp line found=0
  mkdir -p -- "$(dirname -- "$file")"
  tmp="$(mktemp "$file.gatehouse.XXXXXX")"
  if [[ -e "$file" ]]; then
    chmod --reference="$file" -- "$tmp" 2>/dev/null || true
    chown --reference="$file" -- "$tmp" 2>/dev/null || true
    while IFS= read -r line || [[ -n "$line" ]]; do
      if [[ "$line" == "$GH_IMAGE_TAG_KEY="* || "$line" == "export $GH_IMAGE_TAG_KEY="* ]]; then
        if (( found == 0 )); then printf '%s=%s\n' "$GH_IMAGE_TAG_KEY" "$DEPLOY_IMAGE_TAG"; fi
        found=1
      else
        printf '%s\n' "$line"
      fi
    done <"$file" >"$tmp"
  fi
  if (( found == 0 )); then printf '%s=%s\n' "$GH_IMAGE_TAG_KEY" "$DEPLOY_IMAGE_TAG" >>"$tmp"; fi
  mv -f -- "$tmp" "$file"
  echo "gatehouse: $GH_IMAGE_TAG_KEY=$DEPLOY_IMAGE_TAG written to $file"
}
`;

/**
 * The steps that change the host, in a subshell so a failure is caught and recorded. The lock's
 * descriptor is closed for them: a daemon started by the user's commands must not keep it.
 */
export const DEPLOY_AND_RECORD = String.raw`
gh_steps() {
  set -euo pipefail
  if [[ "$GH_MODE" == image ]]; then mkdir -p -- "$GH_APP_DIR"; fi
  cd -- "$GH_APP_DIR"
  if [[ "$GH_MODE" == git ]]; then gh_checkout; else gh_write_image_tag; fi
  export DEPLOY_SHA DEPLOY_REF DEPLOY_IMAGE DEPLOY_IMAGE_TAG DEPLOY_ENVIRONMENT PREVIOUS_SHA PREVIOUS_IMAGE_TAG
  if [[ -n "$GH_COMMANDS" ]]; then
    echo "gatehouse: running the deploy commands in $GH_APP_DIR"
    bash -euo pipefail -c "$GH_COMMANDS" gatehouse-commands </dev/null
  fi
}
set +e
( gh_steps ) 9>&-
gh_rc=$?
set -e
gh_now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if (( gh_rc == 0 )); then
  gh_entry="$GH_ENTRY_HEAD,\"time\":\"$gh_now\",\"outcome\":\"$GH_OUTCOME\"$GH_ENTRY_TAIL"
  if [[ "$gh_current" == null ]]; then gh_write_state "$gh_entry" "$gh_previous" "$gh_entry"; else gh_write_state "$gh_entry" "$gh_current" "$gh_entry"; fi
  printf 'gatehouse::deployed::%s\n' "$gh_entry"
else
  gh_entry="$GH_ENTRY_HEAD,\"time\":\"$gh_now\",\"outcome\":\"$GH_FAILED_OUTCOME\"$GH_ENTRY_TAIL"
  gh_write_state "$gh_current" "$gh_previous" "$gh_entry"
  printf 'gatehouse::failed::%s\n' "$gh_rc"
  echo "gatehouse: the deploy failed (exit $gh_rc); recorded in history, current version unchanged" >&2
  exit "$gh_rc"
fi
`;

/**
 * On-host verification (verify-command, verify-url), retried until it passes or verify-timeout
 * ends. Read-only for Gatehouse: it writes no file. A failure prints `gatehouse::verify-failed::`
 * and the caller exits 80, so the runner counts the host as failed.
 */
export const VERIFY = String.raw`
gh_verify_once() {
  local left out rc code
  left=$(( gh_verify_deadline - SECONDS ))
  (( left >= 1 )) || left=1
  if [[ -n "$GH_VERIFY_COMMAND" ]]; then
    set +e
    out="$(cd -- "$GH_APP_DIR" && timeout --kill-after=2 "$left" bash -euo pipefail -c "$GH_VERIFY_COMMAND" gatehouse-verify </dev/null 2>&1)"
    rc=$?
    set -e
    if (( rc != 0 )); then
      gh_verify_why="verify-command exited $rc"
      if (( rc == 124 )); then gh_verify_why="$gh_verify_why (stopped at verify-timeout)"; fi
      if [[ -n "$out" ]]; then gh_verify_why="$gh_verify_why: $(printf '%s\n' "$out" | tail -n 1)"; fi
      return 1
    fi
  fi
  if [[ -n "$GH_VERIFY_URL" ]]; then
    (( left <= 10 )) || left=10
    set +e
    out="$(curl --silent --show-error --include --proto '=http,https' --max-time "$left" --write-out '\n%{http_code}' -- "$GH_VERIFY_URL" 2>&1)"
    rc=$?
    set -e
    if (( rc != 0 )); then
      gh_verify_why="verify-url: $(printf '%s\n' "$out" | grep -m 1 '^curl:' || echo "curl exited $rc")"
      return 1
    fi
    code="$(printf '%s\n' "$out" | tail -n 1)"
    if [[ ! "$code" =~ ^2[0-9][0-9]$ ]]; then
      gh_verify_why="verify-url answered HTTP $code"
      return 1
    fi
    if [[ -n "$DEPLOY_SHA" ]] && ! printf '%s\n' "$out" | sed '$d' | gh_names_commit; then
      gh_verify_why="verify-url answered HTTP $code but names neither commit $DEPLOY_SHA nor a 7+ character prefix of it in its body or headers"
      return 1
    fi
  fi
  return 0
}
# Reads a response: true when a hex word of 7 to 40 characters starts the deployed commit (apps
# often report a short SHA).
gh_names_commit() {
  local word found=1
  while IFS= read -r word; do
    if [[ "$DEPLOY_SHA" == "$word"* ]]; then found=0; fi
  done < <(tr -c '0-9a-fA-F' '\n' | tr 'A-F' 'a-f' | grep -E '^[0-9a-f]{7,40}$' || true)
  return "$found"
}
gh_verify() {
  local attempts=0
  gh_verify_deadline=$(( SECONDS + GH_VERIFY_TIMEOUT ))
  gh_verify_why=""
  while :; do
    attempts=$((attempts + 1))
    if gh_verify_once; then
      printf 'gatehouse::verified::%s (attempt %s)\n' "$GH_VERIFY_WHAT" "$attempts"
      return 0
    fi
    if (( SECONDS >= gh_verify_deadline )); then
      printf 'gatehouse::verify-failed::%s (%s attempts in %ss)\n' "$gh_verify_why" "$attempts" "$GH_VERIFY_TIMEOUT"
      echo "gatehouse: verification failed on this host: $gh_verify_why" >&2
      return 1
    fi
    sleep 1
  done
}
`;

/** After a change that succeeded: verify when asked to (exit 80 when it fails), else done. */
// biome-ignore lint/complexity/noUselessStringRaw: every part is raw, so a later backslash stays bash's
export const VERIFY_AFTER_CHANGE = String.raw`
if [[ "$GH_VERIFY" == true ]]; then
  export DEPLOY_SHA DEPLOY_REF DEPLOY_IMAGE DEPLOY_IMAGE_TAG DEPLOY_ENVIRONMENT PREVIOUS_SHA PREVIOUS_IMAGE_TAG
  ( gh_verify ) 9>&- || exit 80
fi
exit 0
`;
