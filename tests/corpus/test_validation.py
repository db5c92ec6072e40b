"""Each validation rule: the message names the file and the field, every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.corpus import load_corpus

VALID = """---
title: Pratique de test
summary: Résumé synthétique.
themes: [Tranquillité résidentielle]
landlords: [Office Test Habitat]
cities: [Rouen]
---

## Contexte

Texte.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str, name: str = "pratique.md") -> list:
    write(tmp_path, name, text)
    return load_corpus(tmp_path).problems


def with_header(extra: str = "", drop: str | None = None, body: str = "Texte.") -> str:
    lines = VALID.split("---")[1].strip().split("\n")
    if drop:
        lines = [line for line in lines if not line.startswith(f"{drop}:")]
    header = "\n".join(lines + ([extra] if extra else []))
    return f"---\n{header}\n---\n\n{body}\n"


def only(problems: list, field: str | None):
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.path.endswith("pratique.md")
    assert problem.field == field
    assert "pratique.md" in str(problem)
    return problem


def test_valid_file_has_no_problem(tmp_path):
    assert problems_for(tmp_path, VALID) == []


@pytest.mark.parametrize("field", ["title", "summary", "themes", "cities"])
def test_missing_required_field_is_named(tmp_path, field):
    problem = only(problems_for(tmp_path, with_header(drop=field)), field)
    assert "obligatoire" in problem.message and field in problem.message


def test_unknown_key_is_an_error_with_a_suggestion(tmp_path):
    problem = only(problems_for(tmp_path, with_header("sumary: typo")), "sumary")
    assert "inconnu" in problem.message and "summary" in problem.message
    assert problem.line == 7


def test_summary_longer_than_500_characters(tmp_path):
    text = with_header(drop="summary", extra="summary: " + "a" * 501)
    problem = only(problems_for(tmp_path, text), "summary")
    assert "501" in problem.message and "500" in problem.message


def test_neither_landlord_nor_partner(tmp_path):
    problem = only(problems_for(tmp_path, with_header(drop="landlords")), None)
    assert "bailleur" in problem.message and "partenaire" in problem.message


def test_partner_alone_is_enough(tmp_path):
    text = with_header(drop="landlords", extra="partners:\n  - name: Association\n    role: appui")
    assert problems_for(tmp_path, text) == []


def test_partner_with_unknown_subkey(tmp_path):
    text = with_header(extra="partners:\n  - name: A\n    rôle: typo")
    only(problems_for(tmp_path, text), "partners")


@pytest.mark.parametrize("field,value", [("status", "abandonnée"), ("evidence", "certaine")])
def test_value_outside_allowed_list(tmp_path, field, value):
    problem = only(problems_for(tmp_path, with_header(f"{field}: {value}")), field)
    assert value in problem.message and "permises" in problem.message


def test_status_matches_without_accents(tmp_path):
    assert problems_for(tmp_path, with_header("status: terminee")) == []


@pytest.mark.parametrize("value", ["hier", "2019-13-01", "19"])
def test_started_must_be_year_or_iso_date(tmp_path, value):
    only(problems_for(tmp_path, with_header(f"started: '{value}'")), "started")


def test_ended_before_started(tmp_path):
    text = with_header("started: 2020\nended: 2019")
    only(problems_for(tmp_path, text), "ended")


def test_last_verified_must_be_iso_date(tmp_path):
    only(problems_for(tmp_path, with_header("last_verified: bientôt")), "last_verified")


def test_source_needs_a_title_and_an_http_url(tmp_path):
    text = with_header("sources:\n  - url: javascript:alert(1)")
    problems = problems_for(tmp_path, text)
    assert {p.field for p in problems} == {"sources"}
    assert any("title" in p.message for p in problems)
    assert any("http" in p.message for p in problems)


def test_inspired_by_must_hold_slugs(tmp_path):
    only(problems_for(tmp_path, with_header("inspired_by: ['Pas Un Slug']")), "inspired_by")


def test_list_field_given_a_number(tmp_path):
    text = with_header(drop="cities", extra="cities: 12")
    problem = only(problems_for(tmp_path, text), "cities")
    assert "liste" in problem.message


def test_same_label_twice_in_a_list(tmp_path):
    text = with_header(drop="cities", extra="cities: [Saint-Étienne, saint etienne]")
    only(problems_for(tmp_path, text), "cities")


def test_missing_front_matter(tmp_path):
    problem = only(problems_for(tmp_path, "# Juste du Markdown\n"), None)
    assert "---" in problem.message


def test_unclosed_front_matter(tmp_path):
    problem = only(problems_for(tmp_path, "---\ntitle: x\n"), None)
    assert "non fermé" in problem.message


def test_yaml_syntax_error_gives_line(tmp_path):
    text = VALID.replace("cities: [Rouen]", "cities: [Rouen")
    problems = problems_for(tmp_path, text)
    assert problems and problems[0].line is not None and "YAML" in problems[0].message


def test_yaml_is_loaded_safely(tmp_path):
    text = with_header("contact: !!python/object/apply:os.system ['echo pwned']")
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1 and "YAML" in problems[0].message


def test_not_utf8(tmp_path):
    (tmp_path / "pratique.md").write_bytes(VALID.replace("Résumé", "R\xe9sum\xe9").encode("latin-1"))
    problem = only(load_corpus(tmp_path).problems, None)
    assert "UTF-8" in problem.message


def test_unknown_section_and_order(tmp_path):
    body = "## Objectifs\n\nx\n\n## Contexte\n\ny\n\n## Divers\n\nz"
    problems = problems_for(tmp_path, with_header(body=body))
    assert [p.field for p in problems] == ["body", "body"]
    assert "hors d'ordre" in problems[0].message and problems[0].line == 13
    assert "inconnue" in problems[1].message


def test_section_heading_without_accent_is_accepted(tmp_path):
    assert problems_for(tmp_path, with_header(body="## Mise en oeuvre\n\nx")) == []


def test_bad_file_name_without_slug_key(tmp_path):
    problems = problems_for(tmp_path, VALID, name="Pratique Été.md")
    assert len(problems) == 1 and problems[0].path.endswith("Pratique Été.md")
    assert "slug" in problems[0].message


def test_duplicate_slug_names_both_files(tmp_path):
    write(tmp_path, "a.md", with_header("slug: commun"))
    write(tmp_path, "b.md", with_header("slug: commun"))
    problems = load_corpus(tmp_path).problems
    assert len(problems) == 1 and problems[0].field == "slug"
    assert "a.md" in problems[0].message and problems[0].path.endswith("b.md")


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    text = "---\ntitle: ''\nsumary: x\nthemes: []\ncities: []\nstatus: rêvée\n---\n"
    fields = {p.field for p in problems_for(tmp_path, text)}
    assert {"title", "summary", "sumary", "themes", "status", None} <= fields
    assert "cities" not in fields  # an explicitly empty list is the corpus' own rule


def test_event_requires_title_and_iso_date(tmp_path):
    write(tmp_path, "rendez-vous/r.md", "---\ndate: 14 novembre\nlieu: Paris\n---\n")
    fields = {p.field for p in load_corpus(tmp_path).problems}
    assert fields == {"title", "date", "lieu"}


def test_registry_rejects_unknown_kind_and_shared_alias(tmp_path):
    write(tmp_path, "_organisations.yaml",
          "- name: A\n  kind: entreprise\n- name: B\n  kind: association\n  aliases: [X]\n"
          "- name: C\n  kind: autre\n  aliases: [x]\n")
    problems = load_corpus(tmp_path).problems
    assert [p.field for p in problems] == ["kind", "aliases"]
    assert problems[0].line == 1 and problems[1].line == 6


def test_explicitly_empty_cities_is_no_problem(tmp_path):
    text = with_header(drop="cities", extra="cities: []")
    write(tmp_path, "pratique.md", text)
    corpus = load_corpus(tmp_path)
    assert corpus.problems == [] and len(corpus.practices) == 1
    assert corpus.practices[0].cities == []


def test_a_missing_cities_key_is_still_an_error(tmp_path):
    write(tmp_path, "pratique.md", with_header(drop="cities"))
    assert [p.field for p in load_corpus(tmp_path).errors] == ["cities"]
