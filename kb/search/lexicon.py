"""Is a word a real word? French and English word lists shipped in ``pyspellchecker``.

A typed word found in one of these lists is a real word: it is never "corrected"
("propreté" is not a typo of "propriétés") and never matched through near
spellings ("motos" is not "mots"). English counts too because the field writes
anglicisms ("deal", "squat", "internet"). The lists are pyspellchecker's
frequency lists (MIT licence, built from OpenSubtitles and Wikipedia): about
140,000 French and 160,000 English forms, kept folded (accents and case
removed) so that "mediation" typed without accents is found.

Loaded once per process, on the first question only (``kb --help`` and most
searches never need it), and each answer is memoised. A list is kept as the
sorted 64-bit hashes of its words (``hash`` is stable within a process): 1.2 MB
rather than 30 MB of string objects and a set.
"""

from __future__ import annotations

import gzip
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np

LANGUAGES = ("fr", "en")
_KEY = re.compile(r'"([^"\n]*)":')
_MARKS = re.compile("[\u0300-\u036f]")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae"})
_lock = threading.Lock()
_words: dict[str, np.ndarray] = {}


def _load(lang: str) -> np.ndarray:
    raw = (resources.files("spellchecker") / "resources" / f"{lang}.json.gz").read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    # Folded as ``kb.taxonomy.fold`` folds Latin letters, in one pass over all
    # the keys joined (C loops, not 150,000 calls).
    keys = "\n".join(_KEY.findall(text)).lower().translate(_LIGATURES)
    found = set(_MARKS.sub("", unicodedata.normalize("NFKD", keys)).split("\n"))
    found.discard("")
    return np.unique(np.fromiter(map(hash, found), np.int64, len(found)))


def words(lang: str) -> np.ndarray:
    """The sorted hashes of the folded words of one list (loaded on first use: about
    0.15 s each)."""
    found = _words.get(lang)
    if found is None:
        with _lock:
            found = _words.get(lang)
            if found is None:
                found = _words[lang] = _load(lang)
    return found


@lru_cache(maxsize=50_000)
def is_word(folded: str) -> bool:
    """True if ``folded`` (a folded, lower-case word) is a French or English word.

    French is asked first: the English list is loaded only for a word that is not French.
    """
    h = hash(folded)
    for lang in LANGUAGES:
        hashes = words(lang)
        i = int(np.searchsorted(hashes, h))
        if i < len(hashes) and hashes[i] == h:
            return True
    return False
