"""The write-up as one text box per section, and back to one Markdown body.

Practitioners write plain paragraphs and "- " lists; Markdown is accepted but
never required. ``compose_body`` builds the body a practice file holds (a
``## Section`` heading before each filled box, in the corpus order) and
``split_body`` does the reverse for corrections, so a body read back gives the
same boxes. Text outside the known sections (before the first heading, or
under a heading the corpus does not know) goes to an "other" box, never lost.
"""

from __future__ import annotations

import re

from kb.corpus import SECTIONS
from kb.taxonomy import label_key

SECTION_KEYS = {section: f"section_{i}" for i, section in enumerate(SECTIONS)}
_KEYS = {label_key(s): s for s in SECTIONS}
_HEADING = re.compile(r"^##(?!#)\s*(.+?)\s*#*\s*$")
_FENCE = ("```", "~~~")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def friendly_markdown(text: str) -> str:
    """A blank line before a list typed right under a paragraph, so it renders as a list."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    result: list[str] = []
    in_code = False
    for line in lines:
        if line.lstrip().startswith(_FENCE):
            in_code = not in_code
        previous = result[-1] if result else ""
        if (not in_code and _LIST_ITEM.match(line) and previous.strip()
                and not _LIST_ITEM.match(previous) and not previous.startswith((" ", "\t"))):
            result.append("")
        result.append(line.rstrip())
    return "\n".join(result).strip()


def compose_body(sections: dict[str, str], other: str = "") -> str:
    """The Markdown body of the filled boxes; empty boxes leave no heading."""
    parts = [friendly_markdown(other)] if other.strip() else []
    for section in SECTIONS:
        text = friendly_markdown(sections.get(section, ""))
        if text:
            parts.append(f"## {section}\n\n{text}")
    return "\n\n".join(parts) + "\n" if parts else ""


def split_body(body: str) -> tuple[dict[str, str], str]:
    """The boxes of a Markdown body: {section: text}, and what fits no known section."""
    sections: dict[str, list[str]] = {}
    other: list[str] = []
    current: list[str] = other
    in_code = False
    for line in body.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith(_FENCE):
            in_code = not in_code
        match = None if in_code else _HEADING.match(line)
        if match:
            known = _KEYS.get(label_key(match.group(1)))
            if known is not None and known not in sections:
                current = sections.setdefault(known, [])
                continue
            current = other
        current.append(line)
    texts = {name: "\n".join(lines).strip() for name, lines in sections.items()}
    return {name: text for name, text in texts.items() if text}, "\n".join(other).strip()
