"""Every page type is valid HTML according to the Nu HTML Checker (vnu.jar from npm)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kb.config import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

PAGES = {
    "home": "/", "home-en": "/?lang=en", "about": "/a-propos", "about-en": "/a-propos?lang=en",
    "search": "/recherche", "search-query": "/recherche?q=jardin&theme=theme-synthetique-1&sort=title",
    "search-page-3": "/recherche?page=3", "search-empty": "/recherche?q=zzzqqq&city=rouen",
    "search-suggestion": "/recherche?q=jardinsge", "search-message": "/recherche?q=le+la+les",
    "search-partial": "/recherche?q=jardinage+zorglub",
    "search-partial-en": "/recherche?q=jardinage+zorglub&lang=en",
    "practice": "/pratiques/alpha-mediation", "practice-hostile": "/pratiques/gamma-piegee",
    "practice-en": "/pratiques/beta-insertion?lang=en",
    "themes": "/themes", "theme": "/themes/tranquillite-residentielle",
    "theme-filtered": "/themes/theme-synthetique-1?city=ville-fictive",
    "landlords": "/bailleurs", "landlord": "/bailleurs/office-test-habitat",
    "cities": "/villes", "city": "/villes/rouen",
    "events": "/rendez-vous", "event": "/rendez-vous/rencontre-future",
    "event-past": "/rendez-vous/rencontre-test", "not-found": "/inconnu",
}


@pytest.mark.skipif(JAVA is None, reason="java is not installed")
@pytest.mark.skipif(not VNU.exists(), reason="vnu.jar is missing: run `npm install` at the project root")
def test_every_page_type_is_valid_html(client, tmp_path):
    files = []
    for name, url in PAGES.items():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.data)
        files.append(str(path))
    method = client.post("/")
    (tmp_path / "method-not-allowed.html").write_bytes(method.data)
    files.append(str(tmp_path / "method-not-allowed.html"))
    result = subprocess.run([JAVA, "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
