"""The plain text of a body (snippets, body terms) does not depend on which
Markdown passes ``strip_markdown`` skips for lack of their characters."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search.schema import _MD_PATTERNS, strip_markdown

MARKDOWN = st.lists(st.sampled_from([
    "```", "`", "![", "[", "]", "(", ")", "](", "<", ">", "#", "##", "> ", "- ", "* ", "+ ",
    "1. ", "2) ", "***", "---", "___", "**", "__", "~~", "_", "*", "|", ":-:", "| --- |",
    "\n", "\n\n", " ", "   ", "mot", "Éloïse", "l’été", "a-b",
]), max_size=40).map("".join)


def every_pass(text: str) -> str:
    for pattern, repl, _ in _MD_PATTERNS:
        text = pattern.sub(repl, text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n".join(p for p in paragraphs if p)


@given(MARKDOWN)
@settings(max_examples=500, deadline=None)
def test_skipping_passes_changes_nothing(text):
    assert strip_markdown(text) == every_pass(text)


def test_markdown_is_stripped():
    body = ("## Contexte\n\n- Un **atelier** [lien](https://exemple.invalid) `code`\n\n"
            "| a | b |\n|---|---|\n| c | d |\n\n---\n\n<b>gras</b> ![alt](x.png)")
    plain = strip_markdown(body)
    assert plain == every_pass(body)
    assert plain.split() == ["Contexte", "Un", "atelier", "lien", "code", "a", "b", "c", "d", "gras", "alt"]
