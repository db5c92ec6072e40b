"""``fold`` (accents, ligatures and case away) takes shortcuts for ASCII and French
text: it must answer exactly as the plain character-by-character definition."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.taxonomy import _LIGATURES, fold


def plain_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


FRENCH = st.text(alphabet="aàâäbcçdeéèêëfghiîïjklmnoôöpqrstuùûüvwxyÿzœæ AÀÉÈÇŒÆ-'’", max_size=40)


@given(st.one_of(FRENCH, st.text(max_size=40)))
@settings(max_examples=400)
def test_fold_answers_as_the_plain_definition(text):
    assert fold(text) == plain_fold(text)


def test_fold_of_french_and_other_scripts():
    assert fold("Tranquillité résidentielle") == "tranquillite residentielle"
    assert fold("Cœur de quartier") == "coeur de quartier"
    assert fold("Ǹ̃a͏") == plain_fold("Ǹ̃a͏")  # a grapheme joiner (U+034F) has no combining class
    assert fold("Ελληνικά") == plain_fold("Ελληνικά")
    # combining marks outside French accents' block go too
    assert fold("e\u1dc4t\u20d7é") == "ete"
