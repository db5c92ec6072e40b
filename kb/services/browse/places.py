"""The "Lieu" fact of the practice sheet: cities with their districts written compactly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# "10e arrondissement", "1er arrondissement de Lyon", "3ème arr." (a city's municipal districts).
_ARRONDISSEMENT = re.compile(
    r"^\s*(\d{1,2})\s*(?:e|er|ère|ème|eme)\s+arr(?:ondissement|\.)?"
    r"(?:\s+(?:de|d[’'])\s*(?P<city>[^\s].*?))?\s*$", re.IGNORECASE)


def ordinal(number: int) -> str:
    """French ordinal abbreviation of a district number: 1er, 2e, 10e."""
    return "1er" if number == 1 else f"{number}e"


@dataclass(frozen=True)
class PlaceLine:
    """One line of the "Lieu" fact: a city (or none) and what is known within it."""

    slug: str | None
    label: str | None
    arrondissements: str = ""  # "10e, 11e, 18e"
    districts: str = ""  # other districts, comma separated


def place_lines(cities: Sequence[tuple[str, str]], districts: Sequence[str]) -> list[PlaceLine]:
    """Cities with their districts written compactly: ``Paris 10e, 11e, 18e``.

    ``cities`` are ``(slug, label)``. Districts cannot be tied to one city when
    there are several, so they then go on a line of their own.
    """
    numbers: list[int] = []
    others: list[str] = []
    for label in districts:
        found = _ARRONDISSEMENT.match(label)
        if found:
            numbers.append(int(found.group(1)))
        else:
            others.append(label)
    arrondissements = ", ".join(ordinal(n) for n in sorted(set(numbers)))
    rest = ", ".join(dict.fromkeys(others))
    if len(cities) == 1:
        slug, label = cities[0]
        return [PlaceLine(slug, label, arrondissements, rest)]
    lines = [PlaceLine(slug, label) for slug, label in cities]
    if arrondissements or rest:
        lines.append(PlaceLine(None, None, arrondissements, rest))
    return lines
