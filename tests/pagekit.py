"""Helpers for checking the built site as a whole: its page types and the checking tools in node_modules.

Page types are discovered from the files in the output folder, so a new kind of
page (a search page, say) is checked without anyone adding it to a list.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Where screenshots go; CI keeps this folder. NCG_SCREENSHOTS moves it.
SCREENSHOTS = Path(os.environ.get("NCG_SCREENSHOTS", REPO / "artifacts" / "screenshots"))

# Friendly names for the page types the site has today; any other page gets a
# name from where it lives (see page_type).
KNOWN_TYPES = {
    "index.html": "timeline",
    "404.html": "404",
    "meetings": "meeting",
    "articles": "article",
    "topics": "topic",
    "topics/index.html": "topic index",
    "people": "person",
    "people/index.html": "people index",
    "search.html": "search",
}


def page_type(path: str) -> str:
    """The kind of page at `path` (relative to the site root), e.g. 'meeting' for 'meetings/ncg-5.html'."""
    folder, _, name = path.rpartition("/")
    if folder.startswith("topics/"):
        return "topic articles"  # topics/<slug>/ncg-4.html: a topic's articles from one meeting
    key = path if not folder or name == "index.html" else folder
    if key in KNOWN_TYPES:
        return KNOWN_TYPES[key]
    return folder if folder and name == "index.html" else key.removesuffix(".html")


def html_pages(site: Path) -> list[str]:
    """Every HTML file in the site, relative to its root, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def representatives(site: Path) -> dict[str, str]:
    """One page per type: the largest, since it shows the most of what the type can hold."""
    chosen: dict[str, str] = {}
    for path in html_pages(site):
        kind = page_type(path)
        if kind not in chosen or (site / path).stat().st_size > (site / chosen[kind]).stat().st_size:
            chosen[kind] = path
    return dict(sorted(chosen.items()))


def file_name(kind: str) -> str:
    """A page type as a file-name part: 'topic index' -> 'topic-index'."""
    return "".join(c if c.isalnum() else "-" for c in kind)


def require(path: Path, install: str) -> Path:
    """`path` if it exists; otherwise skip the test, or fail it in CI where every tool must be there."""
    if path.exists():
        return path
    message = f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path} not found: {install}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        message = "java not found: install a Java runtime (apt-get install default-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return java
