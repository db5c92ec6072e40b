"""The field's thesaurus at query time: typed terms widened to their equivalents.

``SynonymMap`` is built once per version of the thesaurus (see
``kb.services.search.thesaurus_map``) from its groups: ``(terms, narrower)``
pairs of strings. Each term becomes the tuple of its index terms (the analysis
of the query, so "Dettes locatives" and "dette locative" are one key). A
typed word or run of words equal to a term of a group is widened to the group's
other terms and to its narrower ones, never the other way round.

A widening is an alternative ``Clause`` ORed with the typed one, like the
glossary's acronyms, with two differences: it weighs ``SYNONYM_WEIGHT`` of a
typed word in the scores (a practice using the typed word ranks first), and a
multi-word term matches only as a phrase.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kb.search.analysis import WORD_RE, split_compound, term_of
from kb.search.querying import Clause

SYNONYM_WEIGHT = 0.5


def term_tuple(text: str) -> tuple[str, ...]:
    """The index terms of a thesaurus term, as a query would analyse it."""
    words = [w for m in WORD_RE.finditer(text) for w in split_compound(m.group())[0]]
    return tuple(t for t in map(term_of, words) if t is not None)


class SynonymMap:
    """Index-term tuple of a thesaurus term -> [(alternative's terms, its label)]."""

    def __init__(self, groups: Iterable[tuple[Sequence[str], Sequence[str]]]) -> None:
        self.by_key: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}
        for terms, narrower in groups:
            equal = [(term_tuple(t), t) for t in terms]
            equal = [(k, t) for k, t in equal if k]
            narrow = [(term_tuple(t), t) for t in narrower]
            narrow = [(k, t) for k, t in narrow if k]
            for key, _ in equal:
                alts = self.by_key.setdefault(key, [])
                known = {key, *(k for k, _ in alts)}
                for other, label in (*equal, *narrow):
                    if other not in known:
                        known.add(other)
                        alts.append((other, label))
        self.longest = max((len(k) for k in self.by_key), default=0)

    def __bool__(self) -> bool:
        return bool(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    def __repr__(self) -> str:  # a query is logged with its repr: not the whole thesaurus
        return f"<SynonymMap of {len(self.by_key)} terms>"


def _widening(terms: tuple[str, ...], label: str) -> Clause:
    return Clause(list(terms), phrase=len(terms) > 1, words=list(terms), weight=SYNONYM_WEIGHT,
                  label=label)


def widen(clauses: list[Clause], synonyms: SynonymMap | None) -> list[Clause]:
    """Required clauses with the thesaurus' alternatives, longest typed term first.

    A term of several typed words ("dette locative") gives its alternatives to each
    of their clauses: a practice holding the alternative counts as holding every one
    of those words, and the words stay separate clauses for partial matches.
    """
    if not synonyms or not clauses:
        return clauses
    i = 0
    while i < len(clauses):
        for n in range(min(synonyms.longest, len(clauses) - i), 0, -1):
            span = clauses[i:i + n]
            if n > 1 and any(c.phrase for c in span):  # a quoted phrase stands alone
                continue
            flat = tuple(t for c in span for t in c.terms)
            alts = synonyms.by_key.get(flat)
            if not alts:
                continue
            have = {flat, *(tuple(s.terms) for c in span for s in c.synonyms)}
            added = [_widening(terms, label) for terms, label in alts if terms not in have]
            for clause in span:
                clause.synonyms.extend(added)
            i += n
            break
        else:
            i += 1
    return clauses
