"""CSV of a search, iCalendar, sitemap.xml and robots.txt."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from kb.services.reuse.spreadsheet import neutralise
from kb.web.exports import CSV_COLUMNS, ical_fold, ical_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Synthetic files written into this test's copy of the corpus only.
TRAP = """---
title: "=HYPERLINK(\\"http://evil.example\\",\\"clic\\")"
summary: "+33 1 23 45 67 89 : un résumé qui commence comme une formule."
themes:
  - "@Thème piégé"
landlords:
  - Office Test Habitat
cities:
  - Rouen
districts:
  - "-Quartier moins"
status: terminée
started: 2019-05-01
ended: 2023
---

Corps synthétique.
"""
EVENT = """---
title: Journée d’échanges synthétique, avec virgules; points-virgules et accents éèàç
date: 2025-03-10
end_date: 2025-03-11
place: Salle fictive, 2e étage; Rouen
organisers:
  - Office Test Habitat
themes:
  - Tranquillité résidentielle
  - Insertion et emploi
practices:
  - alpha-mediation
  - piege-csv
summary: "Ligne un\\nligne deux avec une barre oblique \\\\ inverse, et une très longue phrase \\
  qui dépasse largement soixante-quinze octets."
---

Programme synthétique.
"""


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    (target / "piege-csv.md").write_text(TRAP, encoding="utf-8")
    (target / "rendez-vous" / "journee-echanges.md").write_text(EVENT, encoding="utf-8")
    return target


def _csv(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/recherche.csv{query}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert tuple(rows[0]) == CSV_COLUMNS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


# -- CSV -----------------------------------------------------------------------------


def test_csv_lists_every_match_with_all_columns(client):
    rows = {r["slug"]: r for r in _csv(client)}
    assert set(rows) == {"alpha-mediation", "beta-insertion", "piege-csv"}
    alpha = rows["alpha-mediation"]
    assert alpha["titre"] == "Médiation de soirée (fictive)"
    assert alpha["bailleurs"] == "Office Test Habitat"
    assert alpha["partenaires"] == "Association Exemple"
    assert alpha["villes"] == "Saint-Étienne" and alpha["quartiers"] == "Quartier Test"
    assert (alpha["statut"], alpha["début"], alpha["niveau de preuve"]) == ("en cours", "2021", "émergente")
    assert alpha["url"] == "http://localhost/pratiques/alpha-mediation"
    assert rows["beta-insertion"]["villes"] == "Saint-Étienne | Rouen"
    assert (rows["piege-csv"]["début"], rows["piege-csv"]["fin"]) == ("2019-05-01", "2023")


def test_csv_neutralises_formulas(client):
    trap = next(r for r in _csv(client) if r["slug"] == "piege-csv")
    assert trap["titre"] == "'=HYPERLINK(\"http://evil.example\",\"clic\")"
    assert trap["résumé"].startswith("'+33")
    assert trap["thèmes"] == "'@Thème piégé"
    assert trap["quartiers"] == "'-Quartier moins"
    assert trap["bailleurs"] == "Office Test Habitat"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_neutralise_prefixes_formula_starts(cell):
    assert neutralise(cell) == "'" + cell
    assert neutralise("a" + cell) == "a" + cell


def test_csv_applies_the_search_filters_text_and_sort(client):
    assert [r["slug"] for r in _csv(client, "?city=rouen&sort=title")] == ["piege-csv", "beta-insertion"]
    assert [r["slug"] for r in _csv(client, "?city=rouen&city=saint-etienne&status=en-cours")] == [
        "alpha-mediation"]
    assert [r["slug"] for r in _csv(client, "?q=m%C3%A9diation")] == ["alpha-mediation"]
    assert _csv(client, "?theme=inconnu") == []


@pytest.mark.parametrize("query", ["?page=abc&sort=zzz", "?year=deux&limit=-5", "?q=" + "%00" * 400,
                                   "?q=NOT+AND+x", "?theme=" + "x" * 500])
def test_csv_never_fails_on_odd_parameters(client, query):
    rows = _csv(client, query)  # a real CSV: its type, its BOM, its header (checked in _csv)
    assert all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_csv_pages_through_every_result_up_to_the_cap(client, loaded_runtime, monkeypatch):
    from kb.services import reuse

    everything = [r["slug"] for r in _csv(client, "?sort=title")]
    monkeypatch.setattr(reuse, "PAGE", 1)  # each search call now returns a single hit
    assert [r["slug"] for r in _csv(client, "?sort=title")] == everything
    assert len(everything) == 3
    with loaded_runtime.session(write=False) as session:
        capped = reuse.search_all_slugs(session, loaded_runtime.index, "", {}, "title", cap=2)
    assert capped == everything[:2]


# -- iCalendar -------------------------------------------------------------------------


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def _check_calendar(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, line
    lines = _unfold(text)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(x.startswith("PRODID:") for x in lines)
    return lines


def _events(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return events


def test_agenda_ics_is_valid_and_complete(client):
    response = client.get("/rendez-vous.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = {e["UID"]: e for e in _events(_check_calendar(response.data))}
    assert set(events) == {"rendez-vous-rencontre-test@localhost", "rendez-vous-journee-echanges@localhost"}
    for event in events.values():
        required = {"DTSTAMP", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "SUMMARY", "DESCRIPTION", "URL"}
        assert set(event) >= required
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    one = events["rendez-vous-rencontre-test@localhost"]
    assert (one["DTSTART;VALUE=DATE"], one["DTEND;VALUE=DATE"]) == ("20250114", "20250115")
    assert "LOCATION" not in one


def test_ics_escapes_text_and_folds_long_lines(client):
    response = client.get("/rendez-vous/journee-echanges.ics")
    assert response.status_code == 200
    raw = response.data.decode("utf-8")
    assert "\r\n " in raw  # the long lines were folded
    (event,) = _events(_check_calendar(response.data))
    assert event["SUMMARY"] == ("Journée d’échanges synthétique\\, avec virgules\\; points-virgules "
                                "et accents éèàç")
    assert event["LOCATION"] == "Salle fictive\\, 2e étage\\; Rouen"
    assert (event["DTSTART;VALUE=DATE"], event["DTEND;VALUE=DATE"]) == ("20250310", "20250312")
    assert event["CATEGORIES"] == "Tranquillité résidentielle,Insertion et emploi"
    description = event["DESCRIPTION"]
    assert description.startswith("Ligne un\\nligne deux avec une barre oblique \\\\ inverse\\, ")
    assert "http://localhost/pratiques/piege-csv" in description


def test_ics_of_unknown_rendez_vous_is_404(client):
    assert client.get("/rendez-vous/inconnu.ics").status_code == 404
    assert client.get("/rendez-vous/A..B.ics").status_code == 404


def test_ical_helpers():
    assert ical_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 100
    folded = ical_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line  # no character cut
    assert ical_fold("SHORT:x") == "SHORT:x"


# -- sitemap and robots -------------------------------------------------------------


def _sitemap(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.data)
    assert root.tag == f"{SITEMAP}urlset"
    return [url.findtext(f"{SITEMAP}loc") for url in root]


def test_sitemap_lists_pages_and_every_published_practice(client):
    locs = _sitemap(client)
    assert len(locs) == len(set(locs))
    for path in ("/", "/themes", "/bailleurs", "/villes", "/rendez-vous", "/panorama", "/a-propos",
                 "/pratiques/alpha-mediation", "/pratiques/beta-insertion", "/pratiques/piege-csv",
                 "/themes/insertion-et-emploi", "/bailleurs/office-test-habitat", "/villes/rouen",
                 "/rendez-vous/rencontre-test"):
        assert f"http://localhost{path}" in locs, path
    practices = [loc for loc in locs if "/pratiques/" in loc]
    assert len(practices) == 3


def test_sitemap_only_lists_pages_the_app_serves(client):
    for loc in _sitemap(client):
        path = loc.removeprefix("http://localhost")
        assert client.get(path).status_code == 200, path


def test_practices_have_a_lastmod(client):
    root = ET.fromstring(client.get("/sitemap.xml").data)
    practices = [url for url in root if "/pratiques/" in url.findtext(f"{SITEMAP}loc")]
    assert practices  # else the loop below would check nothing
    for url in practices:
        dt.date.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))


def test_robots_allows_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Allow: /" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow:")}
    assert disallowed == {"/moderation", "/contribuer/suivi/"}
