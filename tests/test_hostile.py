"""Hostile content never becomes active markup: sanitised bodies, escaped values, http(s)-only URLs, a CSP.

These read the built HTML with a real parser; tests/browser/test_xss.py opens
the same site in Chromium.
"""

from __future__ import annotations

import json

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from ncg_digest.cli import main
from ncg_digest.render import body_html

from hostile import FOREIGN_HOST, PAYLOADS, SAFE_SCHEMES, hostile_project

CSP = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
# Only the search page runs script: its own script file.
SEARCH_CSP = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

# Elements the templates never produce (the search page's own box aside); a payload that created one got through.
FORBIDDEN_TAGS = ("body script", "iframe", "object", "embed", "style", "base", "form:not(#search > form.search-form)", "input:not(#search-input)", "button:not(#search > button.search-more)", "svg:not(main > .timeline-figure > svg.timeline-svg)", "math", "img", "video", "audio", "source", "details:not(.wordings)", "noscript", "frame", "frameset", "body > link", "applet")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "data", "xlink:href", "poster", "background")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = hostile_project(tmp_path_factory.mktemp("hostile") / "project")
    project.build()
    return project


def all_pages(project) -> list[tuple[str, BeautifulSoup]]:
    return [(page, project.html(page)) for page in project.pages()]


def test_the_hostile_project_builds_every_page(hostile_site):
    pages = hostile_site.pages()
    assert len([p for p in pages if p.startswith("articles/payload-")]) == len(PAYLOADS)
    assert any(p.startswith("articles/") and "payload" not in p for p in pages)  # the ingested seed


def test_no_page_holds_an_element_a_payload_would_create(hostile_site):
    for page, soup in all_pages(hostile_site):
        for selector in FORBIDDEN_TAGS:
            assert soup.select(selector) == [], (page, selector)
        heads = soup.head.find_all(["link", "meta"])
        assert all(tag.get("http-equiv", "").lower() in ("", "content-security-policy") for tag in heads), page
        assert len(soup.select("svg")) <= 1, page


def test_scripts_in_the_head_are_inert_data_or_the_search_script(hostile_site):
    for page, soup in all_pages(hostile_site):
        for script in soup.head.find_all("script"):
            if script.get("type") == "application/ld+json":
                text = script.string
                assert "<" not in text, page  # '</script>' in a value cannot end the block
                json.loads(text)
            else:
                assert page == "search.html" and script.attrs == {"src": "search.js", "defer": ""}, (page, script)


def test_no_element_has_an_event_handler_or_style(hostile_site):
    for page, soup in all_pages(hostile_site):
        for tag in soup.find_all(True):
            bad = [name for name in tag.attrs if name.lower().startswith("on") or name.lower() in ("style", "srcdoc")]
            assert bad == [], (page, tag.name, bad)


def test_every_url_is_relative_or_http_https_mailto(hostile_site):
    for page, soup in all_pages(hostile_site):
        for tag in soup.find_all(True):
            for attribute in URL_ATTRIBUTES:
                value = tag.get(attribute)
                if value is None:
                    continue
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ("",) + SAFE_SCHEMES, (page, tag.name, attribute, value)
                assert FOREIGN_HOST not in value or tag.name == "a", (page, value)


def test_payloads_show_as_text(hostile_site):
    """What a reader sees is the payload's text, characters and all: escaped, not dropped."""
    page = hostile_site.html("articles/payload-1.html")
    assert page.h1.get_text() == "Payload 1: <script>alert('xss-1')</script>"
    assert page.find(id="summary").find_next("p").get_text() == "<script>alert('xss-1')</script>"
    assert page.find("meta", attrs={"name": "description"})["content"] == "<script>alert('xss-1')</script>"
    # Values are data, never templates: the Jinja syntax in a payload arrives as typed.
    assert "{{ 7 * 7 }} {% raw %}xss-40{% endraw %}" in hostile_site.html("articles/payload-40.html").h1.get_text()


def test_every_page_carries_the_content_security_policy(hostile_site):
    for page, soup in all_pages(hostile_site):
        metas = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert [m["content"] for m in metas] == [SEARCH_CSP if page == "search.html" else CSP], page
        assert soup.head.find("meta") is soup.head.find("meta", charset=True)  # charset first, then the policy


# --------------------------------------------------------------------------
# The Markdown body sanitiser on its own


@pytest.mark.parametrize("payload", PAYLOADS)
def test_body_html_removes_every_active_part(payload):
    html = body_html(f"Before.\n\n{payload}\n\nAfter {payload} inline.")
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name in {"p", "a", "em", "strong", "blockquote", "ul", "ol", "li", "code", "pre", "br"}, (tag.name, html)
        assert set(tag.attrs) <= {"href", "rel", "title"}, html
        if tag.name == "a" and tag.get("href"):
            assert urlsplit(tag["href"]).scheme in SAFE_SCHEMES, html
    assert soup.get_text().startswith("Before.")


def test_body_html_keeps_basic_formatting_and_safe_links():
    html = body_html("Some *emphasis*, **strong** and [a link](https://example.org/a?b=c).\n\n> quoted\n\n- one\n- two")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.em.get_text() == "emphasis" and soup.strong.get_text() == "strong"
    assert soup.a["href"] == "https://example.org/a?b=c"
    assert set(soup.a["rel"]) == {"noopener", "noreferrer", "nofollow"}
    assert soup.blockquote and [li.get_text() for li in soup.find_all("li")] == ["one", "two"]


# --------------------------------------------------------------------------
# URL fields


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/file",
        "//xss.invalid/a",
        "https://example.org/\" onmouseover=\"alert(1)",
        "http://exa mple.org/",
        "file:///etc/passwd",
    ],
)
def test_url_fields_accept_only_http_and_https(project, capsys, url):
    project.write("content/articles/a.md", "---\ntitle: A\nurl: " + yaml_quoted(url) + "\n---\nText\n")
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"{project.root / 'content/articles/a.md'}:3: error: 'url' must be an http:// or https:// address, not {url!r}"


def test_source_urls_in_meetings_accept_only_http_and_https(project, capsys):
    meetings = project.root / "content" / "meetings.yml"
    meetings.write_text(meetings.read_text(encoding="utf-8").replace("- https://", "- javascript:alert(1)//", 1), encoding="utf-8")
    assert main(["build", "--root", str(project.root)]) == 1
    assert "must be an http:// or https:// address, not 'javascript:alert(1)//" in capsys.readouterr().err


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_a_body_too_deep_to_render_does_not_spoil_the_next():
    """The Markdown converter is reused between bodies: one that fails half-way is not reused."""
    from ncg_digest.errors import NcgError

    deep = "\n".join("    " * depth + "- item" for depth in range(400))
    try:
        body_html(deep)
    except (RecursionError, NcgError):
        pass
    soup = BeautifulSoup(body_html("Some *emphasis* here.\n\n- one\n- two"), "html.parser")
    assert soup.em.get_text() == "emphasis" and [li.get_text() for li in soup.find_all("li")] == ["one", "two"]
