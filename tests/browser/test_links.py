"""A crawl of the served site from its front page, following links as Chromium resolves them."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urldefrag

from ncg_digest.urls import NOT_FOUND
from pagekit import html_pages

# Every address a page refers to (resolved by the browser), and the ids a link may point into.
REFERENCES = """() => ({
  urls: [...document.querySelectorAll("a[href], link[href], img[src], script[src], source[src], iframe[src]")]
          .map(e => new URL(e.getAttribute("href") ?? e.getAttribute("src"), document.baseURI).href),  // SVG links too
  ids: [...document.querySelectorAll("[id]")].map(e => e.id),
})"""


@dataclass
class Crawl:
    pages: dict[str, set[str]] = field(default_factory=dict)  # page URL -> the ids on it
    links: list[tuple[str, str]] = field(default_factory=list)  # (from page, to URL)
    status: dict[str, int] = field(default_factory=dict)  # URL without fragment -> HTTP status


def http_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, ""


def crawl(page, start: str, site_url: str) -> Crawl:
    """Visit every HTML page reachable from `start` without leaving `site_url`; check each internal address once."""
    result = Crawl()
    queue = [start]
    while queue:
        url = queue.pop(0)
        if url in result.status:
            continue
        result.status[url], kind = http_status(url)
        if result.status[url] != 200 or kind != "text/html":
            continue
        page.goto(url)
        found = page.evaluate(REFERENCES)
        result.pages[url] = set(found["ids"])
        for target in found["urls"]:
            if target.startswith(site_url):
                result.links.append((url, target))
                queue.append(urldefrag(target).url)
            elif not target.startswith(("http://", "https://", "mailto:")):
                result.links.append((url, target))  # another scheme (file:, javascript:) counts as broken
                result.status.setdefault(target, 0)
    return result


def broken_links(result: Crawl) -> list[str]:
    broken = []
    for source, target in result.links:
        address, fragment = urldefrag(target)
        if result.status.get(address) != 200:
            broken.append(f"{source} -> {target}: HTTP {result.status.get(address)}")
        elif fragment and fragment not in result.pages.get(address, set()):
            broken.append(f"{source} -> {target}: no element with id {fragment!r}")
    return broken


def page_of(url: str, site_url: str) -> str:
    path = url[len(site_url) :]
    return path + "index.html" if path == "" or path.endswith("/") else path


def test_crawl_from_the_front_page_reaches_every_page_without_broken_links(watched, site_url, bundled_site):
    result = crawl(watched.page, site_url, site_url)

    assert broken_links(result) == []
    reached = {page_of(url, site_url) for url in result.pages}
    # The 404 page is reached through unknown addresses, never through a link.
    orphans = sorted(set(html_pages(bundled_site.out)) - reached - {NOT_FOUND})
    assert orphans == []
    assert len(reached) > 10


def test_the_crawl_reports_a_broken_link_and_a_missing_fragment():
    result = Crawl(
        pages={"http://h/s/a.html": {"top"}},
        links=[("http://h/s/a.html", "http://h/s/b.html"), ("http://h/s/a.html", "http://h/s/a.html#gone"), ("http://h/s/a.html", "http://h/s/a.html#top")],
        status={"http://h/s/a.html": 200, "http://h/s/b.html": 404},
    )
    assert broken_links(result) == [
        "http://h/s/a.html -> http://h/s/b.html: HTTP 404",
        "http://h/s/a.html -> http://h/s/a.html#gone: no element with id 'gone'",
    ]
