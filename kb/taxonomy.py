"""Labels, keys and slugs.

Two labels that differ only by case, accents, ligatures, apostrophes, hyphens or
spacing share one *key*; the key is also the slug (ASCII, lower case, words
joined by ``-``). When several spellings of one value meet, the best-written one
is displayed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters NFKD does not decompose to ASCII but French writes often.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "đ": "d"}
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 120


# The combining marks of French accents (U+0300..U+036F, those of a combining class):
# removed in C, so a French text needs no walk character by character.
_ACCENT_MARKS = {cp: None for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: accents and ligatures removed."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES)).translate(_ACCENT_MARKS)
    if not text.isascii():  # other scripts' marks: every combining character goes
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """ASCII lower-case slug; every apostrophe, hyphen or space separates words."""
    slug = _NON_WORD.sub("-", fold(text)).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rstrip("-")
    return slug


label_key = slugify
"""The identity of a label: two labels with one key are one value."""


def is_slug(text: str) -> bool:
    """True when ``text`` is a well-formed slug (checked before any lookup)."""
    return len(text) <= SLUG_MAX and bool(SLUG_RE.match(text))


def clean_label(text: str) -> str:
    """Collapse inner whitespace and normalise to NFC, keeping the writing."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _label_quality(label: str) -> tuple[int, int, int, int]:
    letters = [ch for ch in label if ch.isalpha()]
    accented = sum(1 for ch in letters if fold(ch) != ch.lower())
    all_caps = len(letters) > 4 and all(ch.isupper() for ch in letters)
    capitalised = bool(letters) and letters[0].isupper()
    typographic = label.count("’") + label.count("-")
    return (accented, 0 if all_caps else 1, 1 if capitalised else 0, typographic)


def best_label(*labels: str) -> str:
    """The best-written of several spellings: accents kept, not shouting, capitalised.

    Ties keep the first label, so an existing label is never churned by an
    equally good spelling.
    """
    if len(set(labels)) == 1:
        return labels[0]
    best = labels[0]
    for label in labels[1:]:
        if _label_quality(label) > _label_quality(best):
            best = label
    # "tranquillité" from one file and "Tranquillite" from another: keep both merits.
    if best[:1].islower() and any(label[:1].isupper() for label in labels):
        best = best[0].upper() + best[1:]
    return best


# -- the cities divided into municipal arrondissements ----------------------------------

# Paris, Lyon and Marseille are each one commune, divided by law into arrondissements:
# "Lyon 8e" is Lyon, in its 8th arrondissement, not a city of its own.
ARRONDISSEMENT_CITIES = {"paris": ("Paris", 20), "lyon": ("Lyon", 9), "marseille": ("Marseille", 16)}
_ORDINAL = r"(?P<n>\d{1,2})\s*(?:e|er|ère|re|ème|eme|è)?"
_CITY_THEN_NUMBER = re.compile(
    r"^\s*(?P<city>paris|lyon|marseille)[\s\-,]+" + _ORDINAL
    + r"(?:\s+arr(?:ondissement|\.)?)?\s*$", re.IGNORECASE)
_NUMBER_THEN_CITY = re.compile(
    r"^\s*" + _ORDINAL + r"\s+arr(?:ondissement|\.)?\s+(?:de\s+|d[’'])?\s*(?P<city>paris|lyon|marseille)\s*$",
    re.IGNORECASE)


def arrondissement_label(number: int) -> str:
    """How the corpus writes a district: "1er arrondissement", "8e arrondissement"."""
    return f"{'1er' if number == 1 else f'{number}e'} arrondissement"


def split_arrondissement(label: str) -> tuple[str, str] | None:
    """``("Lyon", "8e arrondissement")`` for "Lyon 8e", "Lyon 8ème arrondissement",
    "8e arrondissement de Lyon"; None for any other place (and for a number the city
    does not have)."""
    found = _CITY_THEN_NUMBER.match(label) or _NUMBER_THEN_CITY.match(label)
    if not found:
        return None
    city, count = ARRONDISSEMENT_CITIES[fold(found.group("city"))]
    number = int(found.group("n"))
    return (city, arrondissement_label(number)) if 1 <= number <= count else None


def cities_with_arrondissements(cities: list[str], districts: list[str]) -> tuple[list[str], list[str]]:
    """Cities and districts with every "Lyon 8e" written as the city Lyon and its district."""
    if not any(split_arrondissement(label) for label in cities):
        return cities, districts
    new_cities: list[str] = []
    new_districts = list(districts)
    known = {label_key(d) for d in districts}
    for label in cities:
        split = split_arrondissement(label)
        city, district = split if split else (label, None)
        if label_key(city) not in {label_key(c) for c in new_cities}:
            new_cities.append(city)
        if district and label_key(district) not in known:
            new_districts.append(district)
            known.add(label_key(district))
    return new_cities, new_districts
