"""Files for hosts and crawlers: ``sitemap.xml``, ``robots.txt`` and ``.nojekyll``.

A sitemap must list absolute addresses, so it is written only when
``base_url`` is set; ``robots.txt`` then names it. ``.nojekyll`` tells GitHub
Pages to serve the files as they are.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Iterable

from . import urls
from .config import SiteConfig

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Pages a search engine should not list: they carry no content of their own.
UNLISTED = {urls.NOT_FOUND, urls.SEARCH}


def sitemap(pages: Iterable[str], base_url: str) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for path in sorted(p for p in pages if p not in UNLISTED):
        ET.SubElement(ET.SubElement(root, "url"), "loc").text = urls.absolute(base_url, path)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(site: SiteConfig) -> bytes:
    lines = ["# Every page may be crawled.", "User-agent: *", "Allow: /"]
    if site.base_url:
        lines.append(f"Sitemap: {urls.absolute(site.base_url, urls.SITEMAP)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def hosting_files(pages: Iterable[str], site: SiteConfig) -> dict[str, bytes]:
    files = {urls.ROBOTS: robots(site), urls.NOJEKYLL: b""}
    if site.base_url:
        files[urls.SITEMAP] = sitemap(pages, site.base_url)
    return files
