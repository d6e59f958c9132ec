"""XSS payloads in every field, in bodies and in an ingested seed, opened in Chromium: nothing runs.

Each page of the hostile site is loaded twice: as readers get it, and with the
Content-Security-Policy bypassed, so that escaping and sanitising are shown
to hold on their own and the policy is a second wall, not the only one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from ncg_digest.serve import serve_in_background, url_of

from conftest import served

from hostile import PAYLOADS, hostile_project

SUB_PATH = "/hostile/"

# Run in the page after it loads: anything a payload would have left behind.
# The site's own scripts are data blocks (JSON-LD) and, on the search page, its
# script file, in <head>; a payload only ever reaches <body>. The drawn
# timeline is the site's one inline SVG, the search box its one form.
PAGE_STATE = """() => ({
    scripts: [...document.scripts].filter(s => !(s.parentElement === document.head
        && (s.type === 'application/ld+json' || /\\/search\\.js$/.test(s.src)))).length,
    handlers: [...document.querySelectorAll('*')].flatMap(
        e => [...e.attributes].filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name)),
    unsafeLinks: [...document.querySelectorAll('a[href], area[href]')]
        .map(a => new URL(a.getAttribute('href'), document.baseURI).protocol).filter(p => !['http:', 'https:', 'mailto:'].includes(p)),
    embedded: [...document.querySelectorAll('iframe, frame, object, embed, img, svg, math, video, audio, form, base')]
        .filter(e => !e.matches('main > .timeline-figure > svg.timeline-svg, #search > form.search-form')).length,
    marker: typeof window.__xss,
})"""


@dataclass
class Visit:
    """What happened in the browser while pages were open."""

    dialogs: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_context(browser, local: str, bypass_csp: bool):
    context = browser.new_context(bypass_csp=bypass_csp)
    visit = Visit()

    def route(r):
        if urlsplit(r.request.url).netloc == local or urlsplit(r.request.url).scheme in ("data", "about"):
            r.continue_()
        else:
            visit.foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (visit.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and visit.errors.append(m.text))
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    return context, page, visit


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = hostile_project(tmp_path_factory.mktemp("hostile-browser") / "project")
    project.build()
    with served(project.out, SUB_PATH) as url:
        yield project, url


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["as-served", "csp-bypassed"])
def test_no_payload_runs_on_any_page(browser, hostile_site, bypass_csp):
    project, base = hostile_site
    pages = project.pages()
    assert len(pages) > len(PAYLOADS)
    context, page, visit = open_context(browser, urlsplit(base).netloc, bypass_csp)
    try:
        for path in pages:
            page.goto(base + path, wait_until="load")
            page.wait_for_timeout(30)  # autofocus, ontoggle and SVG animations fire just after load
            page.mouse.move(200, 200)
            page.keyboard.press("Tab")
            state = page.evaluate(PAGE_STATE)
            assert state == {"scripts": 0, "handlers": [], "unsafeLinks": [], "embedded": 0, "marker": "undefined"}, path
    finally:
        context.close()
    assert visit.dialogs == []
    assert visit.foreign == []
    assert visit.errors == []


def test_search_results_show_payloads_as_text(browser, hostile_site):
    """Results show the pages' titles and text: a payload found by a search stays text."""
    project, base = hostile_site
    context, page, visit = open_context(browser, urlsplit(base).netloc, False)
    try:
        page.goto(base + "search.html")
        seen = set()
        for query in ("alert", "onerror", "script", "javascript"):
            page.fill("#search-input", query)
            page.wait_for_selector(".search-result-title a")
            while page.locator(".search-more").is_visible():
                page.click(".search-more")
            page.wait_for_timeout(300)
            state = page.evaluate(PAGE_STATE)
            assert state == {"scripts": 0, "handlers": [], "unsafeLinks": [], "embedded": 0, "marker": "undefined"}, query
            titles = page.locator(".search-result-title a").all_inner_texts()
            assert titles, query
            assert page.locator(".search-result mark").count(), query
            seen.update(titles)
        assert "Payload 3: <img src=x onerror=\"alert('xss-3')\">" in seen
    finally:
        context.close()
    assert visit.dialogs == [] and visit.foreign == [] and visit.errors == []


def test_the_payload_text_is_what_readers_see(browser, hostile_site):
    project, base = hostile_site
    context, page, visit = open_context(browser, urlsplit(base).netloc, False)
    try:
        page.goto(base + "articles/payload-3.html")
        assert page.locator("h1").inner_text() == "Payload 3: <img src=x onerror=\"alert('xss-3')\">"
        assert page.title().startswith("Payload 3: <img src=x")
    finally:
        context.close()
    assert visit.dialogs == [] and visit.foreign == []


def test_the_policy_alone_stops_injected_script(browser, hostile_site, tmp_path):
    """Were a script to reach a page, the Content-Security-Policy would still stop it."""
    project, _ = hostile_site
    site = tmp_path / "site"
    shutil.copytree(project.out, site)
    index = site / "index.html"
    injected = (
        "<script>alert('inline-script')</script>"
        "<img src=x onerror=\"alert('inline-handler')\">"
        "<img src=\"http://xss.invalid/tracker.png\">"
        "<a id=js href=\"javascript:alert('javascript-url')\">js</a>"
    )
    index.write_text(index.read_text(encoding="utf-8").replace("</main>", injected + "</main>"), encoding="utf-8")
    server, _ = serve_in_background(site, "/")
    context, page, visit = open_context(browser, "%s:%s" % server.server_address[:2], False)
    try:
        page.goto(url_of(server) + "index.html", wait_until="load")
        page.click("#js")
        page.wait_for_timeout(50)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert visit.dialogs == []
    assert visit.foreign == []
    assert any("Content Security Policy" in e for e in visit.errors), visit.errors


def test_the_policy_keeps_the_site_working_from_disk(browser, bundled_site):
    """Opened straight from disk, the stylesheet and icon still load under the policy."""
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto((bundled_site.out / "meetings" / "ncg-5.html").as_uri(), wait_until="load")
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        margin = page.evaluate("getComputedStyle(document.body).margin")
    finally:
        context.close()
    assert font.startswith("system-ui")
    assert margin == "0px"
    assert errors == []
