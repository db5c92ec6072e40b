"""The bundled corpus: every practice and rendez-vous of the seed, sourced."""

from __future__ import annotations

from kb.config import ROOT
from kb.corpus import load_corpus
from kb.services.corpus import validate_folder
from kb.taxonomy import label_key

CORPUS = load_corpus(ROOT / "practices")


def test_bundled_corpus_has_no_error():
    corpus = validate_folder(None, ROOT / "practices")
    assert corpus.errors == [], [str(p) for p in corpus.errors]


def test_seed_practices_are_present():
    titles = " ".join(label_key(p.title + " " + p.summary) for p in CORPUS.practices)
    for words in ("emtr", "uni-voisins", "grajar", "slc-csf", "pouvoirs-publics"):
        assert words in titles, words


def test_the_five_rendez_vous_of_the_seed():
    dates = sorted(e.date.isoformat() for e in CORPUS.events)
    assert dates == ["2024-11-14", "2024-12-02", "2024-12-19", "2025-01-14", "2025-01-20"]


def test_every_record_names_a_source():
    for record in [*CORPUS.practices, *CORPUS.events]:
        assert record.sources, record.slug


def test_registries_cover_every_name_the_corpus_uses():
    names = {label_key(n) for o in CORPUS.organisations for n in [o.name, *o.aliases]}
    used = {n for p in CORPUS.practices for n in p.landlords + [x.name for x in p.partners]}
    used |= {n for e in CORPUS.events for n in e.organisers}
    assert {label_key(n) for n in used} <= names
    themes = {label_key(t.label) for t in CORPUS.themes}
    used_themes = {label_key(t) for p in CORPUS.practices for t in p.themes}
    assert used_themes <= themes


def test_no_private_person_named_in_the_corpus():
    # People named in the seed document: roles are written instead.
    names = ["Maillebuau", "Amanou", "Malochet", "Gosselin", "Dawny", "Mouelhi"]
    for path in (ROOT / "practices").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not any(name in text for name in names), path
