"""Split a Markdown file into YAML front matter and body, keeping line numbers.

YAML mistakes are explained in French (:func:`yaml_problem`): the line and
column, the usual cause read from the offending line, and how to fix it.
"""

from __future__ import annotations

import re
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


class AliasRefused(Exception):
    """A YAML anchor or alias: kb's files never need one, and a few nested aliases
    expand into billions of values in any walk of the tree (« billion laughs »)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def refuse_aliases(text: str, path: str, offset: int) -> None:
    """Raise :class:`AliasRefused` at the first anchor (``&nom``) or alias (``*nom``) of ``text``.

    Read from the parser's events, before anything is composed, so that the cost is
    linear in the text whatever it holds. A syntax error is left to the loader.
    """
    if "&" not in text and "*" not in text:
        return
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                what = f"l'alias YAML « *{event.anchor} »"
            elif getattr(event, "anchor", None):
                what = f"l'ancre YAML « &{event.anchor} »"
            else:
                continue
            line = event.start_mark.line + offset
            raise AliasRefused(Problem(path, (
                f"YAML refusé (ligne {line}) : {what} n'est pas permis ; les ancres (&) et les "
                "alias (*) ne servent pas dans les fichiers de kb : écrivez chaque valeur en "
                "entier, ou mettez entre guillemets une valeur qui commence par « & » ou « * »"),
                line))
    except yaml.YAMLError:
        return


def safe_load(text: str, path: str, offset: int) -> Any:
    """``text`` loaded with the safe loader once :func:`refuse_aliases` has passed it."""
    refuse_aliases(text, path, offset)
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader


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
        data = safe_load(header, path, offset)
    except yaml.YAMLError as exc:
        return yaml_problem(exc, header, path, offset)
    except AliasRefused as refused:
        return refused.problem
    comment = _value_taken_for_a_comment(header, offset)
    if comment is not None:
        return Problem(path, comment[1], comment[0])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Problem(path, "l'en-tête YAML doit être une liste de champs « clé: valeur »", 2)
    rest = lines[end + 1 :]
    blank = next((i for i, line in enumerate(rest) if line.strip()), len(rest))
    body = "\n".join(rest[blank:]).rstrip()
    return FrontMatter(data, body, end + 2 + blank, header, offset)


# -- YAML errors, in French ---------------------------------------------------------

QUOTE_FIX = 'mettez toute la valeur entre guillemets droits, par exemple title: "Accueil : mode d’emploi"'
_ENTRY = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?:(?P<key>[\w-]+)\s*:(?:\s+|$))?(?P<value>.*)$")


def _value_of(line: str) -> str:
    match = _ENTRY.match(line)
    return match["value"] if match else line.strip()


def _cause(line: str, previous: str, problem: str) -> str | None:
    """The usual cause of a YAML error on ``line``, and its fix; None if not recognised."""
    if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in problem:
        return ("une tabulation sert d’indentation : YAML n’accepte que des espaces ; "
                "remplacez chaque tabulation par deux espaces")
    value = _value_of(line)
    if value[:1] in ("'", '"'):
        return (f"la valeur commence par un guillemet ({value[0]}) mais ne finit pas par le même : "
                f"{QUOTE_FIX} (un guillemet droit à l’intérieur s’écrit \\\" ; "
                "préférez les guillemets « » et l’apostrophe ’ dans le texte)")
    if value[:1] in ("[", "{"):
        return (f"une valeur qui commence par « {value[0]} » est lue comme une liste ou un bloc "
                f"YAML : {QUOTE_FIX}")
    if value[:1] in ("*", "&", "!", "%", "@", "`", "|", ">"):
        return f"une valeur ne peut pas commencer par « {value[0]} » en YAML : {QUOTE_FIX}"
    if ": " in value or value.endswith(":") or "mapping values" in problem:
        return ("la valeur contient « : » (deux-points suivi d’une espace), que YAML lit comme "
                f"une nouvelle clé : {QUOTE_FIX}")
    stripped = line.strip()
    prev = previous.strip()
    if stripped and not stripped.startswith("- ") and not _ENTRY.match(line)["key"] and (
            prev.startswith("- ") or prev.endswith(":")):
        return ("un élément de liste sans « - » : chaque élément s’écrit sur sa ligne, "
                "précédé de « - » et indenté sous sa clé (par exemple « themes: » puis "
                "« ␣␣- Médiation et lien social »)")
    return None


def yaml_problem(exc: yaml.YAMLError, header: str, path: str, offset: int) -> Problem:
    """A French explanation of ``exc`` raised while reading ``header``."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", "") or exc)
    if mark is None:
        return Problem(path, f"YAML invalide : {problem}", offset - 1)
    lines = header.split("\n")
    context = getattr(exc, "context_mark", None)
    # The parser often notices a mistake a line late: look at its line, then back.
    candidates = [mark.line, mark.line - 1]
    if context is not None:
        candidates.append(context.line)
    for number in dict.fromkeys(n for n in candidates if 0 <= n < len(lines)):
        previous = next((lines[i] for i in range(number - 1, -1, -1) if lines[i].strip()), "")
        cause = _cause(lines[number], previous, problem)
        if cause:
            column = mark.column + 1 if number == mark.line else len(lines[number]) - len(
                lines[number].lstrip()) + 1
            return Problem(path, f"YAML invalide (ligne {number + offset}, colonne {column}) : "
                                 f"{cause}", number + offset)
    return Problem(path, f"YAML invalide (ligne {mark.line + offset}, colonne {mark.column + 1}) : "
                         f"{problem} ; vérifiez l’indentation (des espaces, jamais de tabulation) et "
                         "les « - » des listes ; une valeur qui contient « : » ou commence par un "
                         "caractère spécial se met entre guillemets", mark.line + offset)


def _value_taken_for_a_comment(header: str, offset: int) -> tuple[int, str] | None:
    """A value starting with « # » parses as nothing (a comment): say so rather than lose it."""
    for number, line in enumerate(header.split("\n")):
        match = _ENTRY.match(line)
        if match and match["value"].startswith("#") and (match["key"] or line.lstrip().startswith("-")):
            return number + offset, (
                f"YAML invalide (ligne {number + offset}, colonne {len(line) - len(match['value']) + 1}) : "
                f"une valeur qui commence par « # » est lue comme un commentaire et perdue : {QUOTE_FIX}")
    return None
