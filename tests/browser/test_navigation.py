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


def test_from_an_article_to_one_of_its_topics_and_back(watched, site_url):
    page = watched.page
    article = site_url + "articles/2025-12-12-korea-leads-conventional-defense-at-first-ncg.html"
    page.goto(article)
    topics = page.locator("section[aria-labelledby=topics]")
    topics.get_by_role("link", name="Secure communications").click()
    assert page.url == site_url + "topics/secure-communications.html"
    assert page.locator("h1").inner_text() == "Secure communications"
    page.get_by_role("link", name="Korea leads conventional defense at first NCG").click()
    assert page.url == article
    assert watched.problems == []


def test_unknown_path_gets_the_404_page(site_url):
    try:
        urllib.request.urlopen(site_url + "no/such/page.html")
    except urllib.error.HTTPError as error:
        assert error.code == 404
        assert b"Page not found" in error.read()
    else:
        raise AssertionError("expected a 404")


def test_404_page_at_a_deep_unknown_path_is_styled_and_its_links_work(watched, site_url):
    page = watched.page
    unknown = site_url + "meetings/ncg-99.html"
    response = page.goto(unknown)
    page.wait_for_load_state("networkidle")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet loaded: the skip link is moved off screen until focused.
    assert page.locator(".skip-link").evaluate("el => getComputedStyle(el).position") == "absolute"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.url == unknown + "#main"
    page.get_by_role("link", name="Go to the timeline of NCG meetings").click()
    assert page.url == site_url + "index.html"
    # Chromium reports the 404 of the page itself on the console; nothing else may fail.
    assert watched.console_errors == ["console: Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert watched.failed == [f"HTTP 404: {unknown}"] and watched.foreign == []
