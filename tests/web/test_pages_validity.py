"""The practice sheet, partner, legal, home, about and panorama pages are valid HTML (Nu checker)."""

from __future__ import annotations

from tests.live import needs_nu_checker, nu_check

PAGES = [
    "/pratiques/alpha-mediation", "/pratiques/beta-insertion", "/partenaires",
    "/partenaires/association-exemple", "/mentions-legales", "/", "/a-propos", "/panorama",
    "/recherche?partner=association-exemple", "/donnees",
]


@needs_nu_checker
def test_new_and_changed_pages_are_valid_html_in_both_languages(client, tmp_path):
    files = []
    for n, path in enumerate(PAGES):
        for lang in ("fr", "en"):
            response = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
            assert response.status_code == 200, path
            target = tmp_path / f"page-{n}-{lang}.html"
            target.write_bytes(response.data)
            files.append(str(target))
    nu_check(files)
