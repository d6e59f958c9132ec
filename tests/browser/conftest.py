"""Browser fixtures: Debian's Chromium driven by Playwright, the site served on 127.0.0.1 under a sub-path.

Tests marked ``browser`` skip with a reason when no Chromium is found, except in
CI (``CI`` set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from ncg_digest.serve import serve_in_background, url_of
from pagekit import html_pages

SUB_PATH = "/ncg-digest/"
# Chromium as root in a container, and no calls home (this machine has no network).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run must install the 'chromium' package")
        pytest.skip("Chromium not found: apt-get install chromium (or set CHROMIUM=/path/to/chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@contextmanager
def served(folder: Path, sub_path: str = SUB_PATH) -> Iterator[str]:
    """`folder` served on 127.0.0.1 (a free port) under `sub_path`, while in use; its address."""
    server, _ = serve_in_background(folder, sub_path)
    try:
        yield url_of(server, sub_path)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(bundled_site):
    """The bundled site served on 127.0.0.1 (a free port) under /ncg-digest/."""
    with served(bundled_site.out) as url:
        yield url


@dataclass
class Watched:
    """A page, and what went wrong while it was used: console errors, failed or foreign requests."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.console_errors + self.failed + self.foreign


def watch(page, site_url: str) -> Watched:
    """Start recording what goes wrong on `page`: console errors, failed requests, requests to other hosts."""
    watched = Watched(page)
    local = urlsplit(site_url).netloc
    page.on("console", lambda m: m.type == "error" and watched.console_errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: watched.console_errors.append(f"page error: {e}"))
    # A request the browser itself cancels because the reader navigated away is not a site fault.
    page.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED" and watched.failed.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: r.status >= 400 and watched.failed.append(f"HTTP {r.status}: {r.url}"))

    def check_host(request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != local:
            watched.foreign.append(f"request to another host: {request.url}")

    def check_status(response):
        # The page itself may be the 404 page; what it loads must not fail.
        if response.status >= 400 and response.request.resource_type != "document":
            watched.failed.append(f"failed: {response.status} {response.url}")

    page.on("request", check_host)
    page.on("response", check_status)
    return watched


@pytest.fixture
def watched(browser, site_url):
    context = browser.new_context()
    yield watch(context.new_page(), site_url)
    context.close()


@pytest.fixture
def watched_pages(browser, site_url):
    """Opens watched pages on demand, each in a fresh context (so a colour scheme or viewport can be set)."""
    contexts = []

    def open_page(**context_options) -> Watched:
        contexts.append(browser.new_context(**context_options))
        return watch(contexts[-1].new_page(), site_url)

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def site_pages(bundled_site) -> list[str]:
    """Every HTML page of the bundled site, relative to its root."""
    return html_pages(bundled_site.out)
