"""The thesaurus registry ``_thesaurus.yaml``: the field's equivalent and narrower terms.

One group a list item::

    - terms:
        - impayé de loyer
        - dette locative
        - arriéré de loyer
      narrower:
        - commandement de payer
      source:
        title: Titre de la page publique
        url: https://...

``terms`` are equivalent: a search for any of them is widened to the others.
``narrower`` are more precise terms: a search for one of ``terms`` is widened
to them, not the other way round (a narrower term has its own group when it has
synonyms). The first term names the group. A term is equivalent in one group
only, so that what a word widens to is never ambiguous.

``check_group`` is shared by the file loader and the web forms, so a group
typed by a moderator obeys exactly the rules of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.corpus.dump import _yaml
from kb.corpus.fields import URL_RE
from kb.corpus.records import Problem
from kb.corpus.registries import read_registry
from kb.messages import N_
from kb.taxonomy import fold, label_key

THESAURUS_FILE = "_thesaurus.yaml"
THESAURUS_KEYS = ("terms", "narrower", "source")
THESAURUS_SOURCE_KEYS = ("title", "url")
TERM_MAX = 120
TERMS_MAX = 30
SOURCE_TITLE_MAX = 300
URL_MAX = 500
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class ThesaurusRecord:
    terms: tuple[str, ...]
    narrower: tuple[str, ...] = ()
    source_title: str | None = None
    source_url: str | None = None

    @property
    def label(self) -> str:
        return self.terms[0]


def term_key(term: str) -> str:
    """The identity of a term: case, accents, apostrophes and spacing aside."""
    return label_key(term)


def _text(data: Mapping[str, Any], key: str, limit: int, required: bool,
          errors: dict[str, str]) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[key] = N_("« %(field)s » est obligatoire", field=key)
        return None
    if not isinstance(value, str):
        errors[key] = N_("« %(field)s » doit être un texte", field=key)
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        errors[key] = N_("« %(field)s » dépasse %(limit)d caractères (%(length)d)", field=key,
                         limit=limit, length=len(value))
        return None
    return value


def _terms(data: Mapping[str, Any], key: str, errors: dict[str, str]) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors[key] = N_("« %(field)s » doit être une liste de termes", field=key)
        return ()
    out: list[str] = []
    seen: set[str] = set()
    for raw in value:
        term = " ".join(raw.split())
        if not term:
            continue
        if len(term) > TERM_MAX:
            errors[key] = N_("« %(field)s » : le terme « %(term)s… » dépasse %(limit)d caractères",
                             field=key, term=term[:30], limit=TERM_MAX)
            return ()
        if not _LETTER_RE.search(term):
            errors[key] = N_("« %(field)s » : « %(term)s » ne contient aucun mot", field=key,
                             term=term)
            return ()
        if term_key(term) in seen:
            errors[key] = N_("« %(field)s » : le terme « %(term)s » est écrit deux fois",
                             field=key, term=term)
            return ()
        seen.add(term_key(term))
        out.append(term)
    if len(out) > TERMS_MAX:
        errors[key] = N_("« %(field)s » : au plus %(limit)d termes (%(count)d)", field=key,
                         limit=TERMS_MAX, count=len(out))
        return ()
    return tuple(out)


def check_group(data: Mapping[str, Any]) -> tuple[ThesaurusRecord | None, dict[str, str]]:
    """The record of one thesaurus group, or the problems by field (French messages)."""
    errors: dict[str, str] = {}
    terms = _terms(data, "terms", errors)
    narrower = _terms(data, "narrower", errors)
    if "terms" not in errors:
        if not terms:
            errors["terms"] = N_("« terms » est obligatoire : une liste de termes équivalents")
        elif len(terms) == 1 and not narrower and "narrower" not in errors:
            errors["terms"] = N_("« terms » : au moins deux termes équivalents, ou un terme et "
                                 "ses termes plus précis (« narrower »)")
    if not errors:
        both = {term_key(t) for t in terms} & {term_key(t) for t in narrower}
        if both:
            shown = next(t for t in narrower if term_key(t) in both)
            errors["narrower"] = N_("« narrower » : « %(term)s » est déjà dans « terms »",
                                    term=shown)
    title = url = None
    source = data.get("source")
    if source is not None:
        if not isinstance(source, Mapping):
            errors["source"] = N_("« source » doit être un bloc {title, url}")
        else:
            unknown = [str(k) for k in source if k not in THESAURUS_SOURCE_KEYS]
            if unknown:
                errors["source"] = N_("champ inconnu « %(field)s » dans « source » "
                                      "(permis : %(allowed)s)", field=unknown[0],
                                      allowed=", ".join(THESAURUS_SOURCE_KEYS))
            title = _text(source, "title", SOURCE_TITLE_MAX, True, errors)
            url = _text(source, "url", URL_MAX, False, errors)
            if url is not None and not URL_RE.match(url):
                errors["url"] = N_("« url » doit commencer par http:// ou https://")
    if errors:
        return None, errors
    return ThesaurusRecord(terms, narrower, title, url), {}


def clashes(record: ThesaurusRecord, others: Iterable[ThesaurusRecord]) -> str | None:
    """A term of ``record`` already equivalent in one of ``others``, or None."""
    taken = {term_key(t) for other in others for t in other.terms}
    return next((t for t in record.terms if term_key(t) in taken), None)


def load_thesaurus(path: Path, shown: str, problems: list[Problem]) -> list[ThesaurusRecord]:
    """Read ``_thesaurus.yaml``; every problem names the line of its group."""
    result: list[ThesaurusRecord] = []
    owner: dict[str, tuple[str, int]] = {}  # term key -> (group label, line)
    for item in read_registry(path, shown, THESAURUS_KEYS, problems):
        line = item.pop("_line")
        record, errors = check_group(item)
        for key, message in errors.items():
            problems.append(Problem(shown, message, line, key))
        if record is None:
            continue
        taken = next(((t, owner[term_key(t)]) for t in record.terms if term_key(t) in owner), None)
        if taken is not None:
            term, (label, where) = taken
            problems.append(Problem(shown, f"le terme « {term} » est déjà dans le groupe "
                                    f"« {label} » ligne {where}", line, "terms"))
            continue
        for term in record.terms:
            owner[term_key(term)] = (record.label, line)
        result.append(record)
    return result


def group_data(record: ThesaurusRecord) -> dict[str, Any]:
    """The mapping of one group, keys in the documented order, empty fields left out."""
    item: dict[str, Any] = {"terms": list(record.terms)}
    if record.narrower:
        item["narrower"] = list(record.narrower)
    if record.source_title:
        item["source"] = {"title": record.source_title}
        if record.source_url:
            item["source"]["url"] = record.source_url
    return item


def sort_key(record: ThesaurusRecord) -> tuple[str, str]:
    return fold(record.label), record.label


def dump_thesaurus(records: list[ThesaurusRecord]) -> str:
    """The file text of the thesaurus, sorted by first term: a second dump is byte-identical."""
    return _yaml([group_data(r) for r in sorted(records, key=sort_key)])
