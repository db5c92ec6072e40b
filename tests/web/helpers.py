"""Small HTML helpers for the web tests (standard library only)."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Tags, links, headings and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.headings: list[tuple[str, str]] = []
        self._open: list[list] = []
        self.text_parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a" or tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open.append([tag, attrs, []])

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, attrs, parts = self._open.pop(i)
                text = " ".join("".join(parts).split())
                if name == "a":
                    self.links.append((attrs.get("href") or "", text))
                else:
                    self.headings.append((name, text))
                break

    def handle_data(self, data):
        self.text_parts.append(data)
        for entry in self._open:
            entry[2].append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def hrefs(self) -> list[str]:
        return [href for href, _ in self.links]

    def h1(self) -> list[str]:
        return [text for level, text in self.headings if level == "h1"]

    def find(self, tag: str, **attrs) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def page(response) -> Page:
    """The parsed page of a test-client response (or of an HTML string)."""
    return Page(response if isinstance(response, str) else response.get_data(as_text=True))
