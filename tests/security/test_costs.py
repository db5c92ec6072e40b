"""Point 4: snippet building was quadratic (64,123 matches x 3,219 sentences of a 2 MB
body: 13-14 s a search). Now linear: a 99,000-character body (the form's maximum)
and a 2 MB one, sharing their sentences with another result, within the CPU budget."""

from __future__ import annotations

import random

import pytest

from kb.search.analysis import terms
from kb.search.snippets import snippets

from .support import ASSERTED, cpu

WORDS = ["logement", "locataires", "médiation", "quartier", "bailleur", "voisinage", "gardien",
         "jardin", "seniors", "visite", "accueil", "charte"]


def _sentences(count: int) -> list[str]:
    rnd = random.Random(22)
    return [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 15))).capitalize() + ". "
            for _ in range(count)]


def _body(size: int, sentences: list[str]) -> str:
    rnd = random.Random(size)
    return "".join(rnd.choice(sentences) for _ in range(size // 60))[:size]


@pytest.mark.parametrize("size", [99_000, 2_000_000])
def test_snippets_of_a_huge_body_sharing_its_sentences_are_cheap(size):
    sentences = _sentences(400)
    body = _body(size, sentences)
    other = "".join(sentences[:200])  # another result holding the same sentences
    wanted = set(terms("logement médiation"))
    shown, seconds = cpu(snippets, [("Résumé.", body), ("Autre.", other)], wanted)
    assert seconds < (ASSERTED / 4 if size < 100_000 else ASSERTED), f"{size}: {seconds:.2f} s"
    assert "<mark>" in shown[0] and len(shown[0]) < 600


def test_one_body_maximum_at_every_door():
    from kb.corpus.load import BODY_MAX
    from kb.services.contributions.limits import MAX_LENGTHS

    assert MAX_LENGTHS["body"] == BODY_MAX


def _practice(body: str) -> str:
    return ("---\ntitle: Titre\nsummary: Résumé.\nthemes: [Médiation]\nlandlords: [Bailleur]\n"
            f"cities: [Rouen]\n---\n\n## Contexte\n\n{body}\n")


def test_import_and_validate_refuse_a_body_past_the_maximum(runner, tmp_path):
    from kb.corpus.load import BODY_MAX

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "enorme.md").write_text(_practice("mot " * (2_000_000 // 4)), encoding="utf-8")
    (folder / "juste.md").write_text(_practice("m" * (BODY_MAX - len("## Contexte\n\n"))),
                                     encoding="utf-8")
    result, seconds = cpu(runner, "validate", str(folder))
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "enorme.md" in line)
    assert "le texte de la fiche fait 2\u202f000\u202f012 caractères, plus que le maximum de " \
           "100\u202f000 (celui du formulaire de contribution)" in line  # body: rstripped
    assert "juste.md" not in result.output
    assert seconds < ASSERTED
    runner("init")
    imported = runner("import", str(folder))
    assert "enorme.md" in imported.output and "plus que le maximum" in imported.output
