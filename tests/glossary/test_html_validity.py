"""The glossary and search-log pages are valid HTML (Nu HTML Checker, vnu.jar from npm)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

from kb.config import ROOT
from tests.contribute.support import csrf_token

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_glossary_and_search_log_pages_are_valid_html(client, mod_client, bundled_runtime, tmp_path):
    java = shutil.which("java")
    assert java and VNU.exists(), "the Nu checker needs java and `npm ci` at the project root"
    from kb.models import SearchLogEntry

    with bundled_runtime.session() as session:
        session.add(SearchLogEntry(day=dt.date.today(), query="équipe <mobile> & nuit",
                                   filters="city=paris;theme=sante-mentale", results=0))
    token = csrf_token(client, "/glossaire/proposer")
    client.post("/glossaire/proposer", data={"csrf_token": token, "acronym": "PLAI",
                                             "expansion": "prêt locatif aidé d’intégration"})
    pages = {
        "glossary": client.get("/glossaire"), "glossary-en": client.get("/glossaire?lang=en"),
        "propose": client.get("/glossaire/proposer"),
        "propose-errors": client.post("/glossaire/proposer", data={"csrf_token": token,
                                                                   "acronym": "q p v"}),
        "practice": client.get("/pratiques/groupement-parisien-interbailleurs-de-surveillance"),
        "moderation": mod_client.get("/moderation/glossaire"),
        "edit": mod_client.get("/moderation/glossaire/QPV/modifier"),
        "searches": mod_client.get("/moderation/recherches"),
    }
    files = []
    for name, response in pages.items():
        assert response.status_code in (200, 400), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.data)
        files.append(str(path))
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
