"""A reader clicking through the site in Chromium, served under a sub-path."""

from __future__ import annotations

import urllib.error
import urllib.request


def test_timeline_to_meeting_to_article_and_back(watched, site_url):
    page = watched.page
    page.goto(site_url)
    assert page.title() == "NCG Digest"
    page.get_by_role("link", name="Fifth NCG meeting", exact=True).click()
    assert page.url == site_url + "meetings/ncg-5.html"
    assert page.locator("h1").inner_text() == "Fifth NCG meeting"
    page.get_by_role("link", name="Korea leads conventional defense at first NCG").click()
    assert page.url.endswith("/articles/2025-12-12-korea-leads-conventional-defense-at-first-ncg.html")
    page.get_by_role("link", name="Fifth NCG meeting").click()
    assert page.url == site_url + "meetings/ncg-5.html"
    page.get_by_role("link", name="Conventional-nuclear integration").first.click()
    assert page.url == site_url + "topics/conventional-nuclear-integration.html"
    assert watched.problems == []


def test_unknown_path_gets_the_404_page(site_url):
    try:
        urllib.request.urlopen(site_url + "no/such/page.html")
    except urllib.error.HTTPError as error:
        assert error.code == 404
        assert b"Page not found" in error.read()
    else:
        raise AssertionError("expected a 404")
