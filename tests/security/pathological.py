"""Synthetic Markdown that makes naive parsers slow, at kb's maximum body size.

The cases follow cmark's list of pathological inputs (test/pathological_tests.py
in commonmark/cmark: nested brackets, emphasis runs, backticks, unclosed links,
entities, deep lists and quotes), plus the block-level ones that are slow in
Python-Markdown (headings, rules, setext underlines, hard line breaks, escapes).
"""

from __future__ import annotations

from kb.services.contributions.drafts import MAX_LENGTHS

HEAD = "## Contexte\n\n"
SIZE = MAX_LENGTHS["body"] - len(HEAD)


def _fill(unit: str, size: int = SIZE) -> str:
    return (unit * (size // len(unit) + 1))[:size]


CASES = {
    "issue: opening brackets": lambda: "[" * SIZE,
    "issue: image openers": lambda: _fill("!["),
    "nested strong emph": lambda: _fill("*a **a ", SIZE // 2) + "b" + _fill(" a** a*", SIZE // 2 - 1),
    "emph closers without openers": lambda: _fill("a_ "),
    "emph openers without closers": lambda: _fill("_a "),
    "link closers without openers": lambda: _fill("a]"),
    "link openers without closers": lambda: _fill("[a"),
    "mismatched openers and closers": lambda: _fill("*a_ "),
    "openers and closers multiple of 3": lambda: "a**b" + _fill("c* ", SIZE - 4),
    "link openers and emph closers": lambda: _fill("[ a_"),
    "nested brackets": lambda: "[" * (SIZE // 2 - 1) + "a" + "]" * (SIZE // 2),
    "nested block quotes": lambda: _fill("> ", SIZE - 1) + "a",
    "deeply nested lists": lambda: "".join("    " * x + "* a\n" for x in range(200)),
    "backticks": lambda: "".join("e" + "`" * x for x in range(1, 447)),
    "unclosed links A": lambda: _fill("[a](<b"),
    "unclosed links B": lambda: _fill("[a](b"),
    "many references": lambda: "".join(f"[{x}]: u\n" for x in range(1, 8000)) + "[0] " * 4000,
    "entities": lambda: _fill("&amp;"),
    "emphasis pairs": lambda: _fill("*a* "),
    "escapes": lambda: _fill("\\["),
    "hard line breaks": lambda: _fill("a  \n"),
    "headings": lambda: _fill("# a\n"),
    "rules": lambda: _fill("***\n"),
    "setext headings": lambda: _fill("a\n=\n"),
    "ordered list items": lambda: _fill("1. a\n"),
    "table rows": lambda: "a|b\n-|-\n" + _fill("c|d\n", SIZE - 8),
    "angle brackets": lambda: _fill("<"),
}


def body(name: str) -> str:
    """The case ``name`` as a whole practice body, exactly the maximum size."""
    return (HEAD + CASES[name]())[: MAX_LENGTHS["body"]]
