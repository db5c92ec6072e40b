#!/usr/bin/env bash
# Makes .venv and installs kb in it (editable, with the extras given as $1, e.g.
# '.[test]'), only when something that decides the install changed since the
# last time: pyproject.toml, setup.py, the Python version or the extras asked.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
target=${1:-.}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
digest() {
  { cat pyproject.toml setup.py; .venv/bin/python --version; echo "$1"; } | sha256sum | cut -d' ' -f1
}
stamp=.venv/kb-install.sha256
wanted=$(digest "$target")
# An install with the test extras also satisfies a plain one, or one with the PDF extra.
if [ -f "$stamp" ] && grep -qx -e "$wanted" -e "$(case "$target" in .|'.[pdf]') digest '.[test]' ;; *) echo none ;; esac)" "$stamp" \
   && .venv/bin/python -c "import kb" 2>/dev/null; then
  exit 0
fi
echo "Installation de kb et de ses dépendances dans .venv ($target)…"
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e "$target"
echo "$wanted" > "$stamp"
