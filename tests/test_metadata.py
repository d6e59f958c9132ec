"""What pages tell search engines and link previews, and the files hosts and crawlers read."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET


from sitekit import BASE_URL as BASE

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ARTICLE = "articles/2025-12-12-korea-leads-conventional-defense-at-first-ncg.html"


def json_ld(project, page: str) -> dict:
    scripts = project.html(page).find_all("script", type="application/ld+json")
    assert len(scripts) == 1, page
    return json.loads(scripts[0].string)


def og(project, page: str) -> dict[str, str]:
    return {m["property"]: m["content"] for m in project.html(page).find_all("meta", property=True)}


def test_article_page_is_a_news_article(bundled_site):
    data = json_ld(bundled_site, ARTICLE)
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Korea leads conventional defense at first NCG"
    assert data["datePublished"] == "2025-12-12T09:16:00"
    assert data["publisher"] == {"@type": "Organization", "name": "Asiatoday"}
    assert data["about"]["@type"] == "Event" and data["about"]["startDate"] == "2025-12-11"
    assert "url" not in data  # no base URL: no absolute address
    assert og(bundled_site, ARTICLE)["og:type"] == "article"


def test_meeting_pages_are_events_and_the_planned_one_says_so(bundled_site):
    fifth = json_ld(bundled_site, "meetings/ncg-5.html")
    assert fifth["@type"] == "Event"
    assert fifth["startDate"] == "2025-12-11"
    assert fifth["location"]["name"] == "Washington, D.C."
    assert {p["name"] for p in fifth["performer"]} == {"Robert Soofer", "Kim Hong-cheol"}
    assert "eventStatus" not in fifth
    sixth = json_ld(bundled_site, "meetings/ncg-6.html")
    assert sixth["eventStatus"] == "https://schema.org/EventScheduled"
    assert (sixth["startDate"], sixth["endDate"]) == ("2026-01", "2026-06")


def test_timeline_is_an_item_list_in_order(bundled_site):
    data = json_ld(bundled_site, "index.html")
    assert data["@type"] == "ItemList"
    items = data["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, 9))
    assert items[0]["item"]["name"] == "Washington Declaration"
    assert items[-1]["item"]["eventStatus"] == "https://schema.org/EventScheduled"


def test_without_a_base_url_absolute_parts_are_left_out(bundled_site):
    assert not (bundled_site.out / "sitemap.xml").exists()
    assert "Sitemap:" not in (bundled_site.out / "robots.txt").read_text()
    for page in bundled_site.pages():
        soup = bundled_site.html(page)
        assert soup.find("link", rel="canonical") is None, page
        assert "og:url" not in og(bundled_site, page), page
        assert "https://example.org" not in str(soup)
        tags = og(bundled_site, page)
        assert tags["og:title"] == soup.title.get_text(), page
        assert tags["og:site_name"] == "NCG Digest"


def test_with_a_base_url_pages_have_canonical_and_og_urls(hosted_site):
    for page, expected in (("index.html", BASE), (ARTICLE, BASE + ARTICLE), ("topics/index.html", BASE + "topics/")):
        soup = hosted_site.html(page)
        assert soup.find("link", rel="canonical")["href"] == expected
        assert og(hosted_site, page)["og:url"] == expected
    assert json_ld(hosted_site, "meetings/ncg-5.html")["url"] == BASE + "meetings/ncg-5.html"
    assert hosted_site.html("404.html").find("link", rel="canonical") is None


def test_sitemap_lists_every_content_page_once(hosted_site):
    root = ET.fromstring((hosted_site.out / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locs = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert len(locs) == len(set(locs))
    expected = {BASE if p == "index.html" else BASE + p.removesuffix("index.html") for p in hosted_site.pages()} - {BASE + "404.html", BASE + "search.html"}
    assert set(locs) == expected
    assert (hosted_site.out / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"


def test_host_files(bundled_site):
    assert (bundled_site.out / ".nojekyll").is_file()
    robots = (bundled_site.out / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in robots
    assert (bundled_site.out / "favicon.svg").is_file()
    for page in bundled_site.pages():
        icon = bundled_site.html(page).find("link", rel="icon")
        assert icon["href"].endswith("favicon.svg") and icon["type"] == "image/svg+xml", page
