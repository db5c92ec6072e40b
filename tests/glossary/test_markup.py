"""Marking acronyms in sanitised HTML: text nodes only, first occurrence only, escaped."""

from __future__ import annotations

from kb.glossary_markup import mark_acronyms
from kb.rendering import render_markdown

TERMS = {"QPV": "quartier prioritaire de la politique de la ville",
         "CMP": "centre médico-psychologique",
         "SLC": "Syndicat du logement et de la consommation",
         "CSF": "Confédération syndicale des familles",
         "XSS": 'un "titre" <script>alert(1)</script> & autres'}


def _abbr(acronym: str) -> str:
    return (f'<a class="glossary-term" href="/glossaire#{acronym}">'
            f'<abbr title="{TERMS[acronym]}">{acronym}</abbr></a>')


def test_the_first_occurrence_of_each_acronym_is_linked_to_its_entry():
    html = "<p>Le QPV des Hortensias et le CMP voisin.</p><p>Un autre QPV.</p>"
    assert mark_acronyms(html, TERMS) == (
        f"<p>Le {_abbr('QPV')} des Hortensias et le {_abbr('CMP')} voisin.</p><p>Un autre QPV.</p>")


def test_only_whole_words_are_marked():
    html = "<p>QPVS, AQPV, QPV2, QPVé et CMPP restent ; SLC-CSF se lit en deux sigles.</p>"
    marked = mark_acronyms(html, TERMS)
    assert "<abbr" not in marked.split("SLC")[0]
    assert _abbr("SLC") + "-" + _abbr("CSF") in marked


def test_links_code_and_existing_abbreviations_are_left_alone():
    html = ('<p><a href="https://exemple.org/QPV" title="QPV">le QPV</a> '
            "<code>QPV</code> <abbr title=\"x\">QPV</abbr></p><pre><code>CMP</code></pre>"
            "<p>puis le QPV et le CMP</p>")
    marked = mark_acronyms(html, TERMS)
    head, tail = marked.split("<p>puis")
    assert head == html.split("<p>puis")[0]  # unchanged, attributes included
    assert tail == f" le {_abbr('QPV')} et le {_abbr('CMP')}</p>"


def test_the_expansion_is_escaped_in_the_title_attribute():
    marked = mark_acronyms("<p>Un XSS.</p>", TERMS)
    assert 'title="un &quot;titre&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; autres"' in marked
    assert "<script>" not in marked


def test_entities_and_markup_survive_untouched():
    html = "<p>R&amp;D &lt;QPV&gt; &#233;t&eacute;<br>fin<!-- note --></p>"
    marked = mark_acronyms(html, TERMS)
    assert marked == html.replace("QPV", _abbr("QPV"))
    assert mark_acronyms(html, {}) == html


def test_the_page_marks_each_acronym_once_across_summary_and_body():
    seen: set[str] = set()
    first = mark_acronyms("Le QPV.", TERMS, seen=seen)
    second = mark_acronyms("<p>Le QPV et le CMP.</p>", TERMS, seen=seen)
    assert "<abbr" in first and second == f"<p>Le QPV et le {_abbr('CMP')}.</p>"


def test_marking_runs_on_what_the_renderer_produced_and_refuses_raw_html_from_bodies():
    body = ("## Contexte\n\nLe QPV [voir le QPV](https://exemple.org) et `CMP`.\n\n"
            "<abbr title=\"faux\">CMP</abbr> puis CMP.")
    marked = mark_acronyms(str(render_markdown(body)), TERMS)
    assert marked.count("<abbr") == 2
    assert f"Le {_abbr('QPV')} <a" in marked and "<code>CMP</code>" in marked
    # The raw tag typed in the body is visible text, so its CMP is the first one in a text node.
    assert f"&gt;{_abbr('CMP')}&lt;/abbr&gt; puis CMP." in marked
