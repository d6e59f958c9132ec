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
from .decode import decode_text
from .errors import NcgError, Problem
from .inputs import read_input
from .model import Meeting, Vocabulary
from .read import article_paths, load_records, load_vocabulary, parse_article, read_text
from .seeds import SEED_SUFFIXES, SeedReading, read_seed
from .text import slugify


@dataclass(frozen=True)
class Ingested:
    seed: Path
    written: Path
    reading: SeedReading


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
            metadata, _ = parse_article(read_text(path, config.site.max_input_bytes, within=config.content), path)
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


def content_text(reading: SeedReading, seed: Path, digest: str) -> str:
    fields = reading.frontmatter()
    fields["seed"] = seed.name
    fields["seed_sha256"] = digest
    return f"---\n{dump_frontmatter(fields)}---\n\n{markdown_body(reading.extraction.paragraphs)}"


def file_name_for(fields: dict[str, Any]) -> str:
    published = str(fields.get("published") or "")
    day = published[:10] if re.match(r"\d{4}-\d{2}-\d{2}", published) else "undated"
    return f"{day}-{slugify(str(fields.get('title') or 'item'))}"


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


def ingest_seed(
    path: Path, vocabulary: Vocabulary, meetings: tuple[Meeting, ...], config: Config, digest: str, text: str, strict: bool = False
) -> Ingested:
    reading = read_seed(path, text, vocabulary, meetings)
    if not reading.extraction.paragraphs:
        raise NcgError(Problem("no article text found in this file", path, hint="a seed holds the text of one news article"))
    if strict and reading.missing:
        raise NcgError(
            [Problem(f"could not determine {name!r} from the text", path, severity="warning") for name in reading.missing]
            + [Problem("not ingested: --strict treats these warnings as errors", path)]
        )
    written = write_new(config.articles, file_name_for(reading.frontmatter()), content_text(reading, path, digest))
    return Ingested(path, written, reading)


def ingest(
    config: Config, seeds: list[Path] | None = None, progress: Callable[[int], None] | None = None, strict: bool = False
) -> list[Ingested]:
    """Ingest every seed (or each of `seeds`) not yet in content/articles/. Problems are raised after the rest are done.

    With `strict`, a seed with fields the text does not settle is not ingested.
    """
    vocabulary = load_vocabulary(config)
    meetings = load_records(config, vocabulary).meetings
    done = ingested_seeds(config)
    results: list[Ingested] = []
    problems: list[Problem] = []
    for count, path in enumerate(seed_paths(config) if seeds is None else seeds, 1):
        if progress is not None:
            progress(count)
        try:
            data = read_input(path, config.site.max_input_bytes, within=config.seeds)
            digest = sha256_of(data)
            if (path.name, digest) in done:
                continue
            text = decode_text(data, path)
            if not text.strip():
                raise NcgError(Problem("the file is empty" if not data else "the file holds only white space", path))
            results.append(ingest_seed(path, vocabulary, meetings, config, digest, text, strict))
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
