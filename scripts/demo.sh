#!/usr/bin/env bash
# The local demo: .github/workflows/deploy.yml itself, run against a world on this machine, on a
# fresh machine with only Node >= 20, npm and git. Run as root on Debian or Ubuntu, it installs
# Debian's PostgreSQL first (the runs then take verified pg_dump backups); otherwise, without a
# PostgreSQL install, the demo uses an embedded database and takes no backups. Extra arguments go
# to the demo (`--database postgres|embedded`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --database
exec pnpm --silent exec tsx scripts/demo.ts "$@"
