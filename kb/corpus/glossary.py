"""The glossary registry ``_glossaire.yaml``: acronyms of the field, checked and written back.

One entry a list item::

    - acronym: QPV
      expansion: quartier prioritaire de la politique de la ville
      definition: Un texte court, écrit pour kb.
      source:
        title: Titre de la page publique
        url: https://...

``check_term`` is shared by the file loader and the web forms, so a term typed
by a moderator obeys exactly the rules of the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.corpus.dump import _yaml
from kb.corpus.fields import URL_RE
from kb.corpus.records import Problem
from kb.corpus.registries import read_registry  # the registry reader shared with themes
from kb.messages import N_

GLOSSARY_FILE = "_glossaire.yaml"
GLOSSARY_KEYS = ("acronym", "expansion", "definition", "source")
GLOSSARY_SOURCE_KEYS = ("title", "url")
ACRONYM_MAX = 20
EXPANSION_MAX = 200
DEFINITION_MAX = 800
SOURCE_TITLE_MAX = 300
URL_MAX = 500
# Capitals and digits, with inner hyphens: "QPV", "NPNRU", "SIAE", "3DS".
ACRONYM_RE = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$")


@dataclass(frozen=True)
class GlossaryRecord:
    acronym: str
    expansion: str
    definition: str | None = None
    source_title: str | None = None
    source_url: str | None = None


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


def check_term(data: Mapping[str, Any]) -> tuple[GlossaryRecord | None, dict[str, str]]:
    """The record of one glossary entry, or the problems by field (French messages)."""
    errors: dict[str, str] = {}
    acronym = _text(data, "acronym", ACRONYM_MAX, True, errors)
    if acronym is not None and not ACRONYM_RE.match(acronym):
        errors["acronym"] = N_("« acronym » vaut « %(acronym)s » : majuscules sans accent et "
                               "chiffres attendus (tirets permis à l'intérieur), par exemple "
                               "« QPV »", acronym=acronym)
    expansion = _text(data, "expansion", EXPANSION_MAX, True, errors)
    definition = _text(data, "definition", DEFINITION_MAX, False, errors)
    title = url = None
    source = data.get("source")
    if source is not None:
        if not isinstance(source, Mapping):
            errors["source"] = N_("« source » doit être un bloc {title, url}")
        else:
            unknown = [str(k) for k in source if k not in GLOSSARY_SOURCE_KEYS]
            if unknown:
                errors["source"] = N_("champ inconnu « %(field)s » dans « source » "
                                      "(permis : %(allowed)s)", field=unknown[0],
                                      allowed=", ".join(GLOSSARY_SOURCE_KEYS))
            title = _text(source, "title", SOURCE_TITLE_MAX, True, errors)
            url = _text(source, "url", URL_MAX, False, errors)
            if url is not None and not URL_RE.match(url):
                errors["url"] = N_("« url » doit commencer par http:// ou https://")
    if errors:
        return None, errors
    assert acronym is not None and expansion is not None
    return GlossaryRecord(acronym, expansion, definition, title, url), {}


def load_glossary(path: Path, shown: str, problems: list[Problem]) -> list[GlossaryRecord]:
    """Read ``_glossaire.yaml``; every problem names the line of its entry."""
    result: list[GlossaryRecord] = []
    seen: dict[str, int] = {}
    for item in read_registry(path, shown, GLOSSARY_KEYS, problems):
        line = item.pop("_line")
        record, errors = check_term(item)
        for key, message in errors.items():
            problems.append(Problem(shown, message, line, key))
        if record is None:
            continue
        if record.acronym in seen:
            problems.append(Problem(shown, f"le sigle « {record.acronym} » est déjà défini "
                                    f"ligne {seen[record.acronym]}", line, "acronym"))
            continue
        seen[record.acronym] = line
        result.append(record)
    return result


def term_data(record: GlossaryRecord) -> dict[str, Any]:
    """The mapping of one entry, keys in the documented order, empty fields left out."""
    item: dict[str, Any] = {"acronym": record.acronym, "expansion": record.expansion}
    if record.definition:
        item["definition"] = record.definition
    if record.source_title:
        item["source"] = {"title": record.source_title}
        if record.source_url:
            item["source"]["url"] = record.source_url
    return item


def dump_glossary(records: list[GlossaryRecord]) -> str:
    """The file text of the glossary, sorted by acronym: a second dump is byte-identical."""
    return _yaml([term_data(r) for r in sorted(records, key=lambda r: r.acronym)])
