"""/panorama: charts and map drawn in SVG, with counts right and unplaced cities listed."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kb.services.reuse import Count, communes, france_outline
from kb.taxonomy import slugify
from kb.web.panorama import MAP_HEIGHT, MAP_WIDTH, bar_chart, fill_years, project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
PREFECTURES = """Bourg-en-Bresse Laon Moulins Digne-les-Bains Gap Nice Privas Charleville-Mézières Foix Troyes
Carcassonne Rodez Marseille Caen Aurillac Angoulême La_Rochelle Bourges Tulle Ajaccio Bastia Dijon
Saint-Brieuc Guéret Périgueux Besançon Valence Évreux Chartres Quimper Nîmes Toulouse Auch Bordeaux
Montpellier Rennes Châteauroux Tours Grenoble Lons-le-Saunier Mont-de-Marsan Blois Saint-Étienne
Le_Puy-en-Velay Nantes Orléans Cahors Agen Mende Angers Saint-Lô Châlons-en-Champagne Chaumont Laval
Nancy Bar-le-Duc Vannes Metz Nevers Lille Beauvais Alençon Arras Clermont-Ferrand Pau Tarbes Perpignan
Strasbourg Colmar Lyon Vesoul Mâcon Le_Mans Chambéry Annecy Paris Rouen Melun Versailles Niort Amiens
Albi Montauban Toulon Avignon La_Roche-sur-Yon Poitiers Limoges Épinal Auxerre Belfort
Évry-Courcouronnes Nanterre Bobigny Créteil Cergy""".split()  # noqa: SIM905


def practice(slug: str, cities: list[str], started: int, theme: str = "Insertion et emploi") -> tuple:
    return slug, f"""---
title: Pratique {slug} (synthétique)
summary: Pratique synthétique pour le panorama.
themes:
  - {theme}
landlords:
  - Bailleur Fictif
cities:
{chr(10).join(f"  - {c}" for c in cities)}
started: {started}
---

Corps synthétique.
"""


EXTRA = [
    practice("pano-paris", ["Paris"], 2018),
    practice("pano-lyon-paris", ["Lyon", "Paris"], 2018, "Tranquillité résidentielle"),
    practice("pano-inventee", ["Ville Inventée", "Saint-Étienne"], 2024),
]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    for slug, text in EXTRA:
        (target / f"{slug}.md").write_text(text, encoding="utf-8")
    return target


class Page(HTMLParser):
    """Collects what the tests look at: tags with attributes, ids, style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _page(client) -> tuple[str, Page]:
    response = client.get("/panorama")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = Page()
    page.feed(html)
    return html, page


ROW = r'<a href="/{}/([a-z0-9-]+)">[^<]+</a></th>\s*<td><span class="pano-count">(\d+)</span>'


def _section(html: str, key: str) -> str:
    start = html.index(f'id="pano-{key}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_panorama_draws_svg_charts_and_a_map(client):
    html, page = _page(client)
    svgs = [attrs for tag, attrs in page.tags if tag == "svg"]
    (the_map,) = [a for a in svgs if a.get("class") != "pano-barbox"]
    assert the_map["viewbox"] == f"0 0 {MAP_WIDTH} {MAP_HEIGHT}"
    assert f'id="{the_map["aria-labelledby"]}"' in html  # the caption it names exists
    assert html.count("<polygon") == len(france_outline())
    bars = [a for a in svgs if a.get("class") == "pano-barbox"]
    # one bar per value: 2 themes, 2 landlords, 5 cities, 7 years (2018..2024)
    assert len(bars) == 2 + 2 + 5 + 7
    assert all(a["aria-hidden"] == "true" for a in bars)  # the table says it in words
    captions = re.findall(r'<table class="pano-chart">\s*<caption>([^<]+)</caption>', html)
    assert len(captions) == 4
    assert "panorama.css" in html


def test_no_inline_style_and_unique_ids(client):
    _html, page = _page(client)
    assert not [tag for tag, attrs in page.tags if "style" in attrs]
    ids = [attrs["id"] for _tag, attrs in page.tags if "id" in attrs]
    assert len(ids) == len(set(ids))


def test_counts_are_right(client):
    html, _page_ = _page(client)
    city = _section(html, "city")
    rows = dict(re.findall(ROW.format("villes"), city))
    assert rows == {"saint-etienne": "3", "paris": "2", "rouen": "1", "lyon": "1", "ville-inventee": "1"}
    theme = _section(html, "theme")
    rows = dict(re.findall(ROW.format("themes"), theme))
    assert rows == {"insertion-et-emploi": "3", "tranquillite-residentielle": "3"}
    years = _section(html, "year")
    assert re.findall(r'<th scope="row">(?:<a href="[^"]+">)?(\d{4})', years) == [
        str(y) for y in range(2018, 2025)]  # 2018..2024, gaps filled
    count = r'</th>\s*<td><span class="pano-count">'
    assert re.search(r'<a href="/recherche\?year=2018">2018</a>' + count + "2<", years)
    assert re.search(r'<th scope="row">2019' + count + "0<", years)  # no link for an empty year


def test_map_places_known_cities_and_lists_the_others(client):
    html, page = _page(client)
    carte = _section(html, "carte")
    dot = r'<a href="/villes/([a-z0-9-]+)" aria-label="([^"]+)">\s*<title>([^<]+)</title>\s*<circle'
    links = re.findall(dot, carte)
    assert {slug for slug, _label, _title in links} == {"saint-etienne", "paris", "rouen", "lyon"}
    for _slug, label, title in links:
        assert label == title
    assert "Saint-Étienne : 3 pratiques" in carte
    circles = [attrs for tag, attrs in page.tags if tag == "circle"]
    radii = {float(c["r"]) for c in circles}
    assert max(radii) > min(radii)  # sized by count
    for c in circles:
        assert 0 <= float(c["cx"]) <= MAP_WIDTH and 0 <= float(c["cy"]) <= MAP_HEIGHT
    unplaced = carte[carte.index("Villes non placées"):]
    assert '<a href="/villes/ville-inventee">Ville Inventée</a> (1 pratique)' in unplaced
    assert "saint-etienne" not in unplaced


def test_unpublished_practices_are_not_counted(client, loaded_runtime):
    from sqlalchemy import select

    from kb.models import Practice

    with loaded_runtime.session() as session:
        session.scalars(select(Practice).where(Practice.slug == "pano-inventee")).one().published = False
    html, _page_ = _page(client)
    assert "ville-inventee" not in html and "Villes non placées" not in html
    assert "2024" not in _section(html, "year")


# -- the pure parts ----------------------------------------------------------------


def test_bar_chart_scales_and_folds_the_long_tail():
    counts = [Count(f"v{i}", f"Valeur {i}", 20 - i) for i in range(20)]
    chart = bar_chart("theme", counts, {c.slug: f"/x/{c.slug}" for c in counts})
    assert len(chart.bars) == 15 and len(chart.more) == 5
    assert chart.bars[0].length == 100 and chart.bars[1].length == 95
    assert chart.bars[0].href == "/x/v0"
    years = bar_chart("year", [Count(str(y), str(y), y % 2) for y in range(2000, 2030)], {
        str(y): f"/r?year={y}" for y in range(2000, 2030)})
    assert len(years.bars) == 30 and not years.more  # a time series is drawn whole
    assert years.bars[0].href is None and years.bars[0].length == 0


def test_fill_years_leaves_wide_spans_alone():
    assert [c.slug for c in fill_years([Count("1900", "1900", 1), Count("2020", "2020", 1)])] == [
        "1900", "2020"]


def test_communes_table_is_sound():
    table = communes()
    for slug, commune in table.items():
        assert slug == slugify(commune.name)
        assert 41.3 <= commune.latitude <= 51.1 and -4.8 <= commune.longitude <= 9.6, commune
        x, y = project(commune.latitude, commune.longitude)
        assert 0 <= x <= MAP_WIDTH and 0 <= y <= MAP_HEIGHT
    missing = [name for name in PREFECTURES if slugify(name.replace("_", " ")) not in table]
    assert not missing and len(PREFECTURES) == 96
    for name in ("Boulogne-Billancourt", "Villeurbanne", "Le Havre", "Saint-Denis", "Argenteuil"):
        assert slugify(name) in table
    paris, marseille = table["paris"], table["marseille"]
    assert (round(paris.latitude), round(paris.longitude)) == (49, 2)
    assert (round(marseille.latitude), round(marseille.longitude)) == (43, 5)


def test_outline_is_inside_the_map():
    polygons = france_outline()
    assert len(polygons) == 2 and 40 <= len(polygons[0]) <= 80
    for polygon in polygons:
        for lat, lon in polygon:
            x, y = project(lat, lon)
            assert 0 <= x <= MAP_WIDTH and 0 <= y <= MAP_HEIGHT
