"""/panorama: the official map of France, numbered circles, unknown cities listed, honest charts.

The corpus is the synthetic fixture corpus plus practices invented here, placed
in real communes named in every way a contributor may write them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html

from kb.services import geography
from kb.web.panorama import DOT_MIN, MAINLAND_HEIGHT, MAP_WIDTH, insets

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


def practice(slug: str, cities: list[str], started: int | None) -> tuple[str, str]:
    year = f"started: {started}\n" if started else ""
    listed = "".join(f"\n  - \"{c}\"" for c in cities) if cities else " []"
    return slug, f"""---
title: Pratique {slug} (synthétique)
summary: Pratique synthétique pour le panorama.
themes:
  - Insertion et emploi
landlords:
  - Bailleur Fictif
cities:{listed}
{year}---

Corps synthétique.
"""


EXTRA = [
    practice("pano-paris", ["Paris"], 2004),
    practice("pano-paris-lyon", ["Paris", "Lyon 3e arrondissement"], 2004),
    practice("pano-arrondissement", ["Paris 10e", "Marseille 1er arrondissement"], 2018),
    practice("pano-code", ["2A004"], None),
    practice("pano-outre-mer", ["Fort-de-France", "97411"], 2024),
    practice("pano-inventee", ["Ville Inventée", "Saint-Étienne"], None),
    practice("pano-sans-ville", [], None),
]


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES, target)
    for slug, text in EXTRA:
        (target / f"{slug}.md").write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def page(client):
    response = client.get("/panorama")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def circles(source: str) -> dict[str, tuple[int, int, float, float, float]]:
    """City -> (number, count, x, y, r) of each circle of the map."""
    found = {}
    for number, name, count, x, y, r in re.findall(
            r'<a href="/recherche\?city=[a-z0-9-]+" aria-label="(\d+)\. ([^:]+) : (\d+) pratiques?">'
            r'\s*<title>[^<]+</title>\s*<circle class="pano-dot" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"',
            source):
        found[name] = (int(number), int(count), float(x), float(y), float(r))
    return found


def test_every_city_the_tables_know_is_a_numbered_circle_and_in_the_legend(page):
    drawn = circles(page)
    # "Lyon 3e arrondissement", "Paris 10e", "Marseille 1er arrondissement" are their communes
    assert set(drawn) == {"Paris", "Lyon", "Marseille",
                          "2A004", "Fort-de-France", "97411", "Saint-Étienne", "Rouen"}
    assert (drawn["Paris"][:2], drawn["Saint-Étienne"][:2]) == ((1, 3), (2, 3))  # most first
    assert sorted(n for n, *_ in drawn.values()) == list(range(1, len(drawn) + 1))
    legend = html.fromstring(page).xpath("//ol[@class='pano-legend']/li")
    assert {li.get("value"): li.xpath("string(a)") for li in legend} == \
        {str(n): name for name, (n, *_) in drawn.items()}
    for name, (_n, _count, x, y, _r) in drawn.items():
        assert 0 <= x <= MAP_WIDTH and y >= 0, name


def test_a_city_the_tables_do_not_know_is_listed_under_the_map(page):
    doc = html.fromstring(page)
    unplaced = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='pano-unplaced']/li")]
    assert unplaced == ["Ville Inventée (1 pratique)"]
    assert "1 pratique publiée n’indique pas de ville." in page


def test_overseas_cities_sit_in_their_inset_and_corsica_on_the_mainland(page):
    drawn = circles(page)
    boxes = {inset.name: inset for inset in insets()}
    assert [inset.code for inset in insets()] == ["971", "972", "973", "974", "976"]
    for city, territory in (("Fort-de-France", "Martinique"), ("97411", "La Réunion")):
        _, _, x, y, _ = drawn[city]
        box = boxes[territory]
        assert box.x <= x <= box.x + box.size and box.y <= y <= box.y + box.size, city
    _, _, x, y, _ = drawn["2A004"]  # Ajaccio
    assert y < MAINLAND_HEIGHT and x > MAP_WIDTH * 0.8
    doc = html.fromstring(page)
    assert [t.text for t in doc.xpath("//*[@class='pano-inset-name']")] == [
        "Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]
    assert len(doc.xpath("//*[@class='pano-land']")) == 101  # every department drawn


def test_circle_area_is_proportional_to_the_count_with_a_size_legend(page):
    drawn = circles(page)
    ratios = {round(r * r / count, 1) for _n, count, _x, _y, r in drawn.values() if r > DOT_MIN}
    assert max(ratios) / min(ratios) < 1.03, ratios  # r² / count is the same for every circle
    assert "Aire proportionnelle au nombre de pratiques ; cercles de référence : 3, 2, 1." in page


def test_the_map_names_its_official_source_and_licence(page):
    assert "IGN, ADMIN EXPRESS COG" in page and "Code officiel géographique" in page
    assert "Licence Ouverte 2.0" in page


def section(page: str, key: str):
    return html.fromstring(page).xpath(f"//section[@aria-labelledby='pano-{key}']")[0]


def test_year_chart_has_no_empty_years_and_says_how_many_have_none(page):
    years = section(page, "year")
    rows = [(tr.xpath("string(th)"), tr.xpath("string(td/span)")) for tr in years.xpath(".//tbody/tr")]
    assert rows == [("2004", "2"), ("2018", "1"), ("2021", "1"), ("2024", "1")]
    # the fixture's beta-insertion has no year either
    assert years.xpath("string(.//*[@class='pano-missing']/@data-missing)") == "4"
    assert "4 pratiques publiées n’ont pas cette information." in years.text_content()


@pytest.mark.parametrize(("key", "missing"), [
    ("theme", 0), ("landlord", 0), ("partner", 8), ("city", 1), ("audience", 8)])
def test_each_chart_says_how_many_practices_lack_the_information(page, key, missing):
    assert section(page, key).xpath("string(.//*[@class='pano-missing']/@data-missing)") == str(missing)


@pytest.mark.parametrize("key", ["theme", "landlord", "partner", "city", "audience", "year"])
def test_chart_labels_link_to_the_filtered_search_which_finds_them(client, page, key):
    rows = section(page, key).xpath(".//tbody/tr")
    assert rows
    for tr in rows[:3]:
        href = tr.xpath("string(th/a/@href)")
        assert href.startswith(f"/recherche?{key}=")
        answer = client.get("/api/v1/search?" + href.split("?", 1)[1] + "&limit=1").get_json()
        assert answer["total"] == int(tr.xpath("string(td/span)"))


def test_no_inline_style_and_unique_ids(page):
    doc = html.fromstring(page)
    assert not doc.xpath("//*[@style]")
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("label", "code"), [
    ("Paris 10e", "75110"), ("Paris 1er arrondissement", "75101"), ("Lyon 3e arrondissement", "69383"),
    ("Marseille 16e", "13216"), ("2A004", "2A004"), ("75056", "75056"), ("Saint-Étienne", "42218"),
    ("saint etienne", "42218"), ("Paris 21e", None), ("Ville Inventée", None), ("99999", None),
])
def test_communes_are_recognised_by_name_insee_code_or_arrondissement(label, code):
    found = geography.locate(label)
    assert (found.code if found else None) == code


def test_every_prefecture_is_known_and_drawn_on_the_mainland():
    from kb.web.panorama import MAINLAND

    for name in PREFECTURES:
        commune = geography.locate(name.replace("_", " "))
        assert commune is not None, name
        x, y = MAINLAND.project(commune.latitude, commune.longitude)
        assert 0 <= x <= MAP_WIDTH and 0 <= y <= MAINLAND_HEIGHT, name


def test_no_number_of_the_map_overlaps_another_or_another_circle(page):
    from kb.web.panorama import NumberLabel, number_box

    drawn = circles(page)
    numbers = {int(n): (float(x), float(y)) for x, y, n in re.findall(
        r'<text class="pano-num" x="([\d.]+)" y="([\d.]+)"[^>]*>(\d+)</text>', page)}
    assert set(numbers) == {n for n, *_ in drawn.values()}
    boxes = {n: number_box(NumberLabel(x, y, False), n) for n, (x, y) in numbers.items()}
    for a, box in boxes.items():
        for b, other in boxes.items():
            if a < b:
                assert not (box[0] < other[2] and other[0] < box[2] and box[1] < other[3]
                            and other[1] < box[3]), (a, b)
        for name, (n, _count, x, y, r) in drawn.items():
            if n != a:
                nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
                assert (nearest_x - x) ** 2 + (nearest_y - y) ** 2 >= r * r, (a, name)


def test_the_caption_credits_the_data_without_package_names(page):
    caption = " ".join(html.fromstring(page).xpath("string(//figcaption)").split())
    assert "INSEE, Code officiel géographique" in caption
    assert "npm" not in caption and "PyPI" not in caption and "6.0.0" not in caption
