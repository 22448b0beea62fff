# shellcheck shell=bash
# Under one advisory lock held by a psql session kept open as a coprocess for the whole script:
# re-check the snapshot, back up and verify, stamp, migrate, then list what the backup does not
# hold. The lock goes when psql's input closes, which the kernel does for us if the script dies.
#
# Marks (each on a line of its own): lock-failed; changed-begin … changed-end; backup-failed;
# backup-unverified; backup, removed; <step>-begin … <step>-end <rc>; leftover <hex>,
# leftovers-listed; finished.
coproc LOCKER { "${with_url[@]}" psql -X -q -A -t -v ON_ERROR_STOP=1; }
printf 'SET lock_timeout = %d;\nSELECT pg_advisory_lock(%s);\nSELECT %s;\n' \
  "${LOCK_TIMEOUT_MS}" "${LOCK_KEY_SQL}" "'locked-' || 'ok'" >&"${LOCKER[1]}"
locked=no
while IFS= read -r line <&"${LOCKER[0]}"; do
  if [[ "${line}" == locked-ok ]]; then
    locked=yes
    break
  fi
done
if [[ "${locked}" != yes ]]; then
  echo "${MARK}:lock-failed"
  exit 3
fi
now="$(snapshot)"
if [[ "${now}" != "${EXPECTED}" ]]; then
  echo "${MARK}:changed-begin"
  echo "${now}"
  echo "${MARK}:changed-end"
  exit 4
fi

# Our backups, oldest first, in `ours`: names sort by time, and a glob sorts by the collation, so
# C (local to the function) makes it byte order.
list_backups() {
  local LC_ALL=C old
  ours=()
  for old in "${BACKUP_DIR}/${BACKUP_NAME}-"*.dump; do
    if [[ "${old##*/}" =~ ^"${BACKUP_NAME}"-[0-9]+T[0-9]+Z\.dump$ ]]; then ours+=("${old}"); fi
  done
}

# shellcheck disable=SC2317 # run by the EXIT trap the backup sets
drop_partial() { rm -f -- "${BACKUP_FILE}.partial"; }

# pg_dump to a `.partial` file renamed once whole, then read back with pg_restore --list. Partial
# files of runs killed mid-dump are swept first: this run holds the lock, so none is being written.
if [[ "${BACKUP}" == true ]]; then
  objects_before="$("${psql[@]}" "${OBJECTS_SQL}")"
  mkdir -p -- "${BACKUP_DIR}"
  BACKUP_DIR="$(cd -- "${BACKUP_DIR}" && pwd)"
  BACKUP_FILE="${BACKUP_DIR}/${BACKUP_NAME}-${BACKUP_TIMESTAMP}.dump"
  rm -f -- "${BACKUP_DIR}/${BACKUP_NAME}-"*.dump.partial
  trap drop_partial EXIT
  trap 'exit 143' TERM HUP INT
  if ! "${with_url[@]}" pg_dump -Fc >"${BACKUP_FILE}.partial"; then
    echo "${MARK}:backup-failed"
    exit 5
  fi
  mv -- "${BACKUP_FILE}.partial" "${BACKUP_FILE}"
  bytes="$(stat -c %s -- "${BACKUP_FILE}")"
  verified=no
  if (( bytes > 0 )) && listing="$("${inside[@]}" 'exec pg_restore --list' <"${BACKUP_FILE}")"; then verified=yes; fi
  if [[ "${verified}" != yes ]]; then
    printf '%s:backup-unverified\t%s\t%s\n' "${MARK}" "${BACKUP_FILE}" "${bytes}"
    exit 5
  fi
  entries="$(printf '%s\n' "${listing}" | grep -cv -e '^;' -e '^$' || true)"
  printf '%s:backup\t%s\t%s\t%s\n' "${MARK}" "${BACKUP_FILE}" "${bytes}" "${entries}"
  list_backups
  for ((i = 0; i < ${#ours[@]} - BACKUP_KEEP; i++)); do
    if rm -f -- "${ours[i]}"; then printf '%s:removed\t%s\n' "${MARK}" "${ours[i]##*/}"; fi
  done
fi

# Each step's output goes to the log as it came; its end mark starts a line of its own. A step
# runs only if none before it failed.
failed=""
run_step() {
  local step="$1" command="$2" rc=0
  if [[ -n "${failed}" || -z "${command}" ]]; then return 0; fi
  echo "${MARK}:${step}-begin"
  "${inside[@]}" "${command}" 2>&1 || rc=$?
  printf '\n%s\t%s\n' "${MARK}:${step}-end" "${rc}"
  if (( rc != 0 )); then failed="${step}"; fi
}
run_step stamp "${STAMP_COMMAND}"
run_step migrate "${MIGRATE_COMMAND}"

# Objects the database holds now that it did not when the backup was taken; best effort.
if [[ "${BACKUP}" == true ]] && objects_after="$("${psql[@]}" "${OBJECTS_SQL}")"; then
  declare -A had=()
  while IFS= read -r object; do had["${object}"]=1; done <<<"${objects_before}"
  while IFS= read -r object; do
    if [[ -n "${object}" && -z "${had["${object}"]+set}" ]]; then printf '%s:leftover\t%s\n' "${MARK}" "${object}"; fi
  done <<<"${objects_after}"
  echo "${MARK}:leftovers-listed"
fi
echo "${MARK}:finished"
if [[ -n "${failed}" ]]; then exit 6; fi
