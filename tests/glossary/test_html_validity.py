"""The glossary and search-log pages are valid HTML (Nu HTML Checker, vnu.jar from npm)."""

from __future__ import annotations

import datetime as dt

from tests.contribute.support import csrf_token
from tests.live import nu_check


def test_glossary_and_search_log_pages_are_valid_html(client, mod_client, bundled_runtime, tmp_path):
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
    nu_check(files)
