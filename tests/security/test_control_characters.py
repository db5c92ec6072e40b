"""Point 5: one invisible character (U+0001 in a title) broke every feed (lxml: 500).

Every C0/C1 control character but tab and line breaks is refused by the form and
by the import, NUL never reaches the database, and what was stored before the
rule (written here straight into the database) leaves every output valid.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree
from sqlalchemy import update

from kb.corpus.load import load_practice
from kb.models import Organisation, Practice, Theme
from tests.conftest import ON_POSTGRES
from tests.contribute.support import csrf_token, valid_form

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"]
SLUG = "collectif-solution-uni-voisins"


def _post(client, **fields):
    data = valid_form(**fields)
    data["csrf_token"] = csrf_token(client)
    return client.post("/contribuer", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_the_form_refuses_every_control_character(client, char):
    response = _post(client, title=f"Jardins{char} partagés")
    page = response.get_data(as_text=True)
    if char == "\x00":
        assert response.status_code == 400  # refused before any view, never stored
    else:
        assert response.status_code == 422
        assert f"caractère invisible interdit (U+{ord(char):04X})" in page
        assert char not in page  # the page itself stays valid HTML


@pytest.mark.parametrize("field", ["summary", "cities", "body", "name", "contact"])
def test_each_field_refuses_a_control_character(client, field):
    value = valid_form()[field] + "\x07"
    response = _post(client, **{field: value})
    assert response.status_code == 422
    assert "caractère invisible interdit (U+0007)" in response.get_data(as_text=True)


def test_tab_and_line_breaks_are_still_accepted(client):
    response = _post(client, body="## Contexte\r\n\r\nUne ligne\tavec tabulation.\r\n", action="preview")
    assert "caractère invisible" not in response.get_data(as_text=True)


@pytest.mark.parametrize("char", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_the_import_refuses_every_control_character(char):
    text = (f"---\ntitle: \"Titre{char}\"\nsummary: Résumé.\nthemes: [Médiation]\n"
            f"landlords: [Bailleur]\ncities: [Rouen]\n---\n\n## Contexte\n\nCorps{char}.\n")
    problems = []
    assert load_practice(text, "pratique-test", "pratique-test.md", problems) is None
    assert problems, repr(char)


def test_the_import_command_rejects_a_file_with_a_control_character(runner, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "pratique-test.md").write_text(
        "---\ntitle: Titre\nsummary: Résumé.\nthemes: [Médiation]\nlandlords: [Bailleur]\n"
        "cities: [Rouen]\n---\n\n## Contexte\n\nCorps\x01 invisible.\n", encoding="utf-8")
    result = runner("validate", str(folder))
    assert result.exit_code == 1
    assert "caractère invisible interdit (U+0001)" in result.output


@pytest.fixture
def polluted(bundled_runtime):
    """Control characters stored before they were refused (NUL too, where the database takes it)."""
    chars = "".join(c for c in CONTROLS if not (ON_POSTGRES and c == "\x00"))
    with bundled_runtime.session() as session:
        practice = session.query(Practice).filter_by(slug=SLUG).one()
        session.execute(update(Practice).where(Practice.id == practice.id).values(
            title=f"Collectif{chars} Uni’Voisins", summary=f"Résumé{chars}",
            body=f"## Contexte\n\nCorps{chars} du texte.\n"))
        theme_id = practice.themes[0].theme_id
        session.execute(update(Theme).where(Theme.id == theme_id).values(label=f"Thème{chars}"))
        org_id = practice.organisations[0].organisation_id
        session.execute(update(Organisation).where(Organisation.id == org_id)
                        .values(name=f"Organisme{chars}"))
    return chars


def _no_controls(text: str) -> None:
    assert not any(c in text for c in CONTROLS), [hex(ord(c)) for c in CONTROLS if c in text]


def test_outputs_stay_valid_whatever_was_stored(client, polluted):
    for url in ["/flux.atom", "/villes/rouen.atom"]:
        response = client.get(url)
        assert response.status_code == 200, url
        etree.fromstring(response.data)  # well-formed XML
    response = client.get("/recherche.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    _no_controls(text)
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for url in [f"/pratiques/{SLUG}", "/", "/villes/rouen", f"/api/v1/practices/{SLUG}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        if url.startswith("/api/"):
            json.loads(text)
        else:
            _no_controls(text)
    _no_controls(client.get("/rendez-vous.ics").get_data(as_text=True).replace("\r\n", ""))
