"""Configuration: where things are and what the site is called.

Loaded once into a frozen value and passed explicitly; nothing reads a
global setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError, Problem

# Paths inside the project folder, relative to its root.
CONTENT_DIR = "content"
ARTICLES_DIR = "content/articles"
SEEDS_DIR = "seeds"
TEMPLATES_DIR = "templates"
OUTPUT_DIR = "_site"
CACHE_DIR = ".cache"

SITE_FILE = "site.yml"
MEETINGS_FILE = "meetings.yml"
TOPICS_FILE = "topics.yml"
PEOPLE_FILE = "people.yml"
OUTLETS_FILE = "outlets.yml"
PLACES_FILE = "places.yml"

DEFAULT_MAX_INPUT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class SiteConfig:
    """The contents of content/site.yml."""

    title: str = "NCG Digest"
    description: str = ""
    language: str = "en"
    base_url: str | None = None  # absolute URL the site is hosted at, if known
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES


@dataclass(frozen=True)
class Config:
    """A project folder and its site settings."""

    root: Path
    site: SiteConfig
    output: Path

    @property
    def content(self) -> Path:
        return self.root / CONTENT_DIR

    @property
    def articles(self) -> Path:
        return self.root / ARTICLES_DIR

    @property
    def seeds(self) -> Path:
        return self.root / SEEDS_DIR

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES_DIR

    @property
    def cache(self) -> Path:
        return self.root / CACHE_DIR

    def data_file(self, name: str) -> Path:
        return self.content / name


_SITE_KEYS = {"title": str, "description": str, "language": str, "base_url": str, "max_input_bytes": int}


def site_config_from(data: Mapping[str, Any] | None, path: Path) -> SiteConfig:
    """Validate the mapping read from site.yml, reporting every problem at once."""
    data = dict(data or {})
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        expected = _SITE_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(_SITE_KEYS))
            problems.append(Problem(f"unknown setting {key!r}", path, hint=f"known settings: {known}"))
        elif value is None:
            continue
        elif not isinstance(value, expected) or isinstance(value, bool):
            problems.append(Problem(f"setting {key!r} must be a {expected.__name__}, not {value!r}", path))
        else:
            values[key] = value
    base_url = values.get("base_url")
    if base_url is not None:
        base_url = base_url.strip()
        if not base_url:
            base_url = None
        elif not base_url.startswith(("http://", "https://")):
            problems.append(Problem(f"base_url must start with http:// or https://, not {base_url!r}", path))
        else:
            base_url = base_url.rstrip("/") + "/"
        values["base_url"] = base_url
    if values.get("max_input_bytes", 1) <= 0:
        problems.append(Problem("max_input_bytes must be positive", path))
    if problems:
        raise ConfigError(problems)
    return SiteConfig(**values)
