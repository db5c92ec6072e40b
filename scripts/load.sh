#!/usr/bin/env bash
# Load test on 127.0.0.1 only, bounded in time: for each size, a synthetic corpus
# (tests/benchmarks/gen_corpus.py) is imported into a scratch database, served by
# `gunicorn -w 2`, and hit by wrk on the search page and the search API.
#   bash scripts/load.sh [SIZE ...]        (default: 1000 10000)
# Env: KB_LOAD_SECONDS (default 20), KB_LOAD_CONNECTIONS (default 16).
# Leaves nothing running: the server it starts is stopped, and its scratch folder
# removed, when the script ends (even on Ctrl+C).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@"); [ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
SECONDS_PER_RUN=${KB_LOAD_SECONDS:-20}
CONNECTIONS=${KB_LOAD_CONNECTIONS:-16}
PORT=${KB_LOAD_PORT:-5077}

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
bash scripts/install.sh '.[test]'

work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for size in "${SIZES[@]}"; do
  echo "== $size synthetic practices =="
  export KB_DATABASE_URL="sqlite:///$work/kb-$size.sqlite" KB_INDEX_DIR="$work/index-$size"
  export KB_SECRET_KEY="load-test-only"
  .venv/bin/python -c "
from pathlib import Path
from tests.benchmarks.gen_corpus import write_practices
write_practices($size, Path('$work/corpus-$size'))"
  .venv/bin/kb init --corpus "$work/corpus-$size" 2>/dev/null | tail -n 1
  .venv/bin/gunicorn -w 2 -b "127.0.0.1:$PORT" --log-level warning 'kb:create_app()' &
  server=$!
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break; sleep 1; done
  for target in "/recherche?q=" "/api/v1/search?q="; do
    # Warm both workers, then measure.
    KB_LOAD_PATH="$target" wrk -t2 -c4 -d3s -s scripts/load/search.lua "http://127.0.0.1:$PORT" >/dev/null
    printf '%-22s ' "$target"
    KB_LOAD_PATH="$target" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s scripts/load/search.lua \
      "http://127.0.0.1:$PORT" | grep '^RESULT' | sed 's/^RESULT //'
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
