"""Records -> file text. Output is canonical: a second dump is byte-identical."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from kb.config import DEFAULT_LICENCE
from kb.corpus.records import (
    AudienceRecord,
    EventRecord,
    OrganisationRecord,
    PracticeRecord,
    SourceRef,
    ThemeRecord,
)


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key ("themes:\n  - a"), as people write them by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=10_000)


def _year_or_date(value: str | None) -> int | str | dt.date | None:
    if value is None:
        return None
    if len(value) == 7:  # a month (2021-09): YAML reads it back as this very text
        return value
    return int(value) if len(value) == 4 else dt.date.fromisoformat(value)


def _sources(sources: list[SourceRef]) -> list[dict[str, Any]]:
    result = []
    for source in sources:
        item: dict[str, Any] = {"title": source.title}
        if source.url:
            item["url"] = source.url
        if source.date:
            item["date"] = _year_or_date(source.date)
        if source.publisher:
            item["publisher"] = source.publisher
        result.append(item)
    return result


def _document(header: dict[str, Any], body: str, keep: tuple[str, ...] = ()) -> str:
    # Required lists stay even when empty, so "no known city" survives a round trip.
    header = {k: v for k, v in header.items() if k in keep or v not in (None, [], "")}
    text = f"---\n{_yaml(header)}---\n"
    return f"{text}\n{body}\n" if body else text


def dump_practice(record: PracticeRecord) -> str:
    """The file text of a practice, keys in the documented order."""
    partners = [{"name": p.name, "role": p.role} if p.role else p.name for p in record.partners]
    return _document({
        "slug": record.slug if record.explicit_slug else None,
        "title": record.title,
        "summary": record.summary,
        "themes": record.themes,
        "landlords": record.landlords,
        "partners": partners,
        "cities": record.cities,
        "districts": record.districts,
        "audiences": record.audiences,
        "status": record.status,
        "started": _year_or_date(record.started),
        "ended": _year_or_date(record.ended),
        "evidence": record.evidence,
        "inspired_by": record.inspired_by,
        "sources": _sources(record.sources),
        "contact": record.contact,
        "licence": None if record.licence == DEFAULT_LICENCE else record.licence,
        "last_verified": record.last_verified,
    }, record.body, keep=("cities",))


def dump_event(record: EventRecord) -> str:
    """The file text of a rendez-vous."""
    return _document({
        "slug": record.slug if record.explicit_slug else None,
        "title": record.title,
        "date": record.date,
        "end_date": record.end_date,
        "organisers": record.organisers,
        "place": record.place,
        "themes": record.themes,
        "summary": record.summary,
        "practices": record.practices,
        "sources": _sources(record.sources),
    }, record.body)


def dump_organisations(records: list[OrganisationRecord]) -> str:
    items = []
    for org in records:
        item: dict[str, Any] = {"name": org.name, "kind": org.kind}
        if org.aliases:
            item["aliases"] = org.aliases
        if org.website:
            item["website"] = org.website
        items.append(item)
    return _yaml(items)


def dump_audiences(records: list[AudienceRecord]) -> str:
    items = []
    for a in records:
        item: dict[str, Any] = {"label": a.label}
        if a.label_en:
            item["label_en"] = a.label_en
        items.append(item)
    return _yaml(items)


def dump_themes(records: list[ThemeRecord]) -> str:
    items = []
    for t in records:
        item: dict[str, Any] = {"label": t.label}
        if t.description:
            item["description"] = t.description
        if t.label_en:
            item["label_en"] = t.label_en
        items.append(item)
    return _yaml(items)
