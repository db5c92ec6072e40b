"""Mark the acronyms of sanitised HTML: ``QPV`` -> a link to its glossary entry.

Runs after kb.rendering, on HTML it already cleaned. Only text nodes change:
tags and attributes are copied as they came, and text inside links, code,
existing ``<abbr>`` and the like is left alone (a link inside a link is
invalid, and code is quoted as typed). Each acronym is marked once, at its
first occurrence, so a page is not a sea of dotted lines. Pure: no Flask, no
database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from html.parser import HTMLParser

# Text inside these elements is never marked.
SKIPPED = frozenset({"a", "abbr", "code", "pre", "kbd", "samp", "script", "style", "textarea",
                     "title", "dfn", "button", "select", "option", "svg", "math"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
# Letters of French words: an acronym glued to one of them is not a word of its own.
_WORD = "0-9A-Za-zÀ-ÖØ-öø-ÿŒœ"


def acronym_pattern(acronyms: list[str]) -> re.Pattern[str] | None:
    """One pattern for all ``acronyms``, longest first, matching whole words only."""
    if not acronyms:
        return None
    alternatives = "|".join(re.escape(a) for a in sorted(set(acronyms), key=lambda a: (-len(a), a)))
    return re.compile(rf"(?<![{_WORD}])(?:{alternatives})(?![{_WORD}])")


class _Marker(HTMLParser):
    def __init__(self, terms: Mapping[str, str], pattern: re.Pattern[str], link_base: str,
                 seen: set[str]):
        super().__init__(convert_charrefs=False)
        self.terms, self.pattern, self.link_base, self.seen = terms, pattern, link_base, seen
        self.out: list[str] = []
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in SKIPPED and tag not in VOID:
            self.skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            # Close up to the matching element, as a browser would.
            while self.skipping and self.skipping.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data if self.skipping else self.pattern.sub(self._mark, data))

    def _mark(self, match: re.Match[str]) -> str:
        acronym = match.group(0)
        if acronym in self.seen:
            return acronym
        self.seen.add(acronym)
        return (f'<a class="glossary-term" href="{escape(self.link_base)}#{escape(acronym)}">'
                f'<abbr title="{escape(self.terms[acronym])}">{acronym}</abbr></a>')

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def mark_acronyms(html: str, terms: Mapping[str, str], *, link_base: str = "/glossaire",
                  seen: set[str] | None = None) -> str:
    """``html`` with the first occurrence of each acronym of ``terms`` marked.

    ``terms`` maps an acronym to its expansion. ``seen`` carries the acronyms
    already marked elsewhere on the page (it is updated), so a summary and a
    body together mark each acronym once.
    """
    pattern = acronym_pattern(list(terms))
    if pattern is None or not html:
        return html
    marker = _Marker(terms, pattern, link_base, seen if seen is not None else set())
    marker.feed(html)
    marker.close()
    return "".join(marker.out)
