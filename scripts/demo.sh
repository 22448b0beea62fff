#!/usr/bin/env bash
# The local demo of the pipeline, on a fresh machine with only Node >= 20 and npm.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec pnpm --silent exec tsx scripts/demo.ts "$@"
