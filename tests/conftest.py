"""Shared fixtures: tiny projects in tmp_path, and the bundled site built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit import BASE_URL, CROWD, Project, crowd_article, new_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project: templates and data files, no seeds, no articles."""
    return new_project(tmp_path / "project")


@pytest.fixture
def seeded(tmp_path: Path) -> Project:
    """A project holding the three seed articles, not yet ingested."""
    return new_project(tmp_path / "project", with_seeds=True)


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's own seeds and content, built once per test session."""
    p = new_project(tmp_path_factory.mktemp("bundled") / "project", with_seeds=True, with_articles=True)
    p.build()
    return p


@pytest.fixture(scope="session")
def hosted_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's content with a base URL set, as a site whose address is known."""
    p = new_project(tmp_path_factory.mktemp("hosted") / "project", with_articles=True)
    p.host_at(BASE_URL).build()
    return p


@pytest.fixture(scope="session")
def crowded_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The repository's content and CROWD more reports of meeting 4 on the guidelines."""
    p = new_project(tmp_path_factory.mktemp("crowded") / "project", with_articles=True)
    for n in range(CROWD):
        p.write(f"content/articles/2025-01-crowd-{n:02d}.md", crowd_article(n))
    p.build()
    return p
