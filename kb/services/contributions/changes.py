"""What a proposal changes, as a moderator reads it: field by field, then word by word.

``field_changes`` compares two records' front matter (themes, partners,
sources...) and says, for each field that differs, what was added and removed.
``body_changes`` aligns the paragraphs of two bodies and, inside a changed
paragraph, marks the words removed and added, so one corrected word shows as
one word, not as a whole paragraph removed and re-added.

Cost is bounded by the sizes the form accepts (100,000 characters of body):
paragraphs are matched first, and words are compared only inside a pair of
changed paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from kb.corpus import PracticeRecord

FIELD_NAMES = (
    ("title", "Titre"), ("summary", "Résumé"), ("themes", "Thèmes"), ("landlords", "Bailleurs"),
    ("partners", "Partenaires"), ("cities", "Villes"), ("districts", "Quartiers"),
    ("audiences", "Publics"), ("status", "Statut"), ("started", "Début"), ("ended", "Fin"),
    ("evidence", "Niveau de preuve"), ("inspired_by", "Inspirée de"), ("sources", "Sources"),
    ("contact", "Contact"),
)
_WORDS = re.compile(r"\s+|[^\s]+")
MAX_WORDS = 5000  # a paragraph pair longer than this is shown removed then added


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: list[str]
    after: list[str]

    @property
    def removed(self) -> list[str]:
        return [v for v in self.before if v not in self.after]

    @property
    def added(self) -> list[str]:
        return [v for v in self.after if v not in self.before]

    @property
    def reordered(self) -> bool:
        return not self.removed and not self.added


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "ins" or "del"
    text: str


@dataclass
class Block:
    """One paragraph of the new body (or a removed one), as segments."""

    kind: str  # "same", "changed", "ins" or "del"
    segments: list[Segment] = field(default_factory=list)


def _values(record: PracticeRecord | None, name: str) -> list[str]:
    if record is None:
        return []
    value = getattr(record, name)
    if name == "partners":
        return [p.name + (f" ({p.role})" if p.role else "") for p in value]
    if name == "sources":
        return [" — ".join(x for x in (s.title, s.url, s.date, s.publisher) if x) for s in value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)] if value else []


def field_changes(before: PracticeRecord | None, after: PracticeRecord) -> list[FieldChange]:
    """The front matter fields that differ, in the order of the form."""
    changes = []
    for name, label in FIELD_NAMES:
        old, new = _values(before, name), _values(after, name)
        if old != new:
            changes.append(FieldChange(name, label, old, new))
    return changes


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body.replace("\r\n", "\n")) if p.strip()]


def _words(old: str, new: str) -> list[Segment]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    if len(a) + len(b) > MAX_WORDS:
        return [Segment("del", old), Segment("ins", new)]
    segments: list[Segment] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("del", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("ins", "".join(b[j1:j2])))
    return segments


def body_changes(before: str, after: str) -> list[Block]:
    """The new body's paragraphs, with removed paragraphs and changed words marked."""
    old, new = _paragraphs(before), _paragraphs(after)
    blocks: list[Block] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.extend(Block("same", [Segment("same", p)]) for p in new[j1:j2])
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            blocks.append(Block("changed", _words(old[i1 + k], new[j1 + k])))
        blocks.extend(Block("del", [Segment("del", p)]) for p in old[i1 + pairs:i2])
        blocks.extend(Block("ins", [Segment("ins", p)]) for p in new[j1 + pairs:j2])
    return blocks

