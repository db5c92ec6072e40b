"""The practice form as typed, and its checks.

A ``Draft`` holds every value exactly as typed (rows of sources, partners and
landlords included, even empty ones), so a form re-rendered after an error, a
preview or an added row loses nothing. ``check_draft`` turns it into the
mapping a corpus file's front matter would hold and runs the corpus rules on
it (``kb.corpus.practice_from_data``), so the web form and ``kb validate``
accept and refuse the same things; problems come back keyed by form field.

The checks live in kb.services.contributions.checks and the shared limits in
kb.services.contributions.limits; both are re-exported here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Protocol

from kb.corpus import PracticeRecord
from kb.corpus.fields import one_line
from kb.services.contributions.checks import (  # noqa: F401 - re-exported
    MAX_MESSAGES,
    Checked,
    check_draft,
    drop_empty_sections,
    error_messages,
    resolve_inspirations,
)
from kb.services.contributions.limits import (  # noqa: F401 - re-exported
    EMAIL_RE,
    FIELD_LABELS,
    LINE_ROWS,
    LIST_FIELDS,
    MAX_LENGTHS,
    MAX_ROWS,
    MIN_ROWS,
    SOURCE_FIELDS,
)
from kb.services.contributions.sections import SECTION_KEYS, compose_body, split_body
from kb.services.contributions.wording import french_date, parse_french_date
from kb.taxonomy import is_slug, label_key


class FormData(Protocol):
    """What a submitted form offers (werkzeug's MultiDict does)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[str]: ...


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n;]", text) if line.strip()]


def _pad(rows: list, minimum: int, empty: Any) -> list:
    return rows + [empty() if callable(empty) else empty for _ in range(minimum - len(rows))]


def _source_row(**values: str) -> dict[str, str]:
    return {key: values.get(key, "") for key in SOURCE_FIELDS}


@dataclass
class Draft:
    """The practice form, every value as typed."""

    title: str = ""
    summary: str = ""
    themes: list[str] = field(default_factory=list)  # registry labels ticked
    new_themes: str = ""  # one per line
    # The theme order of the practice corrected: ticked boxes come back in page order,
    # and a correction must not re-sort the themes (noise in every diff).
    theme_order: str = ""
    landlords: list[str] = field(default_factory=list)  # one row each
    partners: list[dict[str, str]] = field(default_factory=list)  # rows {name, role}
    cities: str = ""  # one per line (one row each in the form)
    districts: str = ""
    audiences: str = ""  # one per line (one row each in the form)
    status: str = ""
    started: str = ""  # as typed: 15/09/2021, 09/2021 or 2021
    ended: str = ""
    evidence: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)  # rows {title, url, date, publisher}
    contact: str = ""
    inspired_by: str = ""  # titles (or identifiers), one per line
    sections: dict[str, str] = field(default_factory=dict)  # section -> text as typed
    other: str = ""  # text outside the known sections (kept, never dropped)
    change_note: str = ""  # a correction: what was changed and why
    # About the contributor, not part of the practice.
    name: str = ""
    email: str = ""
    licence: bool = False
    honeypot: str = ""
    extra_rows: dict[str, int] = field(default_factory=dict)  # "add a row" pressed

    @property
    def body(self) -> str:
        """The Markdown body the section boxes make."""
        return compose_body(self.sections, self.other)

    @classmethod
    def from_form(cls, form: FormData) -> Draft:
        """Read a submitted form; one more row when its "add a row" button was pressed."""
        def get(name: str) -> str:
            return _text(form.get(name, ""))

        def column(name: str) -> list[str]:
            return [_text(v) for v in form.getlist(name)][:MAX_ROWS]

        def rows_or_text(row_name: str, text_name: str) -> str:
            # One input a value in the form; a single text box (one a line) is read too.
            if row_name in form:
                return "\n".join(v.strip() for v in column(row_name) if v.strip())
            return get(text_name)

        partner_names, partner_roles = column("partner_name"), column("partner_role")
        partners = [{"name": n, "role": r} for n, r in zip(partner_names, partner_roles, strict=False)]
        columns = [column(f"source_{key}") for key in SOURCE_FIELDS]
        sources = [_source_row(**dict(zip(SOURCE_FIELDS, row, strict=True)))
                   for row in zip(*columns, strict=False)]
        if "body" in form and not any(key in form for key in SECTION_KEYS.values()):
            sections, other = split_body(get("body"))  # a whole Markdown body (older form)
        else:
            sections = {name: get(key) for name, key in SECTION_KEYS.items() if get(key).strip()}
            other = get("other")
        draft = cls(
            title=get("title"), summary=get("summary"),
            themes=[_text(v) for v in form.getlist("themes") if v.strip()],
            new_themes=get("new_themes"), theme_order=get("theme_order"),
            landlords=column("landlord"), partners=partners,
            cities=rows_or_text("city", "cities"), districts=get("districts"),
            audiences=rows_or_text("audience", "audiences"),
            status=get("status"), started=get("started"), ended=get("ended"),
            evidence=get("evidence"), sources=sources, contact=get("contact"),
            inspired_by=rows_or_text("inspiration", "inspired_by"), sections=sections,
            other=other, change_note=get("change_note"),
            name=get("name"), email=get("email"), licence=bool(form.get("licence")),
            honeypot=get("website"),
        )
        draft.add_row(form.get("add_row", ""))
        return draft

    @classmethod
    def from_record(cls, record: PracticeRecord, registry_themes: Iterable[str] = (),
                    titles: Mapping[str, str] | None = None) -> Draft:
        """The form pre-filled with a practice (corrections, amendments, moderation).

        ``titles`` maps identifiers to titles, so "Inspirée de" shows titles.
        """
        registry = {label_key(label): label for label in registry_themes}
        ticked = [registry[label_key(t)] for t in record.themes if label_key(t) in registry]
        others = [t for t in record.themes if label_key(t) not in registry]
        sections, other = split_body(record.body)
        # One-line fields stored before line breaks were refused come back as one line:
        # a correction of such a practice is not refused for what its author never typed.
        return cls(
            title=one_line(record.title), summary=record.summary, themes=ticked,
            new_themes="\n".join(others), theme_order="\n".join(record.themes),
            landlords=[one_line(name) for name in record.landlords],
            partners=[{"name": one_line(p.name), "role": one_line(p.role or "")}
                      for p in record.partners],
            cities="\n".join(record.cities), districts="\n".join(record.districts),
            audiences="\n".join(record.audiences), status=record.status or "",
            started=french_date(record.started), ended=french_date(record.ended),
            evidence=record.evidence or "",
            sources=[_source_row(title=one_line(s.title), url=s.url or "",
                                 date=french_date(s.date), publisher=one_line(s.publisher or ""))
                     for s in record.sources],
            contact=one_line(record.contact or ""),
            inspired_by="\n".join((titles or {}).get(s, s) for s in record.inspired_by),
            sections=sections, other=other,
        )

    def to_json(self) -> str:
        """Everything typed, for a saved draft."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Draft:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    def add_row(self, kind: str) -> None:
        if kind in LINE_ROWS:
            self.extra_rows[kind] = self.extra_rows.get(kind, 0) + 1
            return
        rows = {"landlords": self.landlords, "partners": self.partners, "sources": self.sources}
        if kind not in rows:
            return
        current = rows[kind]
        current[:] = _pad(current, MIN_ROWS[kind], self._empty_row(kind))
        if len(current) < MAX_ROWS:
            current.append(self._empty_row(kind)())

    @staticmethod
    def _empty_row(kind: str):
        return {"landlords": str, "partners": lambda: {"name": "", "role": ""},
                "sources": _source_row}[kind]

    def rows(self, kind: str) -> list:
        """The rows to render: those typed, then empty ones up to the minimum."""
        if kind in LINE_ROWS:
            values = _pad(self.lines(kind), MIN_ROWS[kind], "")
            return values + [""] * min(self.extra_rows.get(kind, 0), MAX_ROWS - len(values))
        current = {"landlords": self.landlords, "partners": self.partners,
                   "sources": self.sources}[kind]
        return _pad(list(current), MIN_ROWS[kind], self._empty_row(kind))

    # -- what was typed, cleaned: used by the preview and by the checks --------

    def all_themes(self) -> list[str]:
        """Ticked then typed themes, in the order of the practice corrected when there is one."""
        order = {label_key(t): i for i, t in enumerate(_lines(self.theme_order))}
        ticked = sorted(self.themes, key=lambda t: order.get(label_key(t), len(order)))
        return [*ticked, *_lines(self.new_themes)]

    def lines(self, name: str) -> list[str]:
        return _lines(getattr(self, name))

    def filled_landlords(self) -> list[str]:
        return [name.strip() for name in self.landlords if name.strip()]

    def filled_partners(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, {"name": p["name"].strip(), "role": p["role"].strip()})
                for i, p in enumerate(self.partners) if p["name"].strip() or p["role"].strip()]

    def filled_sources(self) -> list[tuple[int, dict[str, str]]]:
        return [(i, {k: v.strip() for k, v in row.items() if v.strip()})
                for i, row in enumerate(self.sources) if any(v.strip() for v in row.values())]

    def inspirations(self) -> list[str]:
        """Titles or identifiers, one a line; a line of identifiers split by commas is split."""
        result = []
        for line in (v.strip() for v in self.inspired_by.split("\n")):
            parts = [p.strip() for p in re.split(r"[,;]", line) if p.strip()]
            if parts and all(is_slug(p) for p in parts):
                result.extend(parts)
            elif line:
                result.append(line)
        return result

    def dates(self) -> dict[str, str]:
        """started and ended in ISO form when typed as dates, else as typed."""
        return {key: parse_french_date(value) or value.strip()
                for key, value in (("started", self.started), ("ended", self.ended))}

    def front_matter(self) -> dict[str, Any]:
        """The mapping a corpus file would hold; what was left empty is absent."""
        data: dict[str, Any] = {
            "title": self.title.strip(), "summary": self.summary.strip(),
            "themes": self.all_themes(), "landlords": self.filled_landlords(),
            "partners": [{"name": p["name"], "role": p["role"] or None}
                         for _, p in self.filled_partners() if p["name"]],
            "cities": self.lines("cities"), "districts": self.lines("districts"),
            "audiences": self.lines("audiences"), "status": self.status.strip(),
            **self.dates(),
            "evidence": self.evidence.strip(), "sources": [s for _, s in self.filled_sources()],
            "contact": self.contact.strip(), "inspired_by": self.inspirations(),
        }
        for source in data["sources"]:
            if source.get("date"):
                source["date"] = parse_french_date(source["date"]) or source["date"]
        return {key: value for key, value in data.items() if value not in ("", [])}
