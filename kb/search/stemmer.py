"""A light French stemmer and stop list, working on folded (ASCII) words.

Close to Lucene's ``FrenchMinimalStemmer``, plus the regular feminine endings:
it removes inflections (plural, feminine, participle) and nothing more. Savoy's
light stemmer and Snowball also remove derivational suffixes, and so merge words
of different meaning ("isolement" and "isolation", "habitat" and "habitant",
"loyer" and "loi", "CAF" and "café").

Words arrive folded (``kb.taxonomy.fold``): accents and ligatures are gone, so
"tranquillité" and "tranquillite" share one stem.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Whoosh's French list lacks many frequent words (les, cette, dont, ou, plus,
# tous...). Folded forms, since stop words are removed after folding.
STOP_WORDS = frozenset((
    "a", "ai", "aie", "aient", "aies", "ait", "alors", "as", "au", "aucun", "aucune",
    "aupres", "aussi", "autre", "autres", "aux", "avaient", "avais", "avait", "avant", "avec",
    "avez", "aviez", "avions", "avoir", "avons", "ayant", "ayez", "ayons", "c", "ca", "car",
    "ce", "ceci", "cela", "celle", "celles", "celui", "cependant", "ces", "cet", "cette",
    "ceux", "chaque", "chez", "ci", "comme", "comment", "d", "dans", "de", "deja", "depuis",
    "des", "donc", "dont", "du", "elle", "elles", "en", "encore", "entre", "es", "est", "et",
    "etaient", "etais", "etait", "etant", "ete", "etes", "etiez", "etions", "etre", "eu",
    "eue", "eues", "eurent", "eus", "eut", "eux", "fait", "faites", "font", "furent", "fut",
    "i", "il", "ils", "j", "je", "jusqu", "l", "la", "le", "les", "leur", "leurs", "lors",
    "lorsqu", "lui", "m", "ma", "mais", "me", "meme", "memes", "mes", "moi", "mon", "n", "ne",
    "ni", "nos", "notre", "nous", "on", "ont", "ou", "par", "parce", "pas", "peu", "peut",
    "plus", "pour", "pourquoi", "puis", "qu", "quand", "que", "quel", "quelle", "quelles",
    "quels", "qui", "quoi", "s", "sa", "sans", "se", "selon", "seront", "ses", "si", "sien",
    "soi", "soit", "sommes", "son", "sont", "sous", "sur", "t", "ta", "tandis", "te", "tel",
    "telle", "telles", "tels", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "tres",
    "tu", "un", "une", "unes", "uns", "vers", "via", "vos", "votre", "vous", "y",
    # Prepositions and adverbs that carry no subject ("lutter contre", "après").
    "afin", "ainsi", "apres", "contre", "durant", "hors", "malgre", "parmi", "pendant",
    "sauf", "toujours",
))

# Elided articles and pronouns: "d'insertion" is "insertion".
ELISIONS = frozenset((
    "s", "m", "c", "j", "n", "d", "l", "t", "qu", "jusqu", "quoiqu", "lorsqu", "puisqu",
    "presqu",
))

_ORDINAL = re.compile(r"^(\d+)(?:e|eme|ieme|er|ere|re|em|eres|emes|es)$")
# Roman ordinals as written ("XVIIIe", "IVème"): matched on the word as typed, in
# capitals, so that lower-case words ("vie", "mie") are never read as numbers.
_ROMAN_ORDINAL = re.compile(r"^([IVXL]+)(?:e|è|ème|eme|ième|ieme|er|ère|re)$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
# Abbreviations of place names, read as the full word ("St-Denis", "Ste Marthe").
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def roman_ordinal(word: str) -> str | None:
    """ "XVIIIe" -> "18e"; None for anything else (the word as written, not folded)."""
    m = _ROMAN_ORDINAL.match(word)
    if not m:
        return None
    total = 0
    digits = [_ROMAN[c] for c in m.group(1)]
    for i, value in enumerate(digits):
        total += -value if i + 1 < len(digits) and digits[i + 1] > value else value
    return f"{total}e" if 0 < total < 90 else None


def _squash(w: str) -> str:
    """Doubled letters once: a frequent typo ("tranquilité") and the feminine
    doubling ("gardienne", "personnelle") in one rule."""
    out = [w[0]]
    for ch in w[1:]:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Minimal stem of a folded, lower-case word: plural and feminine forms only.

    "locatives" -> "locatif", "gardiennes" -> "gardien", "sorties" -> "sorti".
    Derivational suffixes (-ement, -ation, -age, -eur, -ant, -ier...) are kept:
    "isolement" and "isolation", "habitat" and "habitant", "bail" and "bailleur"
    stay different words. ``tests/search/test_search_stemmer_pairs.py`` holds the
    table of pairs that must, or must not, meet.
    """
    if not word.isalpha():
        m = _ORDINAL.match(word)
        if m:  # "18e", "18eme", "18ème" -> "18e"
            return m.group(1) + "e"
        return word
    n = len(word)
    # Plural.
    if n > 4 and word.endswith("aux") and word[-4] != "e":
        word = word[:-2] + "l"  # sociaux -> social (but bureaux -> bureau)
    elif n > 3 and word[-1] in "sx" and word[-2] != "s":
        word = word[:-1]
    if len(word) > 3:
        word = _squash(word)
    if len(word) <= 4:
        return word
    # Feminine and participle forms onto the masculine.
    if word.endswith("trice"):
        word = word[:-5] + "teur"  # mediatrice -> mediateur
    elif word.endswith("euse"):
        word = word[:-4] + "eur"  # travailleuse -> travailleur
    elif word.endswith("ive"):
        word = word[:-3] + "if"  # locative -> locatif
    for _ in range(2):  # "accompagnee", "sortie", "jeune"
        if len(word) > 4 and word[-1] == "e":
            word = word[:-1]
    if len(word) > 5 and word.endswith("er"):
        word = word[:-2]  # accompagner = accompagne; premier = premiere
    elif len(word) > 5 and word.endswith("eur"):
        word = word[:-1]  # heureux = heureuse; travailleur = travailleuse
    if len(word) > 4 and word[-1] == word[-2]:
        word = word[:-1]
    return word
