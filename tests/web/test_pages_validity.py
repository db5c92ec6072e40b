"""The practice sheet, partner, legal, home, about and panorama pages are valid HTML (Nu checker)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from kb.config import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

PAGES = [
    "/pratiques/alpha-mediation", "/pratiques/beta-insertion", "/partenaires",
    "/partenaires/association-exemple", "/mentions-legales", "/", "/a-propos", "/panorama",
    "/recherche?partner=association-exemple",
]


@pytest.mark.skipif(JAVA is None, reason="java is not installed")
@pytest.mark.skipif(not VNU.exists(), reason="vnu.jar is missing: run `npm ci` at the project root")
def test_new_and_changed_pages_are_valid_html_in_both_languages(client, tmp_path):
    files = []
    for n, path in enumerate(PAGES):
        for lang in ("fr", "en"):
            response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
            assert response.status_code == 200, path
            target = tmp_path / f"page-{n}-{lang}.html"
            target.write_bytes(response.data)
            files.append(str(target))
    result = subprocess.run([JAVA, "-jar", str(VNU), "--errors-only", "--format", "gnu", *files],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr + result.stdout
