"""The search page in Chromium: what a reader types, and what comes back.

A small project with known words is built, with its index cut into many
small files, and served under a sub-path; the bundled site is searched for a
word in the middle of a word.
"""

from __future__ import annotations

import json
import re
from unittest.mock import patch

import pytest

from ncg_digest import search as search_index

from pagekit import AXE, require
from sitekit import new_project

from conftest import served, watch

ARTICLES = {
    "2025-01-01-alpha": ("Alpha report", "Extended deterrence talks in Sŏul and a café."),
    "2025-01-02-beta": ("Beta report", "Extended deterrence exercises."),
    "2025-01-03-gamma": ("Gamma report", "Talks about exercises."),
    "2025-01-04-kaesong-title": ("Kaesong in the title", "Nothing else of note."),
    "2025-01-05-kaesong-text": ("Delta report", "A note on Kaesong, and Kaesong again."),
}
FILLERS = 25  # more than one screen of results


@pytest.fixture(scope="module")
def search_url(tmp_path_factory):
    project = new_project(tmp_path_factory.mktemp("search") / "project")
    for slug, (title, summary) in ARTICLES.items():
        project.write(f"content/articles/{slug}.md", f"---\ntitle: {title}\nsummary: {summary}\n---\nText.\n")
    for n in range(FILLERS):
        project.write(f"content/articles/2025-02-{n + 1:02d}-filler.md", f"---\ntitle: Filler {n}\noutlet: Yonhap\npublished: 2025-02-{n + 1:02d}\nsummary: Pyeongtaek garrison note {n}.\n---\nText.\n")
    # Small shards and chunks, so a search reads its words and its results from several files each.
    with patch.object(search_index, "SHARD_BYTES", 300), patch.object(search_index, "CHUNK", 4):
        project.build()
    manifest = json.loads((project.out / "search" / "index.json").read_text(encoding="utf-8"))
    assert len(manifest["shards"]) > 10 and len(manifest["chunks"]) > 5
    with served(project.out, "/sub/") as url:
        yield url + "search.html"


@pytest.fixture
def searching(browser, search_url):
    context = browser.new_context()
    page = context.new_page()
    problems = watch(page, search_url)
    page.goto(search_url)
    yield page
    assert problems.problems == []
    context.close()


def search(page, query: str) -> list[str]:
    """Type `query`; the result links' addresses once the count is shown."""
    page.get_by_role("searchbox", name="Words to find").fill(query)
    page.wait_for_function("q => document.querySelector('.search-status').textContent.includes(q)", arg=query.strip())
    return page.locator(".search-result-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def articles(hrefs: list[str]) -> list[str]:
    """The article pages among results (the project's meetings and topics come from the bundled data)."""
    return [h for h in hrefs if h.startswith("articles/")]


def test_every_word_must_be_found(searching):
    assert search(searching, "deterrence talks") == ["articles/2025-01-01-alpha.html"]
    assert searching.locator(".search-status").inner_text() == "1 result for “deterrence talks”"
    assert set(articles(search(searching, "exercises"))) == {"articles/2025-01-02-beta.html", "articles/2025-01-03-gamma.html"}


def test_a_word_finds_the_words_it_begins_and_marks_them(searching):
    assert set(articles(search(searching, "deter"))) == {"articles/2025-01-01-alpha.html", "articles/2025-01-02-beta.html"}
    marks = searching.locator(".search-result mark").all_inner_texts()
    assert marks and {m.lower() for m in marks} <= {"deterrence", "deter", "deterring", "deterred"}


def test_case_and_accents_do_not_matter(searching):
    assert search(searching, "SOUL") == ["articles/2025-01-01-alpha.html"]
    assert searching.locator(".search-excerpt mark").inner_text() == "Sŏul"
    assert search(searching, "Cafe") == ["articles/2025-01-01-alpha.html"]
    assert search(searching, "sŏul") == ["articles/2025-01-01-alpha.html"]


def test_a_title_match_ranks_first(searching):
    assert search(searching, "kaesong")[:2] == ["articles/2025-01-04-kaesong-title.html", "articles/2025-01-05-kaesong-text.html"]


def test_no_result_says_so(searching):
    assert search(searching, "zzyzx") == []
    assert searching.locator(".search-status").inner_text().startswith("No results for “zzyzx”")
    assert searching.locator(".search-more").is_hidden()


def test_twenty_results_then_show_more(searching):
    shown = search(searching, "pyeongtaek")
    assert searching.locator(".search-status").inner_text() == f"{FILLERS} results for “pyeongtaek”"
    assert len(shown) == 20
    more = searching.get_by_role("button", name="Show more results")
    more.click()
    searching.wait_for_function(f"() => document.querySelectorAll('.search-result').length === {FILLERS}")
    assert more.is_hidden()
    focused = searching.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == searching.locator(".search-result-title a").nth(20).get_attribute("href")
    metas = searching.locator(".search-result .meta").all_inner_texts()
    assert all(re.fullmatch(r"Article · \d{1,2} February 2025 · Yonhap", m) for m in metas), metas


def test_a_result_opens_its_page_under_the_sub_path(searching, search_url):
    search(searching, "gamma")
    searching.locator(".search-result-title a").first.click()
    searching.wait_for_url(search_url.replace("search.html", "articles/2025-01-03-gamma.html"))
    assert searching.locator("h1").inner_text() == "Gamma report"


def test_the_address_can_carry_the_query(searching, search_url):
    searching.goto(search_url + "?q=beta")
    searching.wait_for_selector(".search-result")
    assert searching.locator(".search-result-title a").get_attribute("href") == "articles/2025-01-02-beta.html"
    assert searching.get_by_role("searchbox").input_value() == "beta"


def test_the_bundled_site_finds_the_middle_of_a_word_typed(watched, site_url):
    page = watched.page
    page.goto(site_url + "search.html")
    hrefs = search(page, "nucl")
    assert "meetings/ncg-5.html" in hrefs
    assert all(m.lower().startswith("nucl") for m in page.locator(".search-result mark").all_inner_texts())
    assert watched.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violation_with_results_shown(browser, search_url, scheme):
    axe = require(AXE, "run `npm ci` in the repository to install axe-core")
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)  # the policy forbids the injected axe-core
    page = context.new_page()
    page.goto(search_url + "?q=pyeongtaek")
    page.wait_for_selector(".search-more:not([hidden])")
    page.locator(".search-result mark").first.wait_for()
    page.add_script_tag(path=str(axe))
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
    found = page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]}))
            .violations.map(v => `${v.id}: ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)""",
        tags,
    )
    context.close()
    assert found == []


def test_fits_a_360_pixel_screen_with_results(browser, search_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(search_url + "?q=deterrence")
    page.wait_for_selector(".search-result")
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    context.close()


def test_an_index_of_another_layout_is_not_read(browser, tmp_path):
    """A site whose search/ was made by another version of the program: the page says search is unavailable."""
    project = new_project(tmp_path / "project")
    project.write("content/articles/2025-01-01-alpha.md", "---\ntitle: Alpha report\n---\nText.\n")
    project.build()
    manifest_path = project.out / "search" / "index.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "format": search_index.FORMAT - 1}), encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    with served(project.out, "/sub/") as url:
        page.goto(url + "search.html?q=alpha")
        notice = page.locator("#search-unavailable")
        notice.wait_for()
        assert "could not be loaded" in notice.inner_text()
        assert page.locator(".search-result").count() == 0
    context.close()
