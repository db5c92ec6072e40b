"""The Table Schema of the practices CSV (``schema/pratiques/schema.json``, ``/schema/pratiques.json``).

Built from kb's own declarations (the closed lists of ``kb.vocabulary``, the slug
rule of ``kb.taxonomy``, the date forms the corpus reader accepts) so that the
committed file cannot drift: a test compares it with ``table_schema()``. The
field names are the CSV export's French header, in its order (another test
compares them with ``kb.web.exports.CSV_COLUMNS``).

The export neutralises text that a spreadsheet would run as a formula with a
``'`` (``kb.services.reuse.spreadsheet``): only free-text cells can hold such
text (slugs, dates, URLs and the closed lists never do), and their descriptions
say so.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from kb.taxonomy import SLUG_MAX, SLUG_RE
from kb.vocabulary import EVIDENCE_LEVELS, PRACTICE_STATUSES

VERSION = "0.1.0"
CREATED = "2026-12-08"
LAST_MODIFIED = "2026-12-08"
LICENCE = {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0",
           "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
JOIN = " | "  # the separator of a cell holding several values (kb.web.exports.JOIN)
# A year (2019), a month (2019-09) or a day (2019-09-01), as kb.corpus.fields.year_or_date accepts.
PARTIAL_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

_FORMULA = ("Un texte qui commencerait, même derrière des caractères invisibles, par =, +, -, @, une "
            "tabulation, un retour chariot ou leurs formes pleine chasse, au début de la cellule ou "
            "après un point-virgule ou un saut de ligne, est précédé d’une apostrophe (') pour qu’un "
            "tableur ne l’exécute pas comme une formule.")
_MANY = f"Plusieurs valeurs sont séparées par « {JOIN} » (espace, barre verticale, espace)."


def _text(name: str, title: str, description: str, *, required: bool = False,
          many: bool = False) -> dict[str, Any]:
    parts = [description, _MANY if many else "", _FORMULA]
    field: dict[str, Any] = {"name": name, "title": title, "type": "string",
                             "description": " ".join(p for p in parts if p)}
    if required:
        field["constraints"] = {"required": True}
    return field


def fields() -> list[dict[str, Any]]:
    """One field per CSV column, in the export's order."""
    return [
        {"name": "slug", "title": "Identifiant", "type": "string",
         "description": "Identifiant stable de la pratique : minuscules ASCII, chiffres et tirets ; "
                        "c’est aussi la fin de l’adresse de sa page.",
         "example": "gardiens-medicateurs-exemple",
         "constraints": {"required": True, "unique": True, "pattern": SLUG_RE.pattern,
                         "maxLength": SLUG_MAX}},
        _text("titre", "Titre", "Titre de la pratique.", required=True),
        _text("résumé", "Résumé", "Résumé de la pratique en quelques phrases.", required=True),
        _text("thèmes", "Thèmes", "Thèmes de la pratique, tels que les nomme le registre des thèmes "
                                  "de l’instance (liste ouverte).", many=True),
        _text("bailleurs", "Bailleurs", "Bailleurs sociaux qui portent la pratique.", many=True),
        _text("partenaires", "Partenaires", "Organisations partenaires (associations, "
                                            "collectivités, État…).", many=True),
        _text("villes", "Villes", "Communes où la pratique est menée.", many=True),
        _text("quartiers", "Quartiers", "Quartiers où la pratique est menée.", many=True),
        {"name": "statut", "title": "Statut", "type": "string",
         "description": "Où en est la pratique. Vide quand la fiche ne le dit pas.",
         "example": PRACTICE_STATUSES[2],
         "constraints": {"enum": list(PRACTICE_STATUSES)}},
        {"name": "début", "title": "Début", "type": "string",
         "description": "Début de la pratique : une année (2019), un mois (2019-09) ou une date "
                        "(2019-09-01). Vide quand la fiche ne le dit pas.",
         "example": "2019-09",
         "constraints": {"pattern": PARTIAL_DATE}},
        {"name": "fin", "title": "Fin", "type": "string",
         "description": "Fin de la pratique, sous la même forme que le début. Vide quand elle se "
                        "poursuit ou que la fiche ne le dit pas.",
         "example": "2023",
         "constraints": {"pattern": PARTIAL_DATE}},
        {"name": "niveau de preuve", "title": "Niveau de preuve", "type": "string",
         "description": "Ce que l’on sait des effets de la pratique. Vide quand la fiche ne le dit pas.",
         "example": EVIDENCE_LEVELS[1],
         "constraints": {"enum": list(EVIDENCE_LEVELS)}},
        {"name": "url", "title": "Adresse de la fiche", "type": "string", "format": "uri",
         "description": "Adresse absolue de la page publique de la pratique.",
         "example": "https://kb.example.org/pratiques/gardiens-medicateurs-exemple",
         "constraints": {"required": True}},
    ]


def table_schema(base: str | None = None) -> dict[str, Any]:
    """The Table Schema; ``base`` (the site's root) adds where this instance serves it."""
    schema: dict[str, Any] = {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "pratiques-logement-social",
        "title": "Pratiques du logement social",
        "description": "Une ligne par pratique publiée d’une base kb : actions menées par des "
                       "bailleurs sociaux et leurs partenaires, telles que les exporte "
                       "/recherche.csv (UTF-8 avec BOM, séparateur virgule).",
        "countryCode": "FR",
        "version": VERSION,
        "created": CREATED,
        "lastModified": LAST_MODIFIED,
        "licenses": [LICENCE],
        "contributors": [{"title": "Contributeurs du logiciel kb", "role": "author"}],
        "missingValues": [""],
        "primaryKey": ["slug"],
        "fields": fields(),
    }
    if base is not None:
        schema["homepage"] = base + "/donnees"
        schema["path"] = base + "/schema/pratiques.json"
    return schema


def field_names() -> tuple[str, ...]:
    return tuple(f["name"] for f in fields())


def schema_json(base: str | None = None) -> str:
    """The schema as the committed file holds it: UTF-8 JSON, two-space indent, final newline."""
    return json.dumps(table_schema(base), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m kb.services.reuse.schema > schema/pratiques/schema.json
    sys.stdout.write(schema_json())
