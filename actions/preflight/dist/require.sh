# shellcheck shell=bash
# Fails early, and by name, when the host lacks a tool the script needs.
gh_require() {
  local tool
  for tool in "$@"; do
    if ! command -v "${tool}" >/dev/null 2>&1; then
      echo "gatehouse: this host has no '${tool}' (needed: bash, coreutils, sed, grep, flock, base64, git in git mode, curl for verify-url)" >&2
      exit 127
    fi
  done
}
