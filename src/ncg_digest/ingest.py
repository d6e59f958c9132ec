"""Turning raw seed articles into content items, without ever overwriting one.

A seed is ingested once: the content file records the seed's name and
SHA-256, and a seed with a matching record is skipped. A content file is
only ever created (atomically, under a name nobody uses), never replaced,
so hand corrections survive every run.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import yaml

from .config import Config
from .errors import NcgError, Problem
from .extract import Extraction, extract
from .model import Vocabulary
from .read import article_paths, load_vocabulary, parse_article, read_text
from .text import slugify

SEED_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Ingested:
    seed: Path
    written: Path
    extraction: Extraction


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seed_paths(config: Config) -> list[Path]:
    if not config.seeds.is_dir():
        return []
    return sorted(p for p in config.seeds.iterdir() if p.is_file() and p.suffix.lower() in SEED_SUFFIXES and not p.name.startswith("."))


def ingested_seeds(config: Config) -> set[tuple[str, str]]:
    """(seed name, seed SHA-256) of every content item that came from a seed."""
    done: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for path in article_paths(config):
        try:
            metadata, _ = parse_article(read_text(path, config.site.max_input_bytes), path)
        except NcgError as error:
            problems += error.problems
            continue
        seed, digest = metadata.get("seed"), metadata.get("seed_sha256")
        if seed and digest:
            done.add((str(seed), str(digest)))
    if problems:
        # Without knowing what these files hold, ingesting could duplicate them.
        raise NcgError(problems)
    return done


def markdown_body(paragraphs: tuple[str, ...]) -> str:
    """Paragraphs as Markdown, with a backslash where a line would start a list or heading."""
    escaped = [re.sub(r"^([#>*+\-]|\d+[.)])(\s)", r"\\\1\2", p) for p in paragraphs]
    return "\n\n".join(escaped) + "\n"


def dump_frontmatter(fields: dict[str, Any]) -> str:
    return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def content_text(extraction: Extraction, seed: Path, digest: str) -> str:
    fields = extraction.frontmatter()
    fields["seed"] = seed.name
    fields["seed_sha256"] = digest
    return f"---\n{dump_frontmatter(fields)}---\n\n{markdown_body(extraction.paragraphs)}"


def file_name_for(extraction: Extraction) -> str:
    day = extraction.published.strftime("%Y-%m-%d") if extraction.published else "undated"
    return f"{day}-{slugify(extraction.title)}"


def write_new(directory: Path, stem: str, text: str | bytes, suffix: str = ".md") -> Path:
    """Write `text` to a new file `stem.md` (or `stem-2.md`, …; or another suffix); never replace a file.

    The text goes to a temporary file first, then is linked into place, which
    fails rather than overwrites if the name was taken meanwhile.
    """
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=".ingest-", suffix=".tmp", dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
            handle.flush()
            os.fsync(handle.fileno())
        for n in range(1, 1000):
            target = directory / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(temp, target)
            except FileExistsError:
                continue
            return target
        raise NcgError(Problem(f"no free file name for {stem!r}", directory))
    finally:
        temp.unlink(missing_ok=True)


def ingest_seed(path: Path, vocabulary: Vocabulary, config: Config, digest: str, text: str) -> Ingested:
    extraction = extract(text, vocabulary)
    if not extraction.paragraphs:
        raise NcgError(Problem("no article text found in this file", path, hint="a seed holds the text of one news article"))
    written = write_new(config.articles, file_name_for(extraction), content_text(extraction, path, digest))
    return Ingested(path, written, extraction)


def ingest(config: Config, seeds: list[Path] | None = None, progress: Callable[[int], None] | None = None) -> list[Ingested]:
    """Ingest every seed (or each of `seeds`) not yet in content/articles/. Problems are raised after the rest are done."""
    vocabulary = load_vocabulary(config)
    done = ingested_seeds(config)
    results: list[Ingested] = []
    problems: list[Problem] = []
    for count, path in enumerate(seed_paths(config) if seeds is None else seeds, 1):
        if progress is not None:
            progress(count)
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.append(Problem(f"cannot read file: {error.strerror or error}", path))
            continue
        digest = sha256_of(data)
        if (path.name, digest) in done:
            continue
        try:
            text = read_text(path, config.site.max_input_bytes)
            if not text.strip():
                raise NcgError(Problem("the file is empty", path))
            results.append(ingest_seed(path, vocabulary, config, digest, text))
        except NcgError as error:
            problems += error.problems
    if problems:
        raise IngestIncomplete(problems, results)
    return results


class IngestIncomplete(NcgError):
    """Some seeds could not be ingested; the others were."""

    def __init__(self, problems: list[Problem], done: list[Ingested]):
        super().__init__(problems)
        self.done = done
