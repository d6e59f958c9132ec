"""A saved web page (HTML) as the plain text a reader would copy from it.

Scripts, styles, forms and navigation are dropped; block elements become
lines. When the page marks its story with ``<article>`` (or ``<main>``), only
that part is kept, together with the page's ``<h1>`` headline and any
copyright line, which the extractor uses to name the outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from .text import clean_space

SKIPPED = {"script", "style", "noscript", "template", "svg", "head", "nav", "form", "button", "select", "iframe", "canvas", "aside"}
BLOCKS = {
    "p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "tr", "table",
    "article", "section", "header", "footer", "main", "blockquote", "figure", "figcaption", "pre", "address", "time",
}
VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "area", "base", "col", "embed", "param", "track"}
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|all rights reserved", re.I)
_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)


@dataclass
class Line:
    text: str
    in_story: bool  # inside <article> or <main>
    headline: bool  # an <h1>


class _Collector(HTMLParser):
    """Collects the lines of text, remembering whether each is in the story or a headline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self._skip = self._story = self._h1 = 0
        self._open: list[str] = []
        self._buffer: list[str] = []

    def _flush(self) -> None:
        text = clean_space("".join(self._buffer))
        self._buffer = []
        if text:
            self.lines.append(Line(text, self._story > 0, self._h1 > 0))

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in BLOCKS:
            self._flush()
        if tag in VOID:
            return
        self._open.append(tag)
        if tag in SKIPPED:
            self._skip += 1
        elif tag in ("article", "main"):
            self._story += 1
        elif tag == "h1":
            self._h1 += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush()
        if tag not in self._open:
            return  # a stray end tag
        while self._open:  # close anything left open inside it, as browsers do
            closed = self._open.pop()
            if closed in SKIPPED:
                self._skip -= 1
            elif closed in ("article", "main"):
                self._story -= 1
            elif closed == "h1":
                self._h1 -= 1
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:4096]))


def html_to_text(html: str) -> str:
    """The readable text of a web page, one block per paragraph."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    lines = collector.lines
    if any(line.in_story for line in lines):
        story = [line.text for line in lines if line.in_story]
        headline = next((line.text for line in lines if line.headline and not line.in_story), None)
        credits = [line.text for line in lines if not line.in_story and _COPYRIGHT.search(line.text) and len(line.text) < 200]
        texts = ([headline] if headline and headline not in story else []) + story + credits
    else:
        texts = [line.text for line in lines]
    return "\n\n".join(texts) + "\n" if texts else ""
