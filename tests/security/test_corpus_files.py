"""Point 9: symbolic links in a corpus folder were followed outside it: a link to a
practice file elsewhere was imported and published, a link to /etc/passwd was read.

Files are data: what resolves outside the folder and anything that is not a regular
file (a link to elsewhere, a named pipe, a device, a dangling link) are refused,
named, by ``kb validate``, ``kb import`` and ``kb init --corpus``, registries included,
and never opened (a named pipe would block the reader).
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from kb.corpus.load import load_corpus
from kb.models import Practice, Theme

PRACTICE = ("---\ntitle: Pratique du dehors\nsummary: Résumé.\nthemes: [Médiation]\n"
            "landlords: [Bailleur du dehors]\ncities: [Rouen]\n---\n\n## Contexte\n\nCorps.\n")


@pytest.fixture
def hostile(tmp_path, corpus_dir):
    """The fixture corpus with a link to a practice elsewhere, to /etc/passwd, a FIFO,
    a device, a dangling link, a link to a registry elsewhere and a link inside."""
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "du-dehors.md").write_text(PRACTICE, encoding="utf-8")
    (outside / "_themes.yaml").write_text("- label: Thème du dehors\n", encoding="utf-8")
    (corpus_dir / "du-dehors.md").symlink_to(outside / "du-dehors.md")
    (corpus_dir / "mot-de-passe.md").symlink_to("/etc/passwd")
    os.mkfifo(corpus_dir / "tube.md")
    (corpus_dir / "nul.md").symlink_to("/dev/null")
    (corpus_dir / "casse.md").symlink_to(tmp_path / "nulle-part.md")
    if (corpus_dir / "_themes.yaml").exists():
        (corpus_dir / "_themes.yaml").unlink()
    (corpus_dir / "_themes.yaml").symlink_to(outside / "_themes.yaml")
    (corpus_dir / "rendez-vous").mkdir(exist_ok=True)
    (corpus_dir / "rendez-vous" / "fuite.md").symlink_to(outside / "du-dehors.md")
    inside = sorted(p for p in corpus_dir.glob("*.md") if not p.is_symlink()
                    and p.is_file() and not p.name.startswith("_") and p.name != "README.md")[0]
    (corpus_dir / "copie-interne.md").symlink_to(inside)
    return corpus_dir


REFUSED = {
    "du-dehors.md": "hors du dossier du corpus",
    "mot-de-passe.md": "hors du dossier du corpus (/etc/passwd",
    "tube.md": "ce n’est pas un fichier ordinaire mais un tube nommé (FIFO) : refusé",
    "nul.md": "hors du dossier du corpus (/dev/null",
    "casse.md": "lien symbolique cassé ou en boucle : refusé",
    "_themes.yaml": "hors du dossier du corpus",
    "fuite.md": "hors du dossier du corpus",
}


def test_every_special_file_is_refused_and_named(hostile):
    corpus = load_corpus(hostile)  # would block forever on the FIFO if it opened it
    messages = {os.path.basename(p.path): p.message for p in corpus.problems}
    for name, said in REFUSED.items():
        assert said in messages.get(name, ""), (name, messages.get(name))
    assert "Pratique du dehors" not in [p.title for p in corpus.practices]
    assert "Thème du dehors" not in [t.label for t in corpus.themes]
    assert not any("root:" in p.message for p in corpus.problems)
    # A link to a file of the folder itself is data of the folder: read.
    assert "copie-interne.md" not in messages


def test_a_device_is_refused(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    try:
        os.mknod(folder / "disque.md", 0o600 | 0o020000, os.makedev(1, 3))  # like /dev/null
    except PermissionError:
        pytest.skip("mknod of a device needs root (CAP_MKNOD)")
    corpus = load_corpus(folder)
    assert [(os.path.basename(p.path), p.message) for p in corpus.problems] == [
        ("disque.md", "ce n’est pas un fichier ordinaire mais un périphérique : refusé")]


def test_validate_names_them_and_fails(runner, hostile):
    result = runner("validate", str(hostile))
    assert result.exit_code == 1
    for name, said in REFUSED.items():
        line = next((line for line in result.output.splitlines() if name in line), "")
        assert said in line, (name, result.output)


def test_import_and_init_publish_nothing_from_outside(runner, runtime, hostile):
    for command in (("init", "--corpus", str(hostile)), ("import", str(hostile))):
        result = runner(*command)
        assert "hors du dossier du corpus (/etc/passwd" in result.output, command
        assert "tube nommé (FIFO)" in result.output, command
    with runtime.session(write=False) as session:
        titles = set(session.scalars(select(Practice.title)))
        themes = set(session.scalars(select(Theme.label)))
    assert "Pratique du dehors" not in titles and "Thème du dehors" not in themes
    assert len(titles) >= 2  # the regular files were imported


def test_the_folder_given_may_itself_be_a_link(tmp_path, corpus_dir):
    # Its content is what must stay inside it.
    link = tmp_path / "lien-vers-corpus"
    link.symlink_to(corpus_dir)
    direct, linked = load_corpus(corpus_dir), load_corpus(link)
    assert len(linked.practices) == len(direct.practices) > 0
    assert [p.message for p in linked.problems] == [p.message for p in direct.problems]
