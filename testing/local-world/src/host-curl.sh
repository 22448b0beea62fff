#!/usr/bin/env bash
# Each emulated host's loopback as its own (see host-loopback.ts): a request for
# http(s)://127.0.0.1:<port> or localhost:<port>, made on host $AWS_SSM_INSTANCE_ID, goes to the
# listener the world registered for that host and port (../maps/<host>: "<port> <url>" lines).
# Anything else, or a port nothing is registered for, reaches the real curl unchanged.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
map="${here}/../maps/${AWS_SSM_INSTANCE_ID:-none}"
args=()
for arg in "$@"; do
  if [[ -f "${map}" && "${arg}" =~ ^https?://(127\.0\.0\.1|localhost):([0-9]+)(/.*)?$ ]]; then
    port="${BASH_REMATCH[2]}"
    rest="${BASH_REMATCH[3]}"
    url="$(awk -v port="${port}" '$1 == port { print $2 }' "${map}")"
    [[ -n "${url}" ]] && arg="${url}${rest}"
  fi
  args+=("${arg}")
done
real="$(cat "${here}/../real-curl")"
exec "${real}" "${args[@]}"
