"""HTML checks shared by page tests: external references (a page must open offline) and the
plotly chart divs it holds."""

from __future__ import annotations

from html.parser import HTMLParser


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.charts: list[str] = []
        self.external: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "div" and "plotly-graph-div" in (attributes.get("class") or ""):
            self.charts.append(attributes.get("id", ""))
        for key in ("src", "href"):
            value = attributes.get(key) or ""
            if tag in ("script", "link", "img", "iframe") and value:
                self.external.append(f"{tag} {key}={value}")


def parse_page(text: str) -> PageParser:
    parser = PageParser()
    parser.feed(text)
    return parser
