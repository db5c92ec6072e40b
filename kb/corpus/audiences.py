"""The audience registry, ``_audiences.yaml``: audiences offered in the form, with English labels.

Audiences stay an open list: a practice may name one the registry does not
hold. The registry only says which ones the form proposes and how the English
site shows them; the French label stays the value in files and the API.
"""

from __future__ import annotations

from pathlib import Path

from kb.corpus.records import AUDIENCE_KEYS, AudienceRecord, Problem
from kb.corpus.registries import read_registry
from kb.taxonomy import clean_label, label_key

AUDIENCES_FILE = "_audiences.yaml"


def load_audiences(path: Path, shown: str, problems: list[Problem]) -> list[AudienceRecord]:
    """The registry's audiences; an entry with a problem is left out, its line named."""
    result: list[AudienceRecord] = []
    seen: dict[str, int] = {}
    for item in read_registry(path, shown, AUDIENCE_KEYS, problems):
        label, label_en, line = item.get("label"), item.get("label_en"), item["_line"]
        if not isinstance(label, str) or not label_key(label):
            problems.append(Problem(shown, "« label » obligatoire (texte)", line, "label"))
        elif label_en is not None and (not isinstance(label_en, str) or not label_en.strip()):
            problems.append(Problem(shown, "« label_en » doit être un texte non vide", line,
                                    "label_en"))
        elif label_key(label) in seen:
            problems.append(Problem(shown, f"le public « {label} » est déjà défini ligne "
                                    f"{seen[label_key(label)]}", line, "label"))
        else:
            seen[label_key(label)] = line
            result.append(AudienceRecord(clean_label(label), label_en and label_en.strip()))
    return result
