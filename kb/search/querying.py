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
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.search.analysis import WORD_RE, fold_word, split_compound, stem, term_of

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
            clauses.append(Clause(terms or [stem(joined)], joined=stem(joined), words=list(parts)))
        elif terms:
            clauses.append(Clause(terms, words=[parts[0]], raw=fold_word(parts[0])))
    return clauses


def _phrase_clause(chunk: str) -> Clause | None:
    words = [w for m in WORD_RE.finditer(chunk) for w in split_compound(m.group())[0]]
    terms = [t for t in (term_of(w) for w in words) if t is not None]
    if not terms:
        return None
    return Clause(terms, phrase=len(terms) > 1, words=words)


def parse(text: str) -> ParsedQuery:
    """Parse user text; never raises."""
    cleaned = clean_text(text or "")
    truncated = len(cleaned) > MAX_CHARS
    cleaned = cleaned[:MAX_CHARS]
    if cleaned.count('"') % 2:
        cleaned = cleaned.replace('"', " ")
    pq = ParsedQuery(text=cleaned, truncated=truncated)
    negate_next = False
    count = 0
    for m in _TOKEN_RE.finditer(cleaned):
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
        negate_next = False
        for clause in clauses:
            if count >= MAX_TERMS:
                pq.truncated = True
                return pq
            count += len(clause.terms)
            (pq.excluded if negated else pq.required).append(clause)
    return pq
