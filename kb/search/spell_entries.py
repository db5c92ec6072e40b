"""What the ``spell`` and ``spellx`` fields hold for a text: its words as written.

Each ``WORD_RE`` match gives its folded words of three letters or more that are
not stop words ("tranquillite"), and for those written with accents, the folded
and accented forms joined by ``\x1f`` ("tranquillite\x1ftranquillité").
"""

from __future__ import annotations

from itertools import chain

from kb.search.analysis import fold_word, split_compound
from kb.search.memo import Memo
from kb.search.stemmer import STOP_WORDS


def _spelling_words(chunk: str) -> tuple[str, ...]:
    """Spelling entries of one ``WORD_RE`` match (memoised below: words repeat).

    Folded words of 3+ letters that are not stop words ("tranquillite"), and for
    those written with accents, the folded and accented forms joined by
    ``\x1f`` ("tranquillite\x1ftranquillité").
    """
    out = []
    for part in split_compound(chunk)[0]:
        if len(part) < 3 or not part.isalpha():
            continue
        folded = fold_word(part)
        if folded in STOP_WORDS:
            continue
        out.append(folded)
        lower = part.lower()
        if lower != folded:
            out.append(folded + "\x1f" + lower)
    return tuple(out)


spelling_words: Memo[str, tuple[str, ...]] = Memo(_spelling_words, 200_000)


def spelling_entries(chunks: set[str]) -> set[str]:
    """The entries of a document's distinct ``WORD_RE`` matches."""
    return set(chain.from_iterable(map(spelling_words.__getitem__, chunks)))


def spelling_terms(entries: set[str],
                   seen_accents: set[str] | None = None) -> tuple[set[str], set[str]]:
    """``(spell, spellx)`` terms of a document's entries; the accented ones already
    in ``seen_accents`` are left out, and the others added to it (a rebuild indexes
    each accented spelling once, see ``schema.to_fields``)."""
    accented = {e for e in entries if "\x1f" in e}
    words = entries - accented
    if seen_accents is not None:
        accented -= seen_accents
        seen_accents |= accented
    return words, accented
