#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian's Chromium, the Nu HTML
# Checker from npm) and runs the whole suite: lint, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[test]'

apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
command -v java >/dev/null 2>&1 || apt_missing+=(default-jre-headless)
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${apt_missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

if [ -f package.json ] && [ ! -d node_modules/vnu-jar ]; then
  npm ci --silent --no-audit --no-fund || npm install --silent --no-audit --no-fund
fi

.venv/bin/ruff check kb tests

echo "== Test suite on SQLite =="
env -u KB_DATABASE_URL .venv/bin/python -m pytest "$@"

# The whole suite again on PostgreSQL (skip with KB_TEST_POSTGRES=0).
if [ "${KB_TEST_POSTGRES:-1}" != "0" ]; then
  echo "== Test suite on PostgreSQL =="
  pg_url=$(bash scripts/postgres.sh)
  KB_DATABASE_URL="$pg_url" .venv/bin/python -m pytest "$@"
fi
