"""A crowded topic page and its listing of one meeting's articles, in Chromium: clean, accessible, fit a phone."""

from __future__ import annotations

import pytest

from conftest import served, watch
from pagekit import AXE, SCREENSHOTS, require
from test_pages import RUN_AXE, SCHEMES, WCAG_TAGS

PAGES = ["topics/guidelines.html", "topics/guidelines/ncg-4.html"]


@pytest.fixture(scope="module")
def crowded_url(crowded_site):
    with served(crowded_site.out) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_pages_load_cleanly_and_pass_axe(browser, crowded_url, scheme):
    axe = require(AXE, "run `npm ci` in the repository to install axe-core")
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    watched = watch(context.new_page(), crowded_url)
    problems = []
    try:
        for path in PAGES:
            response = watched.page.goto(crowded_url + path)
            assert response is not None and response.ok, path
            watched.page.wait_for_load_state("networkidle")
            watched.page.add_script_tag(path=str(axe))
            problems += [f"{path} ({scheme}): {v}" for v in watched.page.evaluate(RUN_AXE, WCAG_TAGS)]
    finally:
        context.close()
    assert watched.problems == [] and problems == []


def test_the_listing_fits_a_phone(browser, crowded_url):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        for path, name in zip(PAGES, ["topic-crowded", "topic-articles"]):
            page.goto(crowded_url + path)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-360x740.png"), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0, path
            # The link to the whole list is there to follow, and it leads to every article.
            if path == PAGES[0]:
                page.click("text=All 14 articles on Nuclear guidelines")
                assert page.url.endswith("topics/guidelines/ncg-4.html")
                assert page.locator("article.card").count() == 14
    finally:
        context.close()
