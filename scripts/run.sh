#!/usr/bin/env bash
# Sets kb up on a fresh machine and serves it: virtualenv, install with the PDF sheet
# (skipped when nothing changed; Pango from Debian when it can), database, bundled
# corpus, search index, then the site on http://127.0.0.1:5000/ in the foreground. Run-time state goes to instance/
# (KB_HOME). Nothing keeps running after Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
# The PDF sheet (WeasyPrint) needs Pango from Debian: installed here when it can be.
if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so"; then
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    echo "Installation de Pango (fiches PDF)…"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo -n"; fi
    $SUDO apt-get update -qq >/dev/null || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null \
      || echo "Fiche PDF désactivée : l'installation de Pango a échoué (apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
  else
    echo "Fiche PDF désactivée : la bibliothèque Pango manque (Debian : apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
  fi
fi
bash scripts/install.sh '.[pdf]'
.venv/bin/kb init
# The first command serves a demonstration instance, which says so on every page
# (KB_DEMO=0 to serve it as an ordinary instance).
export KB_DEMO="${KB_DEMO:-1}"
exec .venv/bin/kb serve "$@"
