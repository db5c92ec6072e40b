"""A light French stemmer and stop list, working on folded (ASCII) words.

Adapted from Jacques Savoy's light stemmer (as in Lucene's ``FrenchLightStemmer``):
it removes inflections (plural, feminine) and a few derivational suffixes, and
nothing more. The Snowball stemmer is too aggressive for this corpus: it merges
"loyer" with "loi", "CAF" with "café" and "éducateurs" with "éducatifs".

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
))

# Elided articles and pronouns: "d'insertion" is "insertion".
ELISIONS = frozenset((
    "s", "m", "c", "j", "n", "d", "l", "t", "qu", "jusqu", "quoiqu", "lorsqu", "puisqu",
    "presqu",
))

_ORDINAL = re.compile(r"^(\d+)(?:e|eme|ieme|er|ere|re|em|eres|emes|es)$")


def _norm(w: str) -> str:
    if len(w) > 4:
        # Squash doubled letters: "tranquillite" = "tranquilite", "acompagn" = "accompagn".
        out = [w[0]]
        for ch in w[1:]:
            if ch != out[-1] or not ch.isalpha():
                out.append(ch)
        w = "".join(out)
    if len(w) > 4 and w.endswith("ie"):
        w = w[:-2]
    if len(w) > 4:
        if w[-1] == "r":
            w = w[:-1]
        if w[-1] == "e":
            w = w[:-1]
        if w[-1] == "e":
            w = w[:-1]
        if len(w) > 1 and w[-1] == w[-2] and w[-1].isalpha():
            w = w[:-1]
    return w


def _suffixes(w: str) -> str:  # noqa: C901 - a table of suffix rules reads best flat
    n = len(w)
    if n > 9 and w.endswith("issement"):
        return _norm(w[:-7] + "r")  # finissement -> finir
    if n > 8 and w.endswith("issant"):
        return _norm(w[:-5] + "r")
    if n > 6 and w.endswith("ement"):
        w = w[:-4]
        if len(w) > 3 and w.endswith("ive"):
            w = w[:-2] + "f"
        return _norm(w)
    if n > 11 and w.endswith("ficatrice"):
        return _norm(w[:-7] + "er")
    if n > 10 and w.endswith("ficateur"):
        return _norm(w[:-6] + "er")
    if n > 9 and w.endswith("catrice"):
        return _norm(w[:-7] + "quer")
    if n > 8 and w.endswith("cateur"):
        return _norm(w[:-6] + "quer")
    if n > 8 and w.endswith("atrice"):
        return _norm(w[:-6] + "er")
    if n > 7 and w.endswith("ateur"):
        return _norm(w[:-5] + "er")
    if n > 6 and w.endswith("trice"):
        return _norm(w[:-4] + "eur")
    if n > 5 and w.endswith("ieme"):
        return _norm(w[:-4])
    if n > 7 and w.endswith("teuse"):
        return _norm(w[:-3] + "r")
    if n > 6 and w.endswith("teur"):
        return _norm(w[:-2] + "r")
    if n > 5 and w.endswith("euse"):
        return _norm(w[:-3] + "r")
    if n > 8 and w.endswith("ere"):
        return _norm(w[:-1])
    if n > 7 and w.endswith("ive"):
        return _norm(w[:-2] + "f")
    if n > 9 and w.endswith("nnelle"):
        return _norm(w[:-5])
    if n > 9 and w.endswith("nnel"):
        return _norm(w[:-3])
    if n > 8 and w.endswith("ique"):
        w = w[:-4]
    if n > 8 and w.endswith("esse"):
        return _norm(w[:-3])
    if n > 7 and w.endswith("inage"):
        return _norm(w[:-3])
    if n > 9 and w.endswith("isation"):
        return _norm(w[:-7])
    if n > 9 and w.endswith("isateur"):
        return _norm(w[:-7])
    if n > 8 and w.endswith("ation"):
        return _norm(w[:-5])
    if n > 8 and w.endswith("ition"):
        return _norm(w[:-5])
    return _norm(w)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of a folded, lower-case word ("locatives" -> "locatif")."""
    if not word.isalpha():
        m = _ORDINAL.match(word)
        if m:  # "18e", "18eme", "18ème" -> "18e"
            return m.group(1) + "e"
        return word
    n = len(word)
    if n > 5 and word[-1] == "x":
        # sociaux -> social, but not eaux
        aux = word[-3:-1] == "au" and word[-4] != "e"
        word = word[:-2] + "l" if aux else word[:-1]
    elif n > 3 and word[-1] == "x":
        word = word[:-1]
    if len(word) > 3 and word[-1] == "s":
        word = word[:-1]
    return _suffixes(word)
