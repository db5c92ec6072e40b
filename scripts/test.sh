#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian's Chromium, Java, the Nu HTML
# Checker from npm) and runs the whole suite: lint, then pytest on SQLite, then on a
# local PostgreSQL server (KB_TEST_POSTGRES=0 to leave it out).
#
# Tools are found by the same settings here and in the tests (tests/live.py):
#   KB_CHROMIUM  Chromium's path      (default /usr/bin/chromium, Debian's package)
#   KB_JAVA      java command or path (default java on PATH, Debian's default-jre-headless)
#   KB_VNU_JAR   the Nu checker's jar (default node_modules/vnu-jar/build/dist/vnu.jar, npm ci)
# KB_TEST_STRICT=1 makes any skipped or xfailed test fail the run unless its reason
# is listed in tests/skip-allowlist.txt.
#
# Leaves running: the PostgreSQL server, when this script had to start it
# (stop it with: pg_ctlcluster <version> main stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh '.[test]'

export KB_CHROMIUM="${KB_CHROMIUM:-/usr/bin/chromium}"
export KB_JAVA="${KB_JAVA:-java}"
export KB_VNU_JAR="${KB_VNU_JAR:-$PWD/node_modules/vnu-jar/build/dist/vnu.jar}"
export KB_TEST_STRICT=1

apt_missing=()
if [ ! -x "$KB_CHROMIUM" ]; then
  if [ "$KB_CHROMIUM" != /usr/bin/chromium ]; then
    echo "KB_CHROMIUM=$KB_CHROMIUM is not an executable" >&2; exit 1
  fi
  apt_missing+=(chromium)
fi
if ! command -v "$KB_JAVA" >/dev/null 2>&1; then
  if [ "$KB_JAVA" != java ]; then echo "KB_JAVA=$KB_JAVA is not a command" >&2; exit 1; fi
  apt_missing+=(default-jre-headless)
fi
# WeasyPrint (the PDF sheet, tested) needs Pango from Debian.
if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so"; then
  apt_missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
if [ ${#apt_missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${apt_missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi
if [ ! -f "$KB_VNU_JAR" ]; then
  npm ci --silent --no-audit --no-fund || npm install --silent --no-audit --no-fund
  [ -f "$KB_VNU_JAR" ] || { echo "the Nu checker is still missing at $KB_VNU_JAR" >&2; exit 1; }
fi

.venv/bin/ruff check kb tests setup.py

echo "== Test suite on SQLite =="
env -u KB_DATABASE_URL KB_TEST_DATABASE=sqlite .venv/bin/python -m pytest "$@"

# The whole suite again on PostgreSQL (skip with KB_TEST_POSTGRES=0).
if [ "${KB_TEST_POSTGRES:-1}" != "0" ]; then
  echo "== Test suite on PostgreSQL =="
  pg_url=$(bash scripts/postgres.sh)
  case "$pg_url" in
    postgresql*) ;;
    *) echo "scripts/postgres.sh gave no PostgreSQL URL (got '$pg_url')" >&2; exit 1 ;;
  esac
  # conftest.py stops the session if this pass would fall back to SQLite.
  KB_DATABASE_URL="$pg_url" KB_TEST_DATABASE=postgresql .venv/bin/python -m pytest "$@"
fi
