"""Point 4: snippet building was quadratic (64,123 matches x 3,219 sentences of a 2 MB
body: 13-14 s a search). Now linear: a 99,000-character body (the form's maximum)
and a 2 MB one, sharing their sentences with another result, within the CPU budget."""

from __future__ import annotations

import random

import pytest

from kb.search.analysis import terms
from kb.search.snippets import snippets

from .support import ASSERTED, cpu

WORDS = ["logement", "locataires", "médiation", "quartier", "bailleur", "voisinage", "gardien", "jardin", "seniors", "visite", "accueil", "charte"]


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
