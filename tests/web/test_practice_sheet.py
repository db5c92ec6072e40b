"""The practice page reads as a practice sheet: key facts first, every fact shown, actions apart."""

from __future__ import annotations

import pytest
from lxml import html

from kb.services.browse import PlaceLine, place_lines

from .conftest import set_published

FACT_ORDER = ["landlords", "partners", "place", "status", "years", "audiences", "evidence"]


def tree(response):
    assert response.status_code == 200
    return html.fromstring(response.get_data(as_text=True))


def fact(doc, name: str) -> str:
    return " ".join(doc.xpath(f'//*[@data-fact="{name}"]/dd')[0].text_content().split())


def has_class(name: str) -> str:
    """An XPath test: the element has the class ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def test_key_facts_come_right_under_the_title_and_summary_in_a_fixed_order(client):
    doc = tree(client.get("/pratiques/alpha-mediation"))
    article = doc.xpath(f"//article[{has_class('practice')}]")[0]
    children = [el.get("class") for el in article]
    assert children[:3] == ["practice__header", "keyfacts", "practice__actions"]
    assert children.index("keyfacts") < children.index("practice__layout")
    assert [row.get("data-fact") for row in doc.xpath(f"//*[{has_class('keyfacts__row')}]")] \
        == FACT_ORDER
    assert fact(doc, "landlords") == "Office Test Habitat"
    assert fact(doc, "partners") == "Association Exemple (médiation)"
    assert doc.xpath('//*[@data-fact="partners"]//a/@href') == ["/partenaires/association-exemple"]
    assert fact(doc, "place") == "Saint-Étienne (Quartier Test)"
    assert fact(doc, "status") == "en cours"
    assert fact(doc, "years") == "depuis 2021"
    assert fact(doc, "audiences") == "locataires"


def test_missing_facts_read_non_renseigne_instead_of_vanishing(client):
    doc = tree(client.get("/pratiques/beta-insertion"))
    missing = [name for name in FACT_ORDER if fact(doc, name).startswith("non renseigné")]
    english = tree(client.get("/pratiques/beta-insertion?lang=en"))
    assert missing == ["partners", "status", "years", "audiences", "evidence"]
    assert [name for name in FACT_ORDER if fact(english, name).startswith("not provided")] == missing
    assert all(fact(doc, name) for name in FACT_ORDER)  # never an empty row


def test_evidence_level_sits_on_its_scale_with_its_meaning_and_a_link_to_the_rules(client):
    doc = tree(client.get("/pratiques/alpha-mediation"))
    scale = doc.xpath(f'//*[@data-fact="evidence"]//ol[{has_class("evidence-scale")}]/li')
    assert [" ".join(li.text_content().split()) for li in scale][1:] == ["prometteuse", "éprouvée"]
    assert scale[0].get("class") == "is-current" and scale[0].xpath("strong/text()") == ["émergente"]
    assert "Niveau 1 sur 3 : une première expérience." in fact(doc, "evidence")
    link = doc.xpath(f'//*[@data-fact="evidence"]//a[{has_class("evidence-how")}]/@href')[0]
    assert link == "/a-propos#niveaux-de-preuve"
    about = tree(client.get("/a-propos"))
    assert about.get_element_by_id("niveaux-de-preuve").text == "Les niveaux de preuve"


def test_actions_are_apart_from_the_sources(client):
    doc = tree(client.get("/pratiques/alpha-mediation"))
    actions = doc.xpath(f'//nav[@aria-label="Actions sur la fiche"]//*[{has_class("action")}]')
    labels = [" ".join(a.text_content().split()) for a in actions]
    # the PDF first, the source file for kb's tools last
    assert labels == ["Télécharger la fiche (PDF)", "Imprimer", "Proposer une correction",
                      "Historique des versions", "Fichier source (Markdown)"]
    sources = doc.xpath(f"//ul[{has_class('sources')}]")[0]
    assert sources.xpath(".//a/@href") == ["https://example.org/doc"]


def test_the_markdown_of_a_published_practice_downloads_and_an_unpublished_one_does_not(
        client, loaded_runtime):
    response = client.get("/pratiques/alpha-mediation/fiche.md")
    assert response.status_code == 200
    assert response.mimetype == "text/markdown"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("---\n") and "title: Médiation de soirée (fictive)" in text
    set_published(loaded_runtime, "alpha-mediation", False)
    assert client.get("/pratiques/alpha-mediation/fiche.md").status_code == 404
    assert client.get("/pratiques/..%2Fetc/fiche.md").status_code == 404


@pytest.mark.parametrize(("cities", "districts", "expected"), [
    ([("paris", "Paris")], [f"{n}e arrondissement" for n in (10, 11, 18, 19, 20)],
     [PlaceLine("paris", "Paris", "10e, 11e, 18e, 19e, 20e", "")]),
    ([("paris", "Paris")], ["19e arrondissement", "1er arrondissement", "18e arrondissement"],
     [PlaceLine("paris", "Paris", "1er, 18e, 19e", "")]),
    ([("lyon", "Lyon")], ["3e arrondissement de Lyon", "Part-Dieu"],
     [PlaceLine("lyon", "Lyon", "3e", "Part-Dieu")]),
    ([("rouen", "Rouen")], ["Grand’Mare"], [PlaceLine("rouen", "Rouen", "", "Grand’Mare")]),
    ([("rouen", "Rouen"), ("paris", "Paris")], ["18e arrondissement", "Grand’Mare"],
     [PlaceLine("rouen", "Rouen"), PlaceLine("paris", "Paris"),
      PlaceLine(None, None, "18e", "Grand’Mare")]),
    ([], [], []),
])
def test_districts_are_written_compactly(cities, districts, expected):
    assert place_lines(cities, districts) == expected


def pdf_pages(data: bytes) -> int:
    """The page count of the page tree of a PDF, its object streams inflated."""
    import re
    import zlib

    texts = [data]
    for found in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            texts.append(zlib.decompress(found.group(1)))
        except zlib.error:
            continue
    trees = [tree for text in texts for tree in re.findall(rb"<<[^<>]*?/Type\s*/Pages\b[^<>]*>>", text)]
    (tree,) = trees
    return int(re.search(rb"/Count\s*(\d+)", tree).group(1))


def test_the_sheet_downloads_as_a_one_or_two_page_pdf(client, loaded_runtime):
    response = client.get("/pratiques/alpha-mediation/fiche.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert 1 <= pdf_pages(response.data) <= 2
    from kb.config import ROOT

    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "practice-sheet-weasyprint.pdf").write_bytes(response.data)
    set_published(loaded_runtime, "alpha-mediation", False)
    assert client.get("/pratiques/alpha-mediation/fiche.pdf").status_code == 404


def test_english_sheet_translates_section_headings_and_says_the_content_is_french(client):
    from lxml import html as lxml_html

    english = lxml_html.fromstring(client.get("/pratiques/alpha-mediation?lang=en").get_data(as_text=True))
    body = english.xpath("//div[contains(@class, 'practice__body')]")[0]
    headings = [(h.text_content(), h.get("lang")) for h in body.xpath(".//h2")]
    assert ("Context", "en") in headings and ("Objectives", "en") in headings
    assert not any(text in ("Contexte", "Objectifs") for text, _lang in headings)
    notice = " ".join(body.xpath("string(.//*[@class='lang-notice'])").split())
    assert notice.startswith("Practices are written in French")
    french = lxml_html.fromstring(client.get("/pratiques/alpha-mediation?lang=fr").get_data(as_text=True))
    body = french.xpath("//div[contains(@class, 'practice__body')]")[0]
    assert [h.text_content() for h in body.xpath(".//h2")][:2] == ["Contexte", "Objectifs"]
    assert not body.xpath(".//*[@class='lang-notice']")
