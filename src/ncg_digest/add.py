"""``ncg-digest add``: keep new articles in seeds/ and ingest them.

An article can be a plain-text file, a web page saved from a browser (HTML),
a Markdown file with some frontmatter, or text pasted on standard input. It is
stored in ``seeds/`` exactly as given, under the file's own name
(``pasted-<hash>.txt`` for pasted text), never replacing a different file of
the same name: the new one gets ``-2``, ``-3``… Storing the same text twice is
harmless, and ingest never ingests a seed twice. The CLI then rebuilds the
site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .config import Config
from .decode import decode_text
from .errors import NcgError, Problem
from .ingest import Ingested, IngestIncomplete, ingest, sha256_of, write_new
from .inputs import read_input
from .seeds import SEED_SUFFIXES
from .webpage import looks_like_html

STDIN = "-"


@dataclass(frozen=True)
class Given:
    """One article as the user gave it: where from, and its raw text (as the bytes to store)."""

    origin: str  # the path as typed, or "-" for standard input
    data: bytes  # the file's own bytes
    suffix: str  # the seed's suffix: the file's own, or what its content shows it to be

    @property
    def label(self) -> str:
        return "standard input" if self.origin == STDIN else self.origin


@dataclass(frozen=True)
class Stored:
    given: Given
    seed: Path
    new: bool  # False when seeds/ already held exactly this text


@dataclass(frozen=True)
class Added:
    stored: tuple[Stored, ...]
    ingested: tuple[Ingested, ...]


def seed_suffix(data: bytes, path: Path | None) -> str:
    """A seed file's suffix, which tells ingest how to read it."""
    if path is not None and path.suffix.lower() in SEED_SUFFIXES:
        return path.suffix.lower()
    return ".html" if looks_like_html(data) else ".txt"


def read_given(origin: str, stdin: BinaryIO, limit: int) -> Given:
    if origin == STDIN:
        data = stdin.read(limit + 1)
        if len(data) > limit:
            raise NcgError(Problem(f"standard input holds over {limit:,} bytes, the limit for one article"))
        path = None
    else:
        path = Path(origin)
        if path.is_dir():
            raise NcgError(Problem("this is a folder; give the article files in it", path))
        data = read_input(path, limit)
    text = decode_text(data, path)  # refuses what cannot be read as text, naming the line
    if not text.strip():
        raise NcgError(Problem("no text to add", path))
    return Given(origin, data, seed_suffix(data, path))


def seed_stem(given: Given) -> str:
    """The name the seed is stored under, without its suffix."""
    if given.origin == STDIN:
        return "pasted-" + sha256_of(given.data)[:16]
    stem = re.sub(r"[^\w.-]+", "-", Path(given.origin).stem).strip("-.")
    return stem or "article"


def same_seed(seeds: Path, data: bytes) -> Path | None:
    """A seed already holding exactly these bytes, under whatever name."""
    if not seeds.is_dir():
        return None
    for path in sorted(seeds.iterdir()):
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return path
    return None


def store_seed(seeds: Path, given: Given) -> Stored:
    """Keep the text in seeds/: reuse a file holding exactly this text (so it is not ingested twice), else write a new one."""
    existing = same_seed(seeds, given.data)
    if existing is not None:
        return Stored(given, existing, new=False)
    return Stored(given, write_new(seeds, seed_stem(given), given.data, suffix=given.suffix), new=True)


def add(config: Config, origins: list[str], stdin: BinaryIO) -> Added:
    """Store each article in seeds/ and ingest it. Nothing is stored unless every article can be read."""
    if not origins:
        raise NcgError(Problem("name the files to add, or '-' to read the article from standard input"))
    if origins.count(STDIN) > 1:
        raise NcgError(Problem("'-' (standard input) can be given only once"))
    given: list[Given] = []
    problems: list[Problem] = []
    for origin in origins:
        try:
            given.append(read_given(origin, stdin, config.site.max_input_bytes))
        except NcgError as error:
            problems += error.problems
    if problems:
        raise NcgError(problems)
    stored = tuple(store_seed(config.seeds, g) for g in given)
    try:
        ingested = ingest(config, seeds=list(dict.fromkeys(s.seed for s in stored)))
    except IngestIncomplete as error:
        # A seed that is not an article is taken out again, so it does not fail every later ingest.
        failed = {p.path for p in error.problems}
        for s in stored:
            if s.new and s.seed in failed:
                s.seed.unlink(missing_ok=True)
        raise
    return Added(stored, tuple(ingested))
