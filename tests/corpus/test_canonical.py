"""The corpus in git is in canonical form: ``kb export`` of it rewrites it byte for byte.

So a review in git shows only real changes: a moderator's publish followed by
``kb export practices/`` changes exactly the one file.
"""

from __future__ import annotations

from pathlib import Path

from kb.config import ROOT
from kb.services.corpus import export_folder, import_folder

BUNDLED = ROOT / "practices"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and p.name != "README.md"}


def test_export_of_the_bundled_corpus_is_the_bundled_corpus(runtime, tmp_path):
    with runtime.session() as session:
        report = import_folder(session, BUNDLED)
    assert not report.errors
    with runtime.session(write=False) as session:
        export_folder(session, tmp_path / "out")
    exported, committed = files(tmp_path / "out"), files(BUNDLED)
    assert sorted(exported) == sorted(committed)
    changed = [name for name in committed if exported[name] != committed[name]]
    assert not changed, ("not in canonical form (run `kb export` on a database holding them "
                         f"and commit the result): {changed}")
