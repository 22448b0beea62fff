# shellcheck shell=bash
# Read only: prints the host's current and previous entries and the newest history entry, one
# line each, so the report fits SSM's short listing copy of the output. For rollback, the dry
# runs and preflight.
gh_state_file="${GH_STATE_DIR}/${GH_STATE_NAME}"
if [[ ! -s "${gh_state_file}" ]]; then
  printf 'gatehouse::state::none\n'
  exit 0
fi
gh_current="$(gh_state_current "${gh_state_file}")"
gh_previous="$(gh_state_previous "${gh_state_file}")"
# The newest history entry tells rollback whether the last attempt on this host failed.
gh_last="$(sed -n '/^    {/{s/^    \({.*}\),\{0,1\}$/\1/p;q;}' -- "${gh_state_file}")"
printf 'gatehouse::current::%s\n' "${gh_current}"
printf 'gatehouse::previous::%s\n' "${gh_previous}"
printf 'gatehouse::last::%s\n' "${gh_last}"
