"""The search page and the Pagefind index built with the site."""

from __future__ import annotations

import gzip
import json

import pytest

from ncg_digest.errors import RenderError
from ncg_digest.search import search_bundle

FRAGMENT_HEADER = b"pagefind_dcd"


def indexed(project) -> dict[str, str]:
    """Each indexed page's URL and the text Pagefind took from it (from the compressed fragments)."""
    pages = {}
    for path in (project.out / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_HEADER)
        fragment = json.loads(data[len(FRAGMENT_HEADER):])
        pages[fragment["url"]] = fragment["content"]
    return pages


def content_pages(project) -> set[str]:
    return {
        "/" + p
        for p in project.pages()
        if p.startswith(("articles/", "meetings/", "topics/")) and p != "topics/index.html"
    }


def test_the_bundle_is_in_the_site(bundled_site):
    bundle = bundled_site.out / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(content_pages(bundled_site))


def test_only_articles_meetings_and_topics_are_indexed(bundled_site):
    pages = indexed(bundled_site)
    assert set(pages) == content_pages(bundled_site)
    assert "Robert Soofer" in pages["/meetings/ncg-5.html"]
    for text in pages.values():
        # Navigation, footer and skip link are not content.
        assert "Skip to content" not in text and "Every fact links to the source" not in text


def test_search_page_works_without_script_by_pointing_to_the_topics(bundled_site):
    soup = bundled_site.html("search.html")
    notice = soup.find(id="search-unavailable")
    assert notice.find("a", href="topics/index.html")
    scripts = soup.find_all("script")
    assert [s["src"] for s in scripts if s.get("src")] == ["search.js"]
    assert soup.find("link", rel="stylesheet", href="pagefind/pagefind-ui.css")
    assert (bundled_site.out / "search.js").is_file()
    for page in bundled_site.pages():
        assert bundled_site.html(page).find("nav").find("a", string="Search"), page


def test_a_failing_indexer_is_a_clear_error(monkeypatch, tmp_path):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr("ncg_digest.search.pagefind_executable", lambda: fake)
    with pytest.raises(RenderError) as error:
        search_bundle({"index.html": b"<html></html>"}, "en")
    assert "Pagefind could not build the search index: Error: something broke" in str(error.value)
