"""Saved web pages: the article's main text and its metadata, without the page around it.

The extraction of the main text from a page (menus, footers, "most read"
boxes left out) is done by trafilatura; the fields are then read from that
text like any other article.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import Published
from .text import clean_space


@dataclass(frozen=True)
class Page:
    text: str
    title: str | None = None
    published: Published | None = None
    site_name: str | None = None
    author: str | None = None
    url: str | None = None


def _published(value: str | None) -> Published | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _url(value: str | None) -> str | None:
    return value if value and value.startswith(("http://", "https://")) else None


def read_page(html: str) -> Page:
    """The main text of a saved page and what its metadata says (title, date, site name, author, address).

    Only dates the page states in its metadata are taken: the search of the
    page's text for something that looks like a date is turned off.
    """
    import trafilatura  # loaded only when a saved page is read: it takes a while to import

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        return Page(text="")
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    text = data.get("text") or ""

    def field(key: str) -> str | None:
        value = data.get(key)
        return clean_space(str(value)) if value else None

    title, site_name = field("title"), field("sitename")
    if site_name == title:
        site_name = None  # guessed from the <title> of a page that does not name its site
    return Page(
        text=text,
        title=title,
        published=_published(field("date")),
        site_name=site_name,
        author=field("author"),
        url=_url(field("url")),
    )


_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)


def looks_like_html(data: bytes) -> bool:
    """True for a document that starts as a web page does (pasted page source, a page saved without .html)."""
    return _HTML_START.match(data[:4096]) is not None
