# shellcheck shell=bash
# Verification alone, for the end of a wave's bake: no lock, no state, nothing written.
if [[ -n "${GH_VERIFY_URL}" ]]; then gh_require curl; fi
gh_require timeout
set +e
( gh_verify )
gh_rc=$?
set -e
if (( gh_rc != 0 )); then exit "${GH_VERIFY_FAILED_EXIT}"; fi
