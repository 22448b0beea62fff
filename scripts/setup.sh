#!/usr/bin/env bash
# Installs what Gatehouse's commands need on a fresh machine that has only Node >= 20 and npm:
# pnpm (pinned by package.json's packageManager), the workspace's packages, and with
# --system-packages the Debian packages the tests use (PostgreSQL, Alembic, Django, Flask-Migrate,
# git, openssl, curl, gnupg, shellcheck for the host scripts, python3-botocore for AWS's service
# models, which the SSM tests check requests and answers against, and jq and PyYAML, which the
# Railway example's steps run).
# --database installs only PostgreSQL (for the demo), and only where it can: as root with apt-get;
# elsewhere it says so and goes on (the demo then uses an embedded database).
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "Installing pnpm $pnpm_version"
  npm install --global --no-fund --no-audit --loglevel=error "pnpm@$pnpm_version"
fi

if [ "${1:-}" = "--database" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null && ! command -v pg_ctl >/dev/null &&
    ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    echo "Installing Debian's PostgreSQL (postgresql, postgresql-client) for the demo"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
  fi
elif [ "${1:-}" = "--system-packages" ]; then
  packages=(postgresql postgresql-client python3-alembic alembic python3-psycopg2 python3-django
    python3-flask-migrate python3-flask-sqlalchemy python3-botocore python3-yaml git openssl curl jq gnupg
    util-linux procps shellcheck)
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "Missing Debian packages: ${missing[*]} (run as root, or install them yourself)" >&2
      exit 1
    fi
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

pnpm install --frozen-lockfile --reporter=silent
