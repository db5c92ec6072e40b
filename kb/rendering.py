"""Markdown -> sanitised HTML, in one configured place.

Practice bodies are Markdown written by contributors. Three layers keep them
harmless:

1. Python-Markdown runs with its raw-HTML handlers removed, so ``<script>`` or
   ``<img onerror=...>`` typed in a body comes out as visible, escaped text.
2. nh3 (ammonia) then keeps only an allow-list of tags and attributes: no
   ``style``, no event handlers, links only to http(s)/mailto or relative URLs,
   ``rel="nofollow noopener"`` on every link. Images are dropped: the site's
   Content-Security-Policy allows no remote image, and a body image without a
   text alternative would fail WCAG 1.1.1.
3. A last pass unwraps links left without ``href`` (invalid HTML) and shifts
   headings so the body never competes with the page's single ``<h1>``.

Bounded cost. Python-Markdown rebuilds a block's text at every inline match
and scans forward from every ``[``, backtick or delimiter, so its cost grows
with (markup characters) x (block length): 8,000 ``[`` took 13 s. Before
rendering, ``defuse`` (kb.markdown_guard) caps that product, the nesting of
quotes and lists, and the length of a block; the markup characters past the
cap are swapped for inert placeholders and put back, as plain text, after
rendering, so no character typed is lost. A deadline checked at every block
and inline match bounds what is left (``RenderTooSlow``), for previews.
"""

from __future__ import annotations

import re
import time

import markdown
import nh3
from markupsafe import Markup

from kb.markdown_guard import defuse, restore

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "dl", "dt", "dd", "a", "abbr", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td",
    "h1", "h2", "h3", "h4", "h5", "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

_HEADING = re.compile(r"<(/?)h([1-6])>")
_ANCHOR_WITHOUT_HREF = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)


class RenderTooSlow(RuntimeError):
    """Rendering went past its CPU budget."""


def _checked(method, deadline: float):
    def run(*args, **kwargs):
        if time.process_time() > deadline:
            raise RenderTooSlow
        return method(*args, **kwargs)
    return run


def _markdown(budget: float | None = None) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # Raw HTML in a body is shown as text, never interpreted.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    if budget is not None:
        # Checked before every block and inline step: a step costs at most one
        # scan of a (capped) block, so the overrun past the budget stays small.
        deadline = time.process_time() + budget
        for processor in md.parser.blockprocessors:
            processor.run = _checked(processor.run, deadline)
        for pattern in md.inlinePatterns:
            pattern.handleMatch = _checked(pattern.handleMatch, deadline)
    return md


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes of ``html``."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return _ANCHOR_WITHOUT_HREF.sub(r"\1", cleaned)


def shift_headings(html: str, top: int = 2) -> str:
    """Renumber headings so the first level is ``<h{top}>`` and no level is skipped.

    The highest heading becomes ``top``; a heading never goes more than one
    level below the previous one (h2 then h4 becomes h2 then h3); h6 at most.
    """
    levels = [int(level) for _slash, level in _HEADING.findall(html)]
    if not levels:
        return html
    offset = top - min(levels)
    previous = top - 1
    opened: list[int] = []

    def renumber(match: re.Match) -> str:
        nonlocal previous
        if match[1]:  # a closing tag closes the heading opened last
            return f"</h{opened.pop()}>"
        level = min(6, int(match[2]) + offset, previous + 1)
        opened.append(level)
        previous = level
        return f"<h{level}>"

    return _HEADING.sub(renumber, html)


def render_markdown(text: str, *, top_heading: int = 2, budget: float | None = None) -> Markup:
    """Sanitised HTML of the Markdown ``text``, its headings starting at ``top_heading``.

    With ``budget`` (seconds of CPU), raises ``RenderTooSlow`` past it.
    """
    html = restore(_markdown(budget).convert(defuse(text or "")))
    return Markup(shift_headings(sanitise_html(html), top_heading))
