"""`ncg-digest serve` as a writer uses it: edit a file, watch the open page update; break it, see why."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import pytest

from sitekit import Project

PREFIX = "/ncg-digest/"
WAIT_MS = 60_000  # a rebuild on a busy machine can take a while


class Served:
    """A `ncg-digest serve` process and what it printed."""

    def __init__(self, project: Project):
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ncg_digest", "serve", "--root", str(project.root), "--port", "0", "--prefix", PREFIX],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=lambda s=stream, l=lines: l.extend(iter(s.readline, "")), daemon=True)
            for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))
        ]
        for reader in self.readers:
            reader.start()
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for line in self.out:
                match = re.search(r" at (http://127\.0\.0\.1:\d+/\S*) ", line)
                if match:
                    return match.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"serve did not start: {self.out} {self.err}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        for reader in self.readers:
            reader.join(timeout=10)  # both pipes end with the process
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def served(seeded):
    seeded.ingest()
    server = Served(seeded)
    yield server
    server.stop()


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edit_reloads_the_open_page_and_a_broken_template_shows_its_error(browser, served):
    from playwright.sync_api import expect

    project = served.project
    page = browser.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    page.goto(served.url + "meetings/ncg-5.html")
    expect(page.locator("h1")).to_have_text("Fifth NCG meeting")

    # The server adds one external script to the pages it serves; the built files have none (JSON-LD is data).
    assert "<script src=" not in (project.out / "meetings/ncg-5.html").read_text(encoding="utf-8")
    assert page.locator("script[src]").count() == 1
    assert page.locator("script[src]").get_attribute("src") == PREFIX + "__ncg-digest/live.js"

    article = next((project.root / "content/articles").glob("2025-12-12-*.md"))
    edit(article, "title: Korea leads conventional defense at first NCG", "title: Korea to lead conventional defence")
    expect(page.get_by_role("link", name="Korea to lead conventional defence")).to_be_visible(timeout=WAIT_MS)

    template = project.root / "templates/meeting.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("{% block main %}", "{% block main %}{{ m.no_such_field }}", 1), encoding="utf-8")
    alert = page.locator("#ncg-digest-build-error")
    expect(alert).to_contain_text("no_such_field", timeout=WAIT_MS)
    expect(alert).to_contain_text("meeting.html")
    expect(page.locator("h1")).to_have_text("Fifth NCG meeting")  # the last good page stays

    template.write_text(good, encoding="utf-8")
    expect(alert).to_have_count(0, timeout=WAIT_MS)
    expect(page.get_by_role("link", name="Korea to lead conventional defence")).to_be_visible()
    assert served.process.poll() is None  # the server kept running throughout
    assert console == []
    assert any("no_such_field" in line and "meeting.html" in line for line in served.err)


def test_a_new_seed_is_ingested_and_appears(browser, served):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(served.url)
    text = (
        "SEOUL, Dec. 20 (Yonhap) -- South Korea and the United States held the fourth meeting of the "
        "Nuclear Consultative Group in Washington, D.C. on Thursday, officials said.\n\n"
        "The two sides discussed conventional-nuclear integration and tabletop exercises.\n"
    )
    (served.project.root / "seeds/099_new.txt").write_text(text, encoding="utf-8")
    expect(page.locator("#ncg-4")).to_contain_text("2 articles", timeout=WAIT_MS)
    assert any("ingested seeds/099_new.txt" in line or "099_new.txt" in line for line in served.out)
