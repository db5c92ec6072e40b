"""The YAML registries of a corpus folder: organisations and themes (the glossary's reader too).

Every entry with a problem is rejected with the line of its block; the others are kept.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kb.corpus import fields
from kb.corpus.frontmatter import AliasRefused, safe_load, yaml_problem
from kb.corpus.records import (
    ORGANISATION_KEYS,
    THEME_KEYS,
    OrganisationRecord,
    Problem,
    ThemeRecord,
)
from kb.taxonomy import clean_label, label_key
from kb.vocabulary import ORG_KINDS

ORGANISATIONS_FILE = "_organisations.yaml"
THEMES_FILE = "_themes.yaml"


def read_file(path: Path, shown: str, problems: list[Problem]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, f"le fichier n'est pas en UTF-8 (octet {exc.start})"))
    except OSError as exc:
        problems.append(Problem(shown, f"lecture impossible : {exc.strerror}"))
    return None


def read_registry(path: Path, shown: str, keys: tuple[str, ...], problems: list[Problem]) -> list[dict]:
    text = read_file(path, shown, problems)
    if text is None:
        return []
    try:
        data = safe_load(text, shown, 1)
    except yaml.YAMLError as exc:
        problems.append(yaml_problem(exc, text, shown, 1))
        return []
    except AliasRefused as refused:
        problems.append(refused.problem)
        return []
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        problems.append(Problem(shown, "le registre doit être une liste de blocs de champs", 1))
        return []
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    result = []
    for index, item in enumerate(data):
        line = node.value[index].start_mark.line + 1
        unknown = [k for k in item if k not in keys]
        for key in unknown:
            problems.append(Problem(shown, f"champ inconnu « {key} » (permis : {', '.join(keys)})",
                                    line, str(key)))
        if not unknown:
            result.append({**item, "_line": line})
    return result


def load_organisations(path: Path, shown: str, problems: list[Problem]) -> list[OrganisationRecord]:
    result: list[OrganisationRecord] = []
    owner: dict[str, str] = {}
    for item in read_registry(path, shown, ORGANISATION_KEYS, problems):
        line = item["_line"]
        name, kind = item.get("name"), item.get("kind", "autre")
        aliases, website = item.get("aliases") or [], item.get("website")
        if not isinstance(name, str) or not label_key(name):
            problems.append(Problem(shown, "« name » obligatoire (texte)", line, "name"))
            continue
        if kind not in ORG_KINDS:
            problems.append(Problem(shown, f"« kind » vaut « {kind} » ; valeurs permises : "
                                    f"{', '.join(ORG_KINDS)}", line, "kind"))
            continue
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problems.append(Problem(shown, "« aliases » doit être une liste de noms", line,
                                    "aliases"))
            continue
        if website is not None and not (isinstance(website, str) and fields.URL_RE.match(website)):
            problems.append(Problem(shown, "« website » doit commencer par http:// ou https://",
                                    line, "website"))
            continue
        name = clean_label(name)
        clash = False
        for alias in [name, *aliases]:
            key = label_key(alias)
            if key in owner and owner[key] != name:
                problems.append(Problem(shown, f"le nom « {alias} » désigne déjà « {owner[key]} »",
                                        line, "aliases"))
                clash = True
            owner[key] = name
        if not clash:
            result.append(OrganisationRecord(name, kind, [clean_label(a) for a in aliases],
                                             website))
    return result


def load_themes(path: Path, shown: str, problems: list[Problem]) -> list[ThemeRecord]:
    result = []
    for item in read_registry(path, shown, THEME_KEYS, problems):
        label, description = item.get("label"), item.get("description")
        label_en = item.get("label_en")
        if not isinstance(label, str) or not label_key(label):
            problems.append(Problem(shown, "« label » obligatoire (texte)", item["_line"], "label"))
        elif description is not None and not isinstance(description, str):
            problems.append(Problem(shown, "« description » doit être un texte", item["_line"],
                                    "description"))
        elif label_en is not None and (not isinstance(label_en, str) or not label_en.strip()):
            problems.append(Problem(shown, "« label_en » doit être un texte non vide",
                                    item["_line"], "label_en"))
        else:
            result.append(ThemeRecord(clean_label(label), description and description.strip(),
                                      label_en and label_en.strip()))
    return result
