"""Split a Markdown file into YAML front matter and body, keeping line numbers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml

from kb.corpus.records import Problem

# libyaml's loader when PyYAML was built with it: ten times faster, just as safe.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_line: int
    header: str = ""
    offset: int = 2

    @cached_property
    def lines(self) -> dict[Any, int]:
        """key -> line of the key; (key, index) -> line of a list item.

        Composed only when a problem needs a line number: most files have none.
        """
        if not self.header:
            return {}
        return _node_lines(yaml.compose(self.header, Loader=_SafeLoader), self.offset)


def _node_lines(node: yaml.Node, offset: int) -> dict[Any, int]:
    lines: dict[Any, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value_node in node.value:
        key = key_node.value
        lines[key] = key_node.start_mark.line + offset
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[(key, index)] = item.start_mark.line + offset
    return lines


def split(text: str, path: str) -> FrontMatter | Problem:
    """Parse ``text``; YAML is loaded with the safe loader only."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return Problem(path, "le fichier doit commencer par une ligne « --- » (en-tête YAML)", 1)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return Problem(path, "en-tête YAML non fermé : ligne « --- » attendue après les champs", 1)
    header = "\n".join(lines[1:end])
    # Line numbers in messages are 1-based and count the opening "---".
    offset = 2
    try:
        data = yaml.load(header, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark else None
        reason = exc.problem or "syntaxe YAML invalide"
        return Problem(path, f"YAML invalide : {reason}", line)
    except yaml.YAMLError as exc:
        return Problem(path, f"YAML invalide : {exc}", 1)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Problem(path, "l'en-tête YAML doit être une liste de champs « clé: valeur »", 2)
    rest = lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "\n".join(rest[blank:]).rstrip()
    return FrontMatter(data, body, end + 2 + blank, header, offset)
