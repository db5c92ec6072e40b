"""User text -> a small, safe query structure.

We do NOT use Whoosh's query parser: user input never reaches field, wildcard,
range, boost or match-all syntax because there is no such syntax. Supported:

* plain words, all required (AND);
* "quoted phrases" (an odd number of quotes: all quotes are ignored);
* a leading ``-`` (or the word ``NOT``) excludes the next word or phrase;
* ``AND``/``OR`` written in capitals are ignored (every word is required).

Everything else (``:``, ``*``, ``^``, brackets, emoji, control characters) is a
word separator. Input is capped at ``MAX_CHARS`` characters and ``MAX_TERMS``
words.

Questions lose their grammatical words ("comment", "que faire", "qu'est-ce
que"...: ``QUESTION_WORDS``) when other words remain. Acronyms are expanded
both ways from ``synonyms``, a sequence of ``(acronym, expansion)`` string
pairs (the glossary): the clause of "CMP" may also match the phrase "centre
médico-psychologique", and the words of that phrase, typed in a row, may also
match "CMP" (``Clause.synonyms``: alternatives ORed with the clause).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from kb.search.analysis import WORD_RE, fold_word, split_compound, stem, term_of
from kb.search.derivation import partners
from kb.search.stemmer import STOP_WORDS

MAX_CHARS = 200
MAX_TERMS = 12

_TOKEN_RE = re.compile(r'(-?)"([^"]*)"|(\S+)')
_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"'})


@dataclass
class Clause:
    """One required (or excluded) unit: a word, a compound, or a phrase."""

    terms: list[str]  # consecutive terms (a compound's parts, a phrase's words)
    joined: str | None = None  # a compound's joined term ("univoisin")
    phrase: bool = False
    words: list[str] = field(default_factory=list)  # as written, for suggestions
    raw: str | None = None  # unstemmed folded form of a single word (acronyms)
    synonyms: list[Clause] = field(default_factory=list)  # ORed alternatives (glossary)
    # -- thesaurus (kb/search/thesaurus.py): a widening weighs less than the typed word
    # and names the term it came from.
    weight: float = 1.0
    label: str | None = None
    # Terms of the same family that may stand for the single term, weighing less
    # (agent/action: "mediateu" -> "mediation"; see ``derivation.py``).
    related: list[str] = field(default_factory=list)

    def all_terms(self) -> list[str]:
        """Every term this clause may match, synonyms included (for snippets)."""
        out = list(self.terms)
        if self.joined:
            out.append(self.joined)
        out.extend(self.related)
        for alt in self.synonyms:
            out.extend(alt.all_terms())
        return out


@dataclass
class ParsedQuery:
    required: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    text: str = ""  # the cleaned text the suggestion is built on
    truncated: bool = False
    had_words: bool = False  # the user typed something word-like

    @property
    def is_empty(self) -> bool:
        return not self.required and not self.excluded


# Words of a question, not of its subject: dropped when other words remain.
QUESTION_WORDS = frozenset((
    "comment", "faire", "faut", "quoi", "quel", "quelle", "quels", "quelles", "pourquoi",
    "quand", "existe", "existent", "exemple", "exemples", "peut", "peuvent", "doit",
    "doivent", "mettre", "cherche", "chercher", "recherche", "trouver", "besoin", "idee",
    "idees", "pratique", "pratiques", "agir", "estce", "ya",
))


# Nouns that are grammar inside a prepositional phrase: "que faire en cas de squat",
# "dans le cadre d'un relogement", "au sujet des impayés". Dropped like the question
# words (when other words remain); "études de cas" or "cadre de vie" keep theirs.
PREPOSITIONAL = {"cas": ("en",), "cadre": ("dans", "le"), "sujet": ("au",), "propos": ("a",),
                 "matiere": ("en",), "rapport": ("par",)}
_PREPOSITION_AFTER = frozenset(("de", "d", "du", "des", "a", "au", "aux"))
_ELIDED = re.compile(r"^[dD]['’]")


def _plain_word(token: str) -> str:
    """A token's first word, folded; "d" for an elided "d'" ("d'un" -> "d")."""
    if _ELIDED.match(token):
        return "d"
    m = WORD_RE.search(token)
    return fold_word(m.group()) if m else ""


def _prepositional(words: list[str], i: int) -> bool:
    before = PREPOSITIONAL.get(words[i])
    if before is None or i < len(before) or i + 1 >= len(words):
        return False
    return tuple(words[i - len(before):i]) == before and words[i + 1] in _PREPOSITION_AFTER


def _is_question_word(clause: Clause) -> bool:
    return not clause.phrase and all(
        fold_word(w) in QUESTION_WORDS or fold_word(w) in STOP_WORDS for w in clause.words)


@lru_cache(maxsize=32)
def _glossary(synonyms: tuple[tuple[str, str], ...]):
    """(acronym -> expansion terms, [(expansion terms, acronym)]) of a glossary."""
    by_acronym: dict[str, list[tuple[str, ...]]] = {}
    by_expansion: list[tuple[tuple[str, ...], str]] = []
    for acronym, expansion in synonyms:
        folded = fold_word(acronym.strip())
        words = [w for m in WORD_RE.finditer(expansion) for w in split_compound(m.group())[0]]
        terms = tuple(t for t in (term_of(w) for w in words) if t is not None)
        if not folded or not terms or not WORD_RE.fullmatch(folded):
            continue
        by_acronym.setdefault(folded, []).append(terms)
        by_expansion.append((terms, folded))
    by_expansion.sort(key=lambda item: -len(item[0]))  # longest expansion first
    return by_acronym, by_expansion


def _acronym_clause(folded: str) -> Clause:
    return Clause([stem(folded)], words=[folded], raw=folded)


def _expansion_clause(terms: tuple[str, ...]) -> Clause:
    return Clause(list(terms), phrase=len(terms) > 1, words=list(terms))


def expand(clauses: list[Clause], synonyms: Sequence[tuple[str, str]]) -> list[Clause]:
    """Clauses with glossary alternatives: acronym -> phrase, and phrase typed -> acronym."""
    if not synonyms or not clauses:
        return clauses
    by_acronym, by_expansion = _glossary(tuple((a, e) for a, e in synonyms))
    out: list[Clause] = []
    i = 0
    while i < len(clauses):
        clause = clauses[i]
        if clause.raw is not None and clause.raw in by_acronym:
            clause.synonyms.extend(_expansion_clause(t) for t in by_acronym[clause.raw])
            out.append(clause)
            i += 1
            continue
        merged = False
        for terms, acronym in by_expansion:
            taken, flat, j = [], [], i
            while j < len(clauses) and len(flat) < len(terms) and not clauses[j].phrase:
                flat.extend(clauses[j].terms)
                taken.append(clauses[j])
                j += 1
            if tuple(flat) == terms:
                words = [w for c in taken for w in c.words]
                phrase = Clause(list(terms), phrase=len(terms) > 1, words=words,
                                synonyms=[_acronym_clause(acronym)])
                out.append(phrase)
                i = j
                merged = True
                break
        if not merged:
            out.append(clause)
            i += 1
    return out


def clean_text(text: str) -> str:
    """Printable characters only, NFC, quotes unified, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text[: MAX_CHARS * 4]).translate(_QUOTES)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def _clauses_of(chunk: str) -> list[Clause]:
    clauses = []
    for m in WORD_RE.finditer(chunk):
        word = m.group()
        parts, joined = split_compound(word)
        terms = [t for t in (term_of(p) for p in parts) if t is not None]
        if joined is not None:
            if terms:  # "qu'est-ce", "peut-on": nothing but grammar
                clauses.append(Clause(terms, joined=stem(joined), words=list(parts)))
        elif terms:
            clauses.append(Clause(terms, words=[parts[0]], raw=fold_word(parts[0])))
    return clauses


def _phrase_clause(chunk: str) -> Clause | None:
    words = [w for m in WORD_RE.finditer(chunk) for w in split_compound(m.group())[0]]
    terms = [t for t in (term_of(w) for w in words) if t is not None]
    if not terms:
        return None
    return Clause(terms, phrase=len(terms) > 1, words=words)


def parse(text: str, synonyms: Sequence[tuple[str, str]] = ()) -> ParsedQuery:
    """Parse user text (``synonyms``: the glossary's (acronym, expansion) pairs); never raises."""
    cleaned = clean_text(text or "")
    truncated = len(cleaned) > MAX_CHARS
    cleaned = cleaned[:MAX_CHARS]
    if cleaned.count('"') % 2:
        cleaned = cleaned.replace('"', " ")
    pq = ParsedQuery(text=cleaned, truncated=truncated)
    negate_next = False
    count = 0
    matches = list(_TOKEN_RE.finditer(cleaned))
    plain = [_plain_word(m.group(3)) if m.group(3) else "" for m in matches]
    grammar: list[Clause] = []
    for i, m in enumerate(matches):
        minus, phrase, token = m.group(1), m.group(2), m.group(3)
        if token in ("AND", "OR", "&&", "||"):
            continue
        if token == "NOT":
            negate_next = True
            continue
        if phrase is not None:
            negated = bool(minus) or negate_next
            clause = _phrase_clause(phrase)
            clauses = [clause] if clause else []
            pq.had_words = pq.had_words or bool(WORD_RE.search(phrase))
        else:
            negated = (token.startswith("-") and len(token) > 1) or negate_next
            clauses = _clauses_of(token)
            pq.had_words = pq.had_words or bool(WORD_RE.search(token))
            if not negated and _prepositional(plain, i):
                grammar.extend(clauses)
        negate_next = False
        for clause in clauses:
            if count >= MAX_TERMS:
                pq.truncated = True
                return _finish(pq, synonyms, grammar)
            count += len(clause.terms)
            (pq.excluded if negated else pq.required).append(clause)
    return _finish(pq, synonyms, grammar)


def _finish(pq: ParsedQuery, synonyms: Sequence[tuple[str, str]],
            grammar: list[Clause] = ()) -> ParsedQuery:
    """Question words dropped (when something else remains), then the query's terms expanded.

    ``grammar``: clauses found to be grammar in their context (``PREPOSITIONAL``).
    This is the one place where a query's terms get alternatives: the glossary's
    acronyms both ways (``expand``), then each word's agent/action partner
    (``derivation.partners``). A thesaurus would add its alternatives here too.
    """
    dropped = {id(c) for c in grammar}
    kept = [c for c in pq.required if not _is_question_word(c) and id(c) not in dropped]
    if kept:
        pq.required = kept
    pq.required = expand(pq.required, synonyms)
    pq.excluded = expand(pq.excluded, synonyms)
    for clause in pq.required:
        if len(clause.terms) == 1 and not clause.phrase and clause.joined is None:
            clause.related = list(partners(clause.terms[0]))
    return pq
