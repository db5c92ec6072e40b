"""Point 7: a 505-byte file of nested YAML aliases made ``kb validate`` run 102 s of CPU.

Anchors and aliases are refused from the parser's events, before any tree is built
or walked, with the file and the line; ``kb validate`` of any file up to 1 MB stays
within the budget, a billion-laughs file or an ordinary one.
"""

from __future__ import annotations

from kb.corpus.load import load_corpus, load_practice

from .support import ASSERTED, cpu

HEAD = "summary: Résumé.\nthemes: [Médiation]\nlandlords: [Bailleur]\ncities: [Rouen]\n"


def _laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines)


def _practice(header: str) -> str:
    return f"---\ntitle: Titre\n{HEAD}{header}\n---\n\n## Contexte\n\nCorps.\n"


def test_a_billion_laughs_is_refused_at_once_with_its_line():
    problems = []
    record, seconds = cpu(load_practice, _practice(_laughs()), "rires", "rires.md", problems)
    assert record is None
    assert seconds < ASSERTED / 4, f"{seconds:.2f} s"
    assert [p.path for p in problems] == ["rires.md"]
    # The first anchor is on line 7: "---", title, four lines of HEAD, then a0.
    assert problems[0].line == 7
    assert "l'ancre YAML « &a0 » n'est pas permis" in problems[0].message
    assert "(ligne 7)" in problems[0].message


def test_an_alias_alone_is_refused_too():
    text = _practice("contact: *rien")
    problems = []
    assert load_practice(text, "alias", "alias.md", problems) is None
    assert "l'alias YAML « *rien »" in problems[0].message


def test_a_star_or_ampersand_inside_a_value_is_not_an_alias():
    problems = []
    text = _practice('contact: "*accueil* & écoute"').replace("title: Titre", "title: Café & thé")
    record = load_practice(text, "etoile", "etoile.md", problems)
    assert record is not None, problems
    assert record.title == "Café & thé"


def test_validate_refuses_the_laughs_within_the_budget(runner, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "rires.md").write_text(_practice(_laughs()), encoding="utf-8")
    result, seconds = cpu(runner, "validate", str(folder))
    assert result.exit_code == 1
    assert "rires.md" in result.output and "l'ancre YAML « &a0 »" in result.output
    assert seconds < ASSERTED, f"{seconds:.2f} s"


def test_registries_refuse_aliases(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "_themes.yaml").write_text(
        "- label: &t Médiation\n- label: *t\n" + _laughs(8).replace("a0:", "- a0:", 1) + "\n",
        encoding="utf-8")
    corpus, seconds = cpu(load_corpus, folder)
    assert seconds < ASSERTED / 2
    assert [(p.path.endswith("_themes.yaml"), p.line) for p in corpus.problems] == [(True, 1)]
    assert "l'ancre YAML « &t »" in corpus.problems[0].message


def test_validate_of_an_ordinary_one_megabyte_file_is_within_the_budget(runner, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    # A long header (one value per line, stars and ampersands in the text) and a long body.
    cities = "\n".join(f"  - Ville {n} & *environs*" for n in range(12_000))
    header = HEAD.replace("cities: [Rouen]\n", "") + f"cities:\n{cities}"
    paragraph = "Un paragraphe ordinaire, avec *emphase* & esperluette. " * 14
    body = "\n\n".join([paragraph] * 800)
    text = f"---\ntitle: Titre\n{header}\n---\n\n## Contexte\n\n{body}\n"
    assert 900_000 < len(text.encode()) <= 1_000_000, len(text.encode())
    (folder / "gros.md").write_text(text, encoding="utf-8")
    result, seconds = cpu(runner, "validate", str(folder))
    assert seconds < ASSERTED, f"{seconds:.2f} s"
    assert "Traceback" not in result.output
