"""The built site, read back with an HTML parser as a reader's browser would."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
from urllib.parse import urldefrag, urlparse

import pytest

from ncg_digest.build import build_site


def internal_links(project, page):
    soup = project.html(page)
    for tag in soup.find_all(["a", "link"], href=True):
        href = tag["href"]
        if urlparse(href).scheme or href.startswith("//"):
            continue
        yield tag, href


def test_timeline_lists_every_event_in_date_order(bundled_site):
    soup = bundled_site.html("index.html")
    events = soup.select("ol.timeline > li")
    ids = [li["id"] for li in events]
    assert ids == [
        "founding-2023-04-26",
        "ncg-1",
        "ncg-2",
        "ncg-3",
        "related-2024-07-11",
        "ncg-4",
        "ncg-5",
        "ncg-6",
    ]
    dates = [li.find("time")["datetime"] for li in events if li.find("time")]
    assert dates == sorted(dates)
    assert len(soup.find_all("h1")) == 1


def test_planned_meeting_is_marked_with_its_approximate_time(bundled_site):
    sixth = bundled_site.html("index.html").find(id="ncg-6")
    text = sixth.get_text(" ", strip=True)
    assert "Planned" in text
    assert "first half of 2026" in text
    assert sixth.find("time") is None


def test_each_meeting_on_the_timeline_shows_its_facts(bundled_site):
    fifth = bundled_site.html("index.html").find(id="ncg-5")
    text = fifth.get_text(" ", strip=True)
    assert "Fifth NCG meeting" in text
    assert fifth.find("time")["datetime"] == "2025-12-11"
    assert "Washington, D.C." in text
    assert "Robert Soofer (U.S.)" in text and "Kim Hong-cheol (ROK)" in text
    assert "leading role in the conventional defense" in text
    assert "2 articles" in text
    assert fifth.find("a", href="meetings/ncg-5.html")


def test_meeting_links_to_its_articles_and_back(bundled_site):
    for number, expected in ((4, 1), (5, 2)):
        meeting = bundled_site.html(f"meetings/ncg-{number}.html")
        cards = meeting.select("#coverage ~ article.card a, section article.card a")
        article_pages = sorted({a["href"] for a in cards})
        assert len(article_pages) == expected
        for href in article_pages:
            path = posixpath.normpath(posixpath.join("meetings", href))
            article = bundled_site.html(path)
            assert article.find("a", href=f"../meetings/ncg-{number}.html")


def test_meeting_page_shows_disagreeing_titles_with_who_said_which(bundled_site):
    page = bundled_site.html("meetings/ncg-5.html")
    officials = page.select("li.official")
    kim = next(li for li in officials if "Kim Hong-cheol" in li.get_text())
    text = kim.get_text(" ", strip=True)
    assert "Sources differ" in text
    claims = {li.select_one(".claim").get_text(strip=True): li.select_one(".said-by").get_text(" ", strip=True) for li in kim.select("ul.claims li")}
    assert "Deputy Minister for National Defense Policy" in claims
    assert "Yonhap News Agency" in claims["Deputy Minister for National Defense Policy"]
    assert "Curated record" in claims["Deputy Minister for National Defense Policy"]
    asiatoday = next(v for k, v in claims.items() if k.startswith("director general for defense policy at the Ministry"))
    assert "Asiatoday" in asiatoday


def test_meeting_page_shows_a_spelling_variant(bundled_site):
    page = bundled_site.html("meetings/ncg-4.html")
    cho = next(li for li in page.select("li.official") if "Cho Chang-rae" in li.get_text())
    text = cho.get_text(" ", strip=True)
    assert "Name as written" in text
    assert "Cho Chang Lae" in text and "CHATNEWSTV" in text


def test_meeting_page_shows_record_sources_and_quotes(bundled_site):
    page = bundled_site.html("meetings/ncg-4.html")
    hrefs = {a["href"] for a in page.find_all("a", href=True)}
    assert "https://www.defense.gov/News/Releases/Release/Article/4026575/joint-press-statement-on-the-fourth-nuclear-consultative-group-meeting/" in hrefs
    quotes = page.select("figure.quote")
    assert any("Cara Abercrombie" in q.figcaption.get_text() and "CHATNEWSTV" in q.figcaption.get_text() for q in quotes)


def test_article_page_summarises_but_does_not_republish_news(bundled_site):
    page = bundled_site.html("articles/2025-12-12-korea-leads-conventional-defense-at-first-ncg.html")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "Korea leads conventional defense at first NCG"
    assert page.find("time")["datetime"] == "2025-12-12T09:16"
    assert "Asiatoday" in text and "Copyright by Asiatoday" in text
    assert "not republished" in text
    # The summary is there; the rest of the body is not.
    assert "South Korea will take the lead in conventional defense" in text
    assert "advanced nuclear deterrence education" not in text
    assert page.find("a", href="../topics/conventional-nuclear-integration.html")


def test_topic_pages_and_index(bundled_site):
    index = bundled_site.html("topics/index.html")
    links = {a["href"] for a in index.select("main a")}
    assert "conventional-nuclear-integration.html" in links
    cni = bundled_site.html("topics/conventional-nuclear-integration.html")
    meeting_links = {a["href"] for a in cni.select("#meetings ~ ol a, section ol a")}
    # Meeting 3's curated outcomes name CNI; meetings 4 and 5 have articles about it.
    assert {"../meetings/ncg-3.html", "../meetings/ncg-4.html", "../meetings/ncg-5.html"} <= meeting_links


def test_every_page_is_accessible_html(bundled_site):
    for page in bundled_site.pages():
        soup = bundled_site.html(page)
        assert soup.html["lang"] == "en", page
        assert len(soup.find_all("h1")) == 1, page
        assert soup.find("main", id="main"), page
        assert soup.find("a", class_="skip-link")["href"] == "#main", page
        assert soup.title.get_text(strip=True), page
        for time in soup.find_all("time"):
            dt.date.fromisoformat(time["datetime"][:10])
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.string)  # structured data, not code
            else:
                # JavaScript only from files (a Content-Security-Policy can then forbid inline code), only for search.
                assert script.get("src") and not script.get_text(strip=True), page
                assert page == "search.html", page
        assert not any(attr.startswith("on") for tag in soup.find_all(True) for attr in tag.attrs), page
        for tag in soup.find_all(src=True):
            assert not urlparse(tag["src"]).scheme, page


def test_every_internal_link_resolves_to_a_file(bundled_site):
    out = bundled_site.out
    for page in bundled_site.pages():
        for tag, href in internal_links(bundled_site, page):
            target, fragment = urldefrag(href)
            path = posixpath.normpath(posixpath.join(posixpath.dirname(page), target)) if target else page
            assert not path.startswith(".."), (page, href)
            assert (out / path).is_file(), (page, href)
            if fragment:
                assert bundled_site.html(path).find(id=fragment), (page, href)


def test_every_page_is_reachable_from_the_timeline(bundled_site):
    seen, todo = set(), ["index.html"]
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        for _, href in internal_links(bundled_site, page):
            target = urldefrag(href)[0]
            if target.endswith(".html"):
                todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(page), target)))
    assert set(bundled_site.pages()) - seen == {"404.html"}


def test_not_found_page(bundled_site):
    page = bundled_site.html("404.html")
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.find("a", href="index.html")


def test_builds_are_byte_identical(seeded, tmp_path):
    seeded.ingest()
    seeded.build()
    first = {p.relative_to(seeded.out): p.read_bytes() for p in seeded.out.rglob("*") if p.is_file()}
    seeded.build()
    second = {p.relative_to(seeded.out): p.read_bytes() for p in seeded.out.rglob("*") if p.is_file()}
    assert first == second


def test_build_changes_nothing_in_content_or_seeds(seeded):
    seeded.ingest()

    def inputs() -> dict:
        return {p: p.read_bytes() for p in seeded.root.rglob("*") if p.is_file() and not {"_site", ".cache"} & set(p.parts) and ".lock" not in p.name}

    before = inputs()
    seeded.build()
    assert inputs() == before


def test_failed_build_leaves_previous_site_untouched(seeded):
    seeded.ingest()
    seeded.build()
    before = {p: p.read_bytes() for p in seeded.out.rglob("*") if p.is_file()}
    seeded.write("content/articles/broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    with pytest.raises(Exception):
        seeded.build()
    assert {p: p.read_bytes() for p in seeded.out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in seeded.root.iterdir() if p.name.startswith("._site")) == ["._site.lock"]


def test_site_with_no_articles_still_shows_the_curated_timeline(project):
    report = build_site(project.config())
    assert report.items == 0 and report.meetings == 6
    soup = project.html("index.html")
    assert len(soup.select("ol.timeline > li")) == 8
    assert "No articles yet" in soup.find(id="ncg-1").get_text()
