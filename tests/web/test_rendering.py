"""kb.rendering: Markdown to sanitised HTML, tested without an app."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from kb.rendering import render_markdown, shift_headings

ALLOWED_SCHEMES = ("http://", "https://", "mailto:", "/", "#")

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5/></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div onmouseover=\"alert(1)\">x</div>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<form action=\"https://evil.example\"><button>x</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{display:none}</style>",
    "[x](https://example.org \"title\" onclick=alert(1))",
    "<details open ontoggle=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "`<script>` in code stays text",
    "<!-- <script>alert(1)</script> -->",
]


class Collector(HTMLParser):
    """Every start tag and attribute of a fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parsed(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = Collector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_neutralised(payload):
    html = str(render_markdown(f"Avant.\n\n{payload}\n\nAprès."))
    for tag, attrs in parsed(html):
        assert tag not in {"script", "style", "iframe", "object", "embed", "svg", "math", "img",
                           "form", "base", "meta", "link", "details", "button"}, html
        assert not any(name.startswith("on") for name in attrs), html
        assert "style" not in attrs, html
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(ALLOWED_SCHEMES), html


def test_links_get_nofollow_noopener():
    html = str(render_markdown("Voir [la source](https://example.org/a)."))
    assert parsed(html) == [("p", {}), ("a", {"href": "https://example.org/a",
                                                "rel": "nofollow noopener"})]


def test_link_with_forbidden_url_keeps_its_text_but_no_anchor():
    html = str(render_markdown("[cliquez](javascript:alert(1))"))
    assert html == "<p>cliquez</p>"


def test_raw_html_is_shown_as_text():
    html = str(render_markdown("<b>gras</b>"))
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


def test_images_are_dropped():
    html = str(render_markdown("![un plan](https://example.org/plan.png)"))
    assert "<img" not in html


def test_headings_never_reach_h1():
    html = str(render_markdown("# Un\n\n## Deux\n\n### Trois"))
    assert "<h1>" not in html
    assert [t for t, _ in parsed(html)] == ["h2", "h3", "h4"]


def test_body_starting_at_h3_is_lifted_to_h2():
    assert shift_headings("<h3>a</h3><h4>b</h4>") == "<h2>a</h2><h3>b</h3>"


def test_headings_never_skip_a_level():
    assert shift_headings("<h1>a</h1><h6>b</h6>") == "<h2>a</h2><h3>b</h3>"
    assert shift_headings("<h2>a</h2><h1>b</h1><h3>c</h3>") == "<h2>a</h2><h2>b</h2><h3>c</h3>"


def test_headings_are_capped_at_h6():
    deep = "".join(f"<h{n}>{n}</h{n}>" for n in range(1, 7))
    assert shift_headings(deep, top=3).endswith("<h6>5</h6><h6>6</h6>")


def test_markdown_tables_and_lists_survive():
    html = str(render_markdown("- un\n- deux\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    tags = [t for t, _ in parsed(html)]
    assert "ul" in tags and "table" in tags and "td" in tags


def test_empty_body_renders_empty():
    assert str(render_markdown("")) == ""
