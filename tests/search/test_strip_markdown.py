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


def test_headings_and_list_items_are_paragraphs_of_their_own():
    # A snippet is a sentence, and a line ends one: a heading written right above
    # its text, or a list, must not run into the next line.
    body = ("Le projet a démarré en 2019.\n## Résultats ##\nLes halls sont plus calmes.\n"
            "- Repeindre les halls\n* Former les gardiens\n2) Suivre les signalements\n"
            "suite du troisième point\n\n> Une citation\n> sur deux lignes")
    assert strip_markdown(body).split("\n") == [
        "Le projet a démarré en 2019.", "Résultats", "Les halls sont plus calmes.",
        "Repeindre les halls", "Former les gardiens",
        "Suivre les signalements suite du troisième point", "Une citation sur deux lignes"]
