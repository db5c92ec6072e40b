"""Field checks shared by practices and rendez-vous; each records a Problem."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from kb.corpus.frontmatter import FrontMatter
from kb.corpus.records import SOURCE_KEYS, Problem, SourceRef
from kb.taxonomy import clean_label, is_slug, label_key

YEAR_RE = re.compile(r"^\d{4}$")
# A month is as precise as many sources get ("septembre 2021"): ISO 8601 allows 2021-09.
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
# C0 and C1 control characters and DEL, but tab and line breaks: invisible when
# typed or pasted, refused by XML (the feeds) and, for NUL, by PostgreSQL.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Every way of breaking a line: LF, VT, FF, CR, NEL, LINE and PARAGRAPH SEPARATOR. A
# title or any other one-line field holding one breaks mail subjects, CSV rows and
# headings, so it is refused wherever a value comes in.
LINE_BREAK_RE = re.compile("[\n\x0b\x0c\r\x85\u2028\u2029]")
LINE_BREAK_NAMES = {"\n": "saut de ligne", "\r": "retour chariot", "\x0b": "tabulation verticale",
                    "\x0c": "saut de page", "\x85": "U+0085", "\u2028": "U+2028",
                    "\u2029": "U+2029"}
# Front-matter keys whose values may hold several lines: the rest are one line each.
MULTILINE_KEYS = frozenset({"summary", "description", "definition", "body"})


def first_line_break(value: Any) -> str | None:
    """The first line break in ``value`` (texts, lists, mappings), named in French."""
    if isinstance(value, str):
        found = LINE_BREAK_RE.search(value.strip())
        return LINE_BREAK_NAMES[found.group()] if found else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        for item in value:
            found = first_line_break(item)
            if found:
                return found
    return None


def one_line(text: str) -> str:
    """``text`` with each line break turned into a space (a value stored before the check)."""
    return LINE_BREAK_RE.sub(" ", text)


def strip_controls(text: str) -> str:
    """``text`` without its control characters (for output of what was stored earlier)."""
    return CONTROL_RE.sub("", text)


def first_control(value: Any) -> str | None:
    """The first control character in ``value`` (texts, lists, mappings), as ``U+0001``."""
    if isinstance(value, str):
        found = CONTROL_RE.search(value)
        return f"U+{ord(found.group()):04X}" if found else None
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple):
        for item in value:
            found = first_control(item)
            if found:
                return found
    return None


class FieldChecker:
    """Reads fields of one file's front matter, collecting every problem."""

    def __init__(self, path: str, fm: FrontMatter, problems: list[Problem]):
        self.path = path
        self.fm = fm
        self.problems = problems

    def problem(self, key: str | None, message: str, index: int | None = None, *,
                warning: bool = False) -> None:
        line = self.fm.lines.get((key, index)) if index is not None else None
        line = line or self.fm.lines.get(key) or 1
        self.problems.append(Problem(self.path, message, line, key, warning, index))

    def error_count(self) -> int:
        return sum(1 for p in self.problems if not p.warning)

    def control_characters(self) -> None:
        """A problem for each field (or list item) holding a control character."""
        for key, value in self.fm.data.items():
            items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                found = first_control(item)
                if found:
                    self.problem(str(key), f"« {key} » contient un caractère invisible interdit "
                                 f"({found}) ; retirez-le", index)
                elif str(key) not in MULTILINE_KEYS and (found := first_line_break(item)):
                    self.problem(str(key), f"« {key} » doit tenir sur une ligne : il contient "
                                 f"un {found} ; retirez-le", index)
        found = first_control(self.fm.body)
        if found:
            self.problem("body", f"le texte contient un caractère invisible interdit ({found}) ; "
                         "retirez-le")

    def unknown_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.fm.data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                expected = ", ".join(allowed)
                self.problem(
                    str(key), f"champ inconnu « {key} »{hint} (champs permis : {expected})"
                )

    def text(self, key: str, *, required: bool = False, max_len: int | None = None) -> str | None:
        value = self.fm.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(key, f"champ obligatoire « {key} » manquant ou vide")
            return None
        if not isinstance(value, str):
            self.problem(key, f"« {key} » doit être un texte, pas {_kind(value)}")
            return None
        value = value.strip()
        if max_len is not None and len(value) > max_len:
            self.problem(
                key, f"« {key} » fait {len(value)} caractères ; {max_len} au plus sont permis"
            )
        return value

    def labels(self, key: str, *, required: bool = False, unknown_ok: bool = False) -> list[str]:
        """A list of labels; duplicates that differ only by writing are refused.

        With ``unknown_ok``, an explicitly empty list (``key: []``) is accepted as it
        is: no source gives the value, and guessing is worse (the corpus' own rule),
        so saying it is a problem would be untrue.
        """
        if unknown_ok and self.fm.data.get(key) == []:
            return []
        items = self.items(key, required)
        labels: list[str] = []
        seen: dict[str, str] = {}
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                self.problem(key, f"« {key} » : chaque élément doit être un texte non vide", index)
                continue
            label = clean_label(item)
            key_ = label_key(label)
            if not key_:
                self.problem(key, f"« {key} » : « {label} » ne contient ni lettre ni chiffre", index)
            elif key_ in seen:
                self.problem(key, f"« {key} » : « {label} » répète « {seen[key_]} »", index)
            else:
                seen[key_] = label
                labels.append(label)
        return labels

    def slugs(self, key: str) -> list[str]:
        result = []
        for index, item in enumerate(self.items(key, False)):
            if not isinstance(item, str) or not is_slug(item):
                self.problem(
                    key,
                    f"« {key} » : « {item} » n'est pas un identifiant de pratique "
                    "(minuscules ASCII, chiffres et tirets, ex. « equipe-mobile-3f »)",
                    index,
                )
            else:
                result.append(item)
        return result

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        by_key = {label_key(a): a for a in allowed}
        if label_key(value) not in by_key:
            self.problem(key, f"« {key} » vaut « {value} » ; valeurs permises : {', '.join(allowed)}")
            return None
        return by_key[label_key(value)]

    def year_or_date(self, key: str) -> str | None:
        value = self.fm.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int) and 1000 <= value <= 9999:
            return str(value)
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        elif isinstance(value, str) and (YEAR_RE.match(value.strip()) or MONTH_RE.match(value.strip())
                                         or _iso_date(value.strip())):
            return value.strip()
        self.problem(key, f"« {key} » doit être une année (2019), un mois (2019-09) "
                          "ou une date ISO (2019-09-01)")
        return None

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.fm.data.get(key)
        if value is None:
            if required:
                self.problem(key, f"champ obligatoire « {key} » manquant (date ISO, ex. 2025-01-14)")
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str) and _iso_date(value.strip()):
            return dt.date.fromisoformat(value.strip())
        self.problem(key, f"« {key} » doit être une date ISO (ex. 2025-01-14)")
        return None

    def sources(self, key: str = "sources") -> list[SourceRef]:
        result = []
        for index, item in enumerate(self.items(key, False)):
            if not isinstance(item, dict):
                self.problem(key, "chaque source est un bloc {title, url?, date?, publisher?}", index)
                continue
            ok = True
            for sub in item:
                if sub not in SOURCE_KEYS:
                    self.problem(key, f"source : champ inconnu « {sub} » (permis : title, url, "
                                 "date, publisher)", index)
                    ok = False
            title, url, date, publisher = (item.get(k) for k in SOURCE_KEYS)
            if not isinstance(title, str) or not title.strip():
                self.problem(key, "source : « title » obligatoire (texte)", index)
                ok = False
            if url is not None and (not isinstance(url, str) or not URL_RE.match(url.strip())):
                self.problem(key, f"source : « url » doit commencer par http:// ou https:// "
                             f"(reçu « {url} »)", index)
                ok = False
            if isinstance(date, int) and not isinstance(date, bool):
                date = str(date)
            elif isinstance(date, dt.date):
                date = date.isoformat()
            if date is not None and not (
                isinstance(date, str) and (YEAR_RE.match(date) or MONTH_RE.match(date) or _iso_date(date))
            ):
                self.problem(key, "source : « date » doit être une année ou une date ISO", index)
                ok = False
            if publisher is not None and not isinstance(publisher, str):
                self.problem(key, "source : « publisher » doit être un texte", index)
                ok = False
            if ok:
                result.append(SourceRef(title.strip(), url and url.strip(), date,
                                        publisher and publisher.strip()))
        return result

    def items(self, key: str, required: bool) -> list[Any]:
        value = self.fm.data.get(key)
        if value is None or value == []:
            if required:
                self.problem(key, f"champ obligatoire « {key} » : au moins un élément attendu")
            return []
        if isinstance(value, str):
            # A lone label is a common slip; accept it as a one-item list.
            return [value]
        if not isinstance(value, list):
            self.problem(key, f"« {key} » doit être une liste, pas {_kind(value)}")
            return []
        return value


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un bloc de champs"
    if isinstance(value, dt.date):
        return "une date"
    return "une valeur de ce type"
