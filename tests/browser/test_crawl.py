"""The same built site, unchanged, opened from disk, at a domain root and under a sub-path.

Chromium crawls every page from the index, following every link and loading
every asset the pages name (stylesheets, icon, scripts, feed, exports, the
links in the drawn timeline), and checks that nothing is broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from conftest import served

# Every link and asset reference a page makes, resolved by the browser itself.
REFERENCES = """() => Array.from(document.querySelectorAll("a[href], link[href], script[src], img[src]"))
  .map(el => new URL(el.getAttribute("href") || el.getAttribute("src"), document.baseURI).href)"""
IDS = "() => Array.from(document.querySelectorAll('[id]')).map(el => el.id)"


@dataclass
class Crawl:
    pages: dict[str, set[str]] = field(default_factory=dict)  # page URL -> ids on the page
    problems: list[str] = field(default_factory=list)


def is_page(url: str) -> bool:
    return url.endswith(".html") or url.endswith("/")


def resource_exists(context, url: str) -> bool:
    if url.startswith("file:"):
        return Path(unquote(urlsplit(url).path)).is_file()
    return context.request.get(url).status == 200


def watch(page, origin: str) -> list[str]:
    """What goes wrong on `page`: console and script errors, failed requests, requests to other hosts."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console error on {page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"script error on {page.url}: {e}"))
    # A request cut short because the crawl moved on (the icon, typically) is not a failure;
    # that the file exists is checked separately.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and problems.append(f"failed request: {r.url} ({r.failure})"))

    def check_host(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != origin:
            problems.append(f"request to another host: {request.url}")

    page.on("request", check_host)
    return problems


def crawl(browser, start: str) -> Crawl:
    """Visit every page reachable from `start` under the same base, and check every reference."""
    base = start.rsplit("/", 1)[0] + "/"
    result = Crawl()
    context = browser.new_context()
    page = context.new_page()
    origin = urlsplit(start).netloc
    result.problems = watch(page, origin)
    todo, checked, fragments = [start], set(), []
    while todo:
        url = todo.pop()
        if url in result.pages:
            continue
        response = page.goto(url)
        if response is not None and response.status != 200:
            result.problems.append(f"{url}: HTTP {response.status}")
        result.pages[url] = set(page.evaluate(IDS))
        for reference in page.evaluate(REFERENCES):
            if not reference.startswith(base):
                continue  # another site: not followed (no network here)
            target, fragment = urldefrag(reference)
            if fragment:
                fragments.append((url, target, fragment))
            if is_page(target):
                todo.append(target)
            elif target not in checked:
                checked.add(target)
                if not resource_exists(context, target):
                    result.problems.append(f"{url} names a missing file: {target}")
    for source, target, fragment in fragments:
        if fragment not in result.pages.get(target, set()):
            result.problems.append(f"{source} links to a missing anchor: {target}#{fragment}")
    context.close()
    return result


def expected_pages(site, base: str) -> set[str]:
    return {base + p for p in site.pages() if p != "404.html"}


@pytest.fixture(scope="module")
def root_url(bundled_site):
    with served(bundled_site.out, "/") as url:
        yield url


def test_opened_from_disk_every_link_works(browser, bundled_site):
    base = bundled_site.out.as_uri() + "/"
    result = crawl(browser, base + "index.html")
    assert result.problems == []
    assert set(result.pages) == expected_pages(bundled_site, base)


def test_served_at_a_domain_root_every_link_works(browser, bundled_site, root_url):
    result = crawl(browser, root_url + "index.html")
    assert result.problems == []
    assert set(result.pages) == expected_pages(bundled_site, root_url)


def test_served_under_a_sub_path_every_link_works(browser, bundled_site, site_url):
    assert urlsplit(site_url).path == "/ncg-digest/"
    result = crawl(browser, site_url + "index.html")
    assert result.problems == []
    assert set(result.pages) == expected_pages(bundled_site, site_url)


@pytest.mark.parametrize("where", ["sub_path", "root"])
def test_search_finds_a_meeting_and_its_result_opens(where, browser, site_url, root_url):
    base = site_url if where == "sub_path" else root_url
    context = browser.new_context()
    page = context.new_page()
    problems = watch(page, urlsplit(base).netloc)
    page.goto(base + "search.html")
    search_input = page.get_by_role("searchbox", name="Words to find")
    search_input.wait_for()
    assert page.locator("#search-unavailable").is_hidden()
    search_input.fill("Soofer")
    results = page.locator(".search-result-title a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert "meetings/ncg-5.html" in hrefs
    assert page.locator('.search-result-title a[href="meetings/ncg-5.html"] mark').count() == 0  # "Soofer" is not in the title
    page.locator('.search-result-title a[href="meetings/ncg-5.html"]').click()
    page.wait_for_url(base + "meetings/ncg-5.html")
    assert page.locator("h1").inner_text() == "Fifth NCG meeting"
    assert problems == []
    context.close()


def test_search_opened_from_disk_says_it_cannot_run_and_offers_the_topics(browser, bundled_site):
    context = browser.new_context()
    page = context.new_page()
    errors = watch(page, origin="")
    page.goto((bundled_site.out / "search.html").as_uri())
    notice = page.locator("#search-unavailable")
    assert notice.is_visible()
    assert "opened from disk" in notice.inner_text()
    notice.get_by_role("link", name="browse the topic index").click()
    assert page.url.endswith("/topics/index.html")
    assert page.locator("h1").inner_text() == "Topics"
    assert errors == []
    context.close()


def test_search_page_without_javascript_still_offers_the_topics(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "search.html")
    notice = page.locator("#search-unavailable")
    assert notice.is_visible()
    assert notice.get_by_role("link", name="browse the topic index").get_attribute("href") == "topics/index.html"
    context.close()


def test_every_page_fits_a_360_pixel_screen(browser, bundled_site, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    too_wide = {}
    for path in bundled_site.pages():
        page.goto(site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    context.close()
    assert too_wide == {}


def test_dark_mode_and_print_styles_apply(browser, site_url):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site_url)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        held = page.locator(".mark-held circle").first
        colours[scheme + "-mark"] = held.evaluate("el => getComputedStyle(el).fill")
        if scheme == "light":
            page.emulate_media(media="print")
            assert page.locator(".site-header nav").is_hidden()
        context.close()
    assert colours["light"] != colours["dark"]
    assert colours["light-mark"] != colours["dark-mark"]  # the drawn timeline follows the scheme
