#!/usr/bin/env bash
# Sets kb up on a fresh machine and serves it: virtualenv, install (skipped when
# nothing changed), database, bundled corpus, search index, then the site on
# http://127.0.0.1:5000/ in the foreground. Run-time state goes to instance/
# (KB_HOME). Nothing keeps running after Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh .
.venv/bin/kb init
exec .venv/bin/kb serve "$@"
