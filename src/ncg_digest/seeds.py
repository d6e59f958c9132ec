"""Reading a seed file of any kind: plain text, Markdown with frontmatter, a saved web page.

Each kind becomes text plus hints (a page's metadata, the frontmatter a user
already wrote), then goes through the same field extraction. In a Markdown
seed, every field the user filled in wins; the loader fills only what is
missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .errors import NcgError, Problem
from .extract import Evidence, Extraction, Hints, extract
from .model import Meeting, Vocabulary
from .read import parse_article, parse_published

TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
PAGE_SUFFIXES = (".html", ".htm")
SEED_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + PAGE_SUFFIXES
GIVEN = "the file's own frontmatter"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict, tuple)) and not value)


@dataclass(frozen=True)
class SeedReading:
    """What the loader read from one seed, and what the file already said about itself."""

    extraction: Extraction
    given: dict[str, Any] = field(default_factory=dict)  # frontmatter written by the user: it wins
    found: dict[str, Any] = field(default_factory=dict)  # fields taken from a page's metadata (e.g. url)

    def frontmatter(self) -> dict[str, Any]:
        fields = self.extraction.frontmatter()
        fields.update({k: v for k, v in self.found.items() if is_blank(fields.get(k))})
        fields.update({k: v for k, v in self.given.items() if not is_blank(v)})
        return fields

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        mine = {k for k, v in self.given.items() if not is_blank(v)}
        kept = tuple(e for e in self.extraction.evidence if e.field not in mine)
        return tuple(Evidence(k, str(v), GIVEN) for k, v in self.given.items() if k in mine) + kept

    @property
    def missing(self) -> tuple[str, ...]:
        fields = self.frontmatter()
        return tuple(
            name
            for name in self.extraction.missing
            if is_blank(fields.get(name)) and not (name == "co-chairs" and "people" in self.given and self.given["people"])
        )


def plain(value: Any) -> Any:
    """YAML read with line numbers, as plain dicts and lists again."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def markdown_text(body: str) -> str:
    """Markdown body to plain lines: link text kept, emphasis and heading marks dropped."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", body)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.M)


def hints_from_frontmatter(metadata: dict[str, Any], path: Path) -> Hints:
    try:
        published = parse_published(metadata.get("published"))
    except (ValueError, TypeError):
        raise NcgError(
            Problem(
                f"'published' must be a date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM), not {metadata.get('published')!r}",
                path,
                getattr(metadata, "line_of", lambda _k: None)("published"),
            )
        ) from None

    def text(key: str) -> str | None:
        value = metadata.get(key)
        return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else None

    return Hints(GIVEN, title=text("title"), published=published, outlet=text("outlet"), author=text("author"))


def read_seed(path: Path, text: str, vocabulary: Vocabulary, meetings: Sequence[Meeting] = ()) -> SeedReading:
    """Extract the fields of one seed file, whatever its kind."""
    suffix = path.suffix.lower()
    if suffix in PAGE_SUFFIXES:
        from .webpage import read_page  # the HTML extraction library is loaded only for web pages

        page = read_page(text)
        hints = Hints("the page's metadata", page.title, page.published, page.site_name, page.author)
        extraction = extract(page.text, vocabulary, meetings, hints)
        return SeedReading(extraction, found={"url": page.url} if page.url else {})
    if suffix in MARKDOWN_SUFFIXES:
        metadata, body = parse_article(text, path)
        given = {k: v for k, v in plain(metadata).items() if k not in ("seed", "seed_sha256")}
        extraction = extract(markdown_text(body), vocabulary, meetings, hints_from_frontmatter(metadata, path))
        return SeedReading(extraction, given=given)
    return SeedReading(extract(text, vocabulary, meetings))
