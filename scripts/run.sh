#!/usr/bin/env bash
# Sets kb up on a fresh machine and serves it: virtualenv, install, database,
# bundled corpus, search index, then the site on http://127.0.0.1:5000/.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
.venv/bin/kb init
exec .venv/bin/kb serve "$@"
