# shellcheck shell=bash
# On-host verification (verify-command, verify-url), retried until it passes or verify-timeout
# ends. Read only for Gatehouse: it writes no file. A failure prints `gatehouse::verify-failed::`
# and the caller exits GH_VERIFY_FAILED_EXIT, so the runner counts the host as failed.

# One attempt: leaves gh_verify_why empty when it passed, else says why it did not.
gh_verify_once() {
  local left out rc code named word
  gh_verify_why=""
  left=$(( gh_verify_deadline - SECONDS ))
  if (( left < 1 )); then left=1; fi
  if [[ -n "${GH_VERIFY_COMMAND}" ]]; then
    rc=0
    out="$(cd -- "${GH_APP_DIR}" && timeout --kill-after=2 "${left}" bash -euo pipefail -c "${GH_VERIFY_COMMAND}" gatehouse-verify </dev/null 2>&1)" || rc=$?
    if (( rc != 0 )); then
      gh_verify_why="verify-command exited ${rc}"
      if (( rc == 124 )); then gh_verify_why="${gh_verify_why} (stopped at verify-timeout)"; fi
      if [[ -n "${out}" ]]; then gh_verify_why="${gh_verify_why}: ${out##*$'\n'}"; fi
      return 0
    fi
  fi
  if [[ -n "${GH_VERIFY_URL}" ]]; then
    if (( left > 10 )); then left=10; fi
    rc=0
    out="$(curl --silent --show-error --include --proto '=http,https' --max-time "${left}" --write-out '\n%{http_code}' -- "${GH_VERIFY_URL}" 2>&1)" || rc=$?
    if (( rc != 0 )); then
      gh_verify_why="verify-url: $(printf '%s\n' "${out}" | grep -m 1 '^curl:' || echo "curl exited ${rc}")"
      return 0
    fi
    code="${out##*$'\n'}"
    if [[ ! "${code}" =~ ^2[0-9][0-9]$ ]]; then
      gh_verify_why="verify-url answered HTTP ${code}"
      return 0
    fi
    if [[ -n "${DEPLOY_SHA}" ]]; then
      # Apps often report a short SHA: any hex word of 7 to 40 characters that starts the
      # deployed commit names it, in the body or the headers (the last line is curl's status).
      named=no
      while IFS= read -r word; do
        if [[ "${DEPLOY_SHA}" == "${word}"* ]]; then named=yes; fi
      done < <(printf '%s\n' "${out%$'\n'*}" | tr -c '0-9a-fA-F' '\n' | tr 'A-F' 'a-f' | grep -E '^[0-9a-f]{7,40}$' || true)
      if [[ "${named}" != yes ]]; then
        gh_verify_why="verify-url answered HTTP ${code} but names neither commit ${DEPLOY_SHA} nor a 7+ character prefix of it in its body or headers"
        return 0
      fi
    fi
  fi
}

gh_verify() {
  set -euo pipefail
  local attempts=0
  gh_verify_deadline=$(( SECONDS + GH_VERIFY_TIMEOUT ))
  while :; do
    attempts=$((attempts + 1))
    gh_verify_once
    if [[ -z "${gh_verify_why}" ]]; then
      printf 'gatehouse::verified::%s (attempt %s)\n' "${GH_VERIFY_WHAT}" "${attempts}"
      return 0
    fi
    if (( SECONDS >= gh_verify_deadline )); then
      printf 'gatehouse::verify-failed::%s (%s attempts in %ss)\n' "${gh_verify_why}" "${attempts}" "${GH_VERIFY_TIMEOUT}"
      echo "gatehouse: verification failed on this host: ${gh_verify_why}" >&2
      return 1
    fi
    sleep 1
  done
}
