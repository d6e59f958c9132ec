"""Helpers for tests: a tiny project folder in tmp_path, built and read back with a real HTML parser."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from ncg_digest.build import build_site
from ncg_digest.ingest import ingest
from ncg_digest.read import load_config

REPO = Path(__file__).resolve().parents[1]
BASE_URL = "https://example.org/ncg-digest/"  # where tests pretend the site is hosted
DATA_FILES = ("site.yml", "meetings.yml", "topics.yml", "people.yml", "outlets.yml", "places.yml")


class Project:
    """A project folder with the repository's templates and data files, and helpers to build it."""

    def __init__(self, root: Path):
        self.root = root
        self.out = root / "_site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def host_at(self, base_url: str, title: str | None = None) -> "Project":
        """Set `base_url` (and optionally the title) in this project's site.yml."""
        text = (self.root / "content" / "site.yml").read_text(encoding="utf-8")
        text = text.replace("\nbase_url:\n", f"\nbase_url: {base_url}\n")
        if title:
            text = text.replace("title: NCG Digest", f"title: {title}")
        self.write("content/site.yml", text)
        return self

    def config(self):
        return load_config(self.root)

    def ingest(self):
        return ingest(self.config())

    def build(self):
        return build_site(self.config())

    def html(self, relative: str) -> BeautifulSoup:
        return BeautifulSoup((self.out / relative).read_text(encoding="utf-8"), "html.parser")

    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.out).as_posix() for p in self.out.rglob("*.html"))


def new_project(root: Path, with_seeds: bool = False, with_articles: bool = False) -> Project:
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content" / "articles").mkdir(parents=True)
    for name in DATA_FILES:
        shutil.copy(REPO / "content" / name, root / "content" / name)
    (root / "seeds").mkdir()
    if with_seeds:
        for seed in (REPO / "seeds").iterdir():
            shutil.copy(seed, root / "seeds" / seed.name)
    if with_articles:
        for article in (REPO / "content" / "articles").glob("*.md"):
            shutil.copy(article, root / "content" / "articles" / article.name)
    return Project(root)


# Reports beyond the bundled ones, enough for a topic page to show some of one meeting's articles and link to the rest.
CROWD = 14


def crowd_article(n: int, meeting: int = 4) -> str:
    return f"""---
title: Report number {n} on the allies' nuclear guidelines
outlet: Outlet {n % 5}
published: 2025-01-{11 + n % 15:02d}
meeting: {meeting}
topics: [guidelines, information-sharing]
summary: Report {n} says the allies reviewed the guidelines.
republish: false
---

The allies reviewed the guidelines for nuclear deterrence at the meeting, report {n} says.
"""
