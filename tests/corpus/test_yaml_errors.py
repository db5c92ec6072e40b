"""YAML mistakes are explained in French: line, column, the usual cause and the fix.

Also: every example file in the README loads without a problem.
"""

from __future__ import annotations

import re
import shutil

import pytest

from kb.config import ROOT
from kb.corpus import load_corpus
from kb.corpus.frontmatter import split
from kb.services.corpus import validate_folder

QUOTES = "entre guillemets"
MISTAKES = [
    # (header, line of the mistake in the file, words the message must hold)
    ("title: Accueil : mode d’emploi\n", 2, ["« : »", QUOTES]),
    ("title: x\nsummary: Objectif : réduire les troubles\n", 3, ["« : »", QUOTES]),
    ("title: x\nsources:\n  - title: Rapport : bilan 2023\n", 4, ["« : »", QUOTES]),
    ('title: "Le club" de prévention\n', 2, ["guillemet", QUOTES]),
    ("title: 'L'équipe mobile\n", 2, ["guillemet", QUOTES]),
    ("title: [Brouillon] Médiation\n", 2, ["« [ »", QUOTES]),
    ("title: {x} Médiation\n", 2, ["« { »", QUOTES]),
    ("title: *Médiation\n", 2, ["« * »", QUOTES]),
    ("title: &Médiation\n", 2, ["« & »", QUOTES]),
    ("title: !Médiation\n", 2, ["« ! »", QUOTES]),
    ("title: %Médiation\n", 2, ["« % »", QUOTES]),
    ("title: @Médiation\n", 2, ["« @ »", QUOTES]),
    ("title: #1 de la médiation\n", 2, ["« # »", "commentaire", QUOTES]),
    ("title: x\nthemes:\n\t- Médiation\n", 4, ["tabulation", "espaces"]),
    ("title: x\nthemes:\n  - Médiation\n  Jeunesse\nsummary: y\n", 5, ["« - »", "élément de liste"]),
]


@pytest.mark.parametrize(("header", "line", "words"), MISTAKES)
def test_yaml_mistakes_are_explained_in_french(header, line, words):
    problem = split(f"---\n{header}---\n\nCorps.\n", "fiche.md")
    assert problem.line == line
    assert problem.message.startswith(f"YAML invalide (ligne {line}, colonne ")
    for word in words:
        assert word in problem.message
    assert "mapping values" not in problem.message and "could not find" not in problem.message


def test_a_registry_mistake_is_explained_too(tmp_path):
    (tmp_path / "_themes.yaml").write_text("- label: Accueil : mode d’emploi\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    [problem] = corpus.errors
    assert problem.line == 1 and "« : »" in problem.message and QUOTES in problem.message


def readme_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [block for block in re.findall(r"```markdown\n(.*?)```", text, re.S) if block.startswith("---\n")]


def test_the_readme_has_examples():
    assert readme_examples()


@pytest.mark.parametrize("number", range(len(readme_examples())))
def test_each_readme_example_loads_without_a_problem(number, tmp_path):
    for name in ("_organisations.yaml", "_themes.yaml"):
        shutil.copy(ROOT / "practices" / name, tmp_path / name)
    (tmp_path / "exemple.md").write_text(readme_examples()[number], encoding="utf-8")
    corpus = validate_folder(None, tmp_path)
    assert not corpus.problems, [str(p) for p in corpus.problems]
    assert len(corpus.practices) + len(corpus.events) == 1
