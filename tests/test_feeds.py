"""The Atom feed, read back with feedparser and checked against RFC 4287's required elements."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

from sitekit import BASE_URL as BASE, new_project

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(project, url: str = BASE + "feed.xml"):
    return feedparser.parse((project.out / "feed.xml").read_bytes(), response_headers={"content-location": url, "content-type": "application/atom+xml"})


def test_feed_is_well_formed_atom_with_every_required_element(bundled_site):
    feed = parse(bundled_site)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    root = ET.fromstring((bundled_site.out / "feed.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{required}").text, required
        # RFC 4287 4.1.1.1: an entry without an alternate link must have content; these have both.
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert entry.find(f"{ATOM}content").text
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("urn:uuid:") for i in ids)


def test_feed_lists_meetings_and_articles_newest_first(bundled_site):
    feed = parse(bundled_site)
    titles = [e.title for e in feed.entries]
    assert "Fifth NCG meeting" in titles and "Sixth NCG meeting (planned)" in titles
    assert "Korea leads conventional defense at first NCG" in titles
    # Two of the three articles state no date; they take the date of the meeting they report.
    assert len([e for e in feed.entries if "article" in [t.term for t in e.tags]]) == 3
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_dates_come_from_the_content_not_the_clock(bundled_site):
    feed = parse(bundled_site)
    # The latest dated content is the Asiatoday report of 12 December 2025.
    assert feed.feed.updated == "2025-12-12T00:00:00Z"
    fifth = next(e for e in feed.entries if e.title == "Fifth NCG meeting")
    assert fifth.published == "2025-12-11T00:00:00Z"
    assert fifth.updated == "2025-12-12T00:00:00Z"  # the day its latest report appeared
    fourth_report = next(e for e in feed.entries if e.title.startswith("The United States and South Korea held the fourth"))
    assert fourth_report.updated == "2025-01-10T00:00:00Z"
    assert "published" not in fourth_report


def test_with_a_base_url_every_link_is_absolute(hosted_site):
    feed = parse(hosted_site)
    assert not feed.bozo
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"alternate": BASE, "self": BASE + "feed.xml"}
    fifth = next(e for e in feed.entries if e.title == "Fifth NCG meeting")
    assert fifth.link == BASE + "meetings/ncg-5.html"
    raw = (hosted_site.out / "feed.xml").read_text(encoding="utf-8")
    hrefs = [el.get("href") for el in ET.fromstring(raw).iter(f"{ATOM}link")]
    assert all(h.startswith(BASE) for h in hrefs)


def test_without_a_base_url_links_resolve_against_the_feed_address(bundled_site):
    # Wherever the site is hosted, the feed sits at its root; a reader resolves entry links from there.
    feed = parse(bundled_site, "https://somewhere.example/sub/feed.xml")
    assert not any(link.rel == "self" for link in feed.feed.links)
    fifth = next(e for e in feed.entries if e.title == "Fifth NCG meeting")
    assert fifth.link == "https://somewhere.example/sub/meetings/ncg-5.html"
    for entry in feed.entries:
        assert entry.content[0].type == "text/plain"  # no HTML that could carry a relative link


def test_ids_survive_rebuilds_a_new_title_and_a_new_host(tmp_path, bundled_site):
    moved = new_project(tmp_path / "moved", with_articles=True)
    moved.host_at("https://other.example/", title="Another title").build()
    ids = lambda p: {e.title: e.id for e in parse(p).entries}  # noqa: E731
    assert ids(moved) == ids(bundled_site)


def test_every_page_links_to_the_feed(bundled_site):
    for page in bundled_site.pages():
        link = bundled_site.html(page).find("link", rel="alternate", type="application/atom+xml")
        assert link, page
        depth = page.count("/")
        assert link["href"] == "../" * depth + "feed.xml", page


def test_a_large_site_feeds_only_its_newest_entries(tmp_path):
    """Readers poll a feed often: it carries the newest FEED_LIMIT entries, the pages keep the archive."""
    from datetime import date, timedelta

    from ncg_digest.feeds import FEED_LIMIT

    project = new_project(tmp_path)
    first = date(2024, 1, 1)
    for n in range(FEED_LIMIT + 20):
        day = first + timedelta(days=n)
        project.write(
            f"content/articles/report-{n:03d}.md",
            f"---\ntitle: Report {n:03d}\noutlet: Example News\npublished: {day.isoformat()}\n---\nThe allies talked.\n",
        )
    project.build()
    feed = parse(project)
    assert not feed.bozo
    assert len(feed.entries) == FEED_LIMIT == 100
    titles = [e.title for e in feed.entries]
    newest = [f"Report {n:03d}" for n in range(FEED_LIMIT + 19, -1, -1)]
    # Meetings are entries too: the ones updated after the oldest kept report are in the feed.
    assert [t for t in titles if t.startswith("Report")] == newest[: len([t for t in titles if t.startswith("Report")])]
    assert "Report 119" in titles and "Report 000" not in titles
    assert len(project.pages()) > FEED_LIMIT + 20  # every report still has its page
