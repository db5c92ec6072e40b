"""Typo handling: fuzzy alternatives for a retry, and "did you mean".

Both work on the ``spell`` field: the folded, unstemmed words of each document.
A word is suggested only if a live (published) document uses it: the field's
word list still holds the words of deleted documents until segments merge, so
every candidate is checked against the live documents (``is_live``).
Suggestions are shown with their accents ("tranquilite residentielle" ->
"tranquillité résidentielle") thanks to the ``spellx`` field
("tranquillite\x1ftranquillité").
"""

from __future__ import annotations

import re

from kb.search.analysis import WORD_RE, fold_word, split_compound, stem
from kb.search.stemmer import STOP_WORDS
from kb.taxonomy import best_label


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _squash(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def fuzzy_words(reader, folded: str, maxdist: int = 1) -> list[str]:
    """Corpus words within ``maxdist`` edits, first letter kept."""
    try:
        return [w if isinstance(w, str) else w.decode("utf-8")
                for w in reader.terms_within("spell", folded, maxdist, prefix=1)]
    except Exception:
        return []


def near_words(reader, folded: str) -> list[str]:
    """Corpus words one slip away: one edit, or two letters swapped ("mediatoin")."""
    if len(folded) < 6:
        return fuzzy_words(reader, folded, 1)
    return [w for w in fuzzy_words(reader, folded, 2) if _distance(folded, w) <= 1]


def accented(reader, folded: str) -> str:
    """The best-written form of a folded word (accents kept)."""
    prefix = folded + "\x1f"
    try:
        forms = [t if isinstance(t, str) else t.decode("utf-8")
                 for t in reader.expand_prefix("spellx", prefix)]
    except Exception:
        return folded
    # Any document's spelling will do: the folded word itself was checked live.
    forms = [f[len(prefix):] for f in forms]
    return best_label(*forms) if forms else folded


def _frequency(reader, word: str) -> int:
    term = stem(word)
    return reader.doc_frequency("body", term) + reader.doc_frequency("title", term)


def _correct(reader, word: str, has_postings, is_live, is_word=None,
             standalone=None) -> str | None:
    """A corpus word close to ``word``, or None.

    Only a word that is not a real word (``is_word``: French or English) and that
    no practice writes is corrected; a candidate is never a stop word, nor a word
    practices write only inside a compound (``standalone``: "delà" of "au-delà").
    """
    folded = fold_word(word)
    if (len(folded) < 4 or not folded.isalpha() or folded in STOP_WORDS
            or is_live(folded, "spell") or (is_word is not None and is_word(folded))):
        return None
    maxdist = 1 if len(folded) < 6 else 2
    candidates = []
    # When the stem already matches, only fix doubled letters ("tranquilité").
    strict = has_postings(stem(folded))
    for cand in fuzzy_words(reader, folded, maxdist):
        if strict and _squash(cand) != _squash(folded):
            continue
        if cand in STOP_WORDS or not is_live(cand, "spell"):
            continue
        freq = _frequency(reader, cand)
        candidates.append((_distance(folded, cand), -freq, cand))
    for _, _, cand in sorted(candidates):
        if standalone is None or standalone(cand):
            return accented(reader, cand)
    return None


def _with_accents(reader, word: str, is_live) -> str:
    """A word typed without accents, written as the corpus writes it ("residentielle")."""
    if not word.isalpha() or word != word.lower() or fold_word(word) != word:
        return word
    if not is_live(word, "spell"):
        return word
    found = accented(reader, word)
    return found if fold_word(found) == word else word


def suggest(reader, text: str, has_postings, is_live, is_word=None,
            standalone=None) -> str | None:
    """The whole query with misspelt words corrected, or None.

    ``is_live(term, field)``: True if a live document holds ``term`` in ``field``.
    ``is_word(folded)``: True for a real word, never corrected; ``standalone(folded)``:
    True if a practice writes the candidate outside a compound (see ``_correct``).
    The other words of a corrected query get their accents back.
    """
    changed = False
    out = []
    pos = 0
    for m in WORD_RE.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        word = m.group()
        parts, _ = split_compound(word)
        if len(parts) == 1:
            fixed = _correct(reader, parts[0], has_postings, is_live, is_word, standalone)
            if fixed is not None:
                changed = True
                out.append(word[: len(word) - len(parts[0])] + fixed)  # keeps "d’"
                continue
            out.append(word[: len(word) - len(parts[0])] + _with_accents(reader, parts[0], is_live))
            continue
        out.append(word)
    out.append(text[pos:])
    return "".join(out) if changed else None
