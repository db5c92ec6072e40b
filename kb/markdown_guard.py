"""Cap what makes Python-Markdown slow, keeping every character typed.

Python-Markdown's cost is roughly (markup characters) x (length of their
block): each inline match rebuilds the block's text, each ``[`` scans forward
for its ``]``, each heading splits its block, and quotes and lists recurse one
level per marker. ``defuse`` bounds each factor before rendering:

- a line's leading indentation past ``MAX_INDENT`` columns, and its quote or
  list markers past ``MAX_DEPTH``, become placeholders;
- a run of non-blank lines is cut (by a blank line) every ``MAX_BLOCK_LINES``
  lines or ``MAX_BLOCK_CHARS`` characters, and the lines that open a block
  element (heading, list item, quote, rule) past ``MAX_BLOCK_ELEMENTS`` become
  text (each element costs some 30 microseconds whatever its size);
- the markup characters of the whole text share one budget, ``MARKUP_BUDGET``:
  each costs the length of its block, and past the budget they become
  placeholders.

Control characters (stored before they were refused) are dropped: HTML has no
place for them. A placeholder is a Unicode noncharacter (U+FDD0...), which no text legitimately
holds and Markdown treats as a letter; ``restore`` turns each back into its
character, escaped for HTML, once the Markdown is rendered. An ordinary body
(even 100,000 characters in reasonable paragraphs) is left exactly as it is.
"""

from __future__ import annotations

import html
import re

from kb.corpus.fields import CONTROL_RE

MAX_INDENT = 32
MAX_DEPTH = 8
MAX_BLOCK_LINES = 100
MAX_BLOCK_CHARS = 4000
MAX_BLOCK_ELEMENTS = 1000
# Characters x block length; measured: the worst input then renders in about 0.2 s.
MARKUP_BUDGET = 3_000_000

_NEUTRALISED = "[]*_`<>&\\| #-+=!.)"
_PLACEHOLDER = {char: chr(0xFDD0 + i) for i, char in enumerate(_NEUTRALISED)}
_ORIGINAL = {ph: html.escape(char, quote=False) for char, ph in _PLACEHOLDER.items()}
_NEUTRAL = str.maketrans(_PLACEHOLDER)
_INERT = str.maketrans({char: _PLACEHOLDER[char] for char in "[*_`<&\\|"})
_LINE_BREAK = re.compile(r" (?= \n)")
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")
_PLACEHOLDERS = re.compile(f"[{''.join(_PLACEHOLDER.values())}]")
_MARKUP = re.compile(r"[\[*_`<&\\|]| (?= \n)")
_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])))+")
_MARKER = re.compile(r">|[*+-]|\d{1,9}[.)]")
_ELEMENT = re.compile(r"^[ \t]*(?:#+|>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])|[=-]+[ \t]*$"
                      r"|(?:[*_-][ \t]*){3,}$)")
# An opening bracket is scanned, one Python step a character, by the link, reference
# and image patterns alike (measured: some 0.2 microseconds a character each).
_WEIGHT = {"[": 24, " ": 4}


def _neutralise(text: str) -> str:
    return text.translate(_NEUTRAL)


def _cap_line(line: str) -> str:
    """The line with its indentation and nesting markers past the caps neutralised."""
    stripped = line.lstrip(" \t")
    lead = line[: len(line) - len(stripped)]
    if len(lead.expandtabs(4)) > MAX_INDENT:
        width = len(lead.expandtabs(4))
        line = " " * MAX_INDENT + _PLACEHOLDER[" "] * (width - MAX_INDENT) + stripped
    prefix = _MARKERS.match(line)
    if prefix is None:
        return line
    markers = list(_MARKER.finditer(prefix.group()))
    if len(markers) <= MAX_DEPTH:
        return line
    cut = markers[MAX_DEPTH].start()
    return line[:cut] + _neutralise(prefix.group()[cut:]) + line[prefix.end():]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines, cut at the size caps; blank lines stand alone."""
    blocks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if not line.strip():
            if current:
                blocks.append(current)
            blocks.append([line])
            current, size = [], 0
            continue
        if current and (len(current) >= MAX_BLOCK_LINES or size + len(line) > MAX_BLOCK_CHARS):
            blocks.append(current)
            blocks.append([""])
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        blocks.append(current)
    return blocks


def defuse(text: str) -> str:
    """``text`` with the markup past the caps made inert (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _NONCHARACTERS.sub("", CONTROL_RE.sub("", text))
    lines = [_cap_line(line) for line in text.split("\n")]
    elements = 0
    for number, line in enumerate(lines):
        opening = _ELEMENT.match(line)
        if opening is not None:
            elements += 1
            if elements > MAX_BLOCK_ELEMENTS:
                lines[number] = _neutralise(opening.group()) + line[opening.end():]
    spent = 0
    out: list[str] = []
    for block in _blocks(lines):
        chunk = "\n".join(block)
        cost = len(chunk) + 1
        cut = len(chunk) if spent < MARKUP_BUDGET else 0
        # Python visits only the markup kept (bounded by the budget); the rest of the
        # text is neutralised in C by ``_inert``.
        for match in _MARKUP.finditer(chunk) if cut else ():
            price = cost * _WEIGHT.get(match.group(), 1)
            if spent + price > MARKUP_BUDGET:
                spent, cut = MARKUP_BUDGET, match.start()
                break
            spent += price
        out.append(chunk[:cut] + _inert(chunk[cut:]) if cut < len(chunk) else chunk)
    return "\n".join(out)


def _inert(text: str) -> str:
    """Every markup character of ``text`` neutralised (hard line breaks included)."""
    return _LINE_BREAK.sub(_PLACEHOLDER[" "], text).translate(_INERT)


def restore(rendered: str) -> str:
    """Rendered HTML with each placeholder turned back into its character."""
    return _PLACEHOLDERS.sub(lambda m: _ORIGINAL[m.group()], rendered)
