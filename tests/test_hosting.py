"""Hosting: the GitHub Pages workflow, and the weight of each page."""

from __future__ import annotations

import posixpath

import yaml

from sitekit import REPO

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
PAGE_BUDGET = 60 * 1024  # bytes of HTML and CSS per page


def readme_build_command() -> str:
    first_block = (REPO / "README.md").read_text(encoding="utf-8").split("```")[1]
    return next(line.split("#")[0].strip() for line in first_block.splitlines() if line.startswith("make site"))


def test_pages_workflow_builds_with_the_readme_command_and_deploys_with_the_official_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    steps = jobs["build"]["steps"]
    assert [s["run"] for s in steps if "run" in s] == [readme_build_command()]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_site"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    # PyYAML reads the key `on` as True (YAML 1.1); either way it must say when to run.
    triggers = workflow.get("on", workflow.get(True))
    assert "push" in triggers and "workflow_dispatch" in triggers


def test_every_page_with_its_stylesheets_is_under_60_kb(bundled_site):
    weights = {}
    for page in bundled_site.pages():
        total = (bundled_site.out / page).stat().st_size
        for link in bundled_site.html(page).find_all("link", rel="stylesheet"):
            css = posixpath.normpath(posixpath.join(posixpath.dirname(page), link["href"]))
            total += (bundled_site.out / css).stat().st_size
        weights[page] = total
    heavy = {page: size for page, size in weights.items() if size >= PAGE_BUDGET}
    assert not heavy, heavy


def test_with_a_base_url_the_404_page_links_absolutely_so_it_works_at_any_depth(hosted_site, bundled_site):
    from sitekit import BASE_URL

    links = [a["href"] for a in hosted_site.html("404.html").select("main a")]
    assert links == [BASE_URL, BASE_URL + "topics/"]
    stylesheet = hosted_site.html("404.html").find("link", rel="stylesheet")["href"]
    assert stylesheet == BASE_URL + "style.css"
    # Without one, links stay relative (the preview server gives the page a <base>).
    assert [a["href"] for a in bundled_site.html("404.html").select("main a")] == ["index.html", "topics/index.html"]
