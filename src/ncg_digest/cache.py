"""The build cache in ``.cache/``: what earlier builds read and wrote, so a rebuild does only what changed.

Everything is keyed by content: the SHA-256 of each input file, and the
*program key* (this package's version and source code and the versions of the
libraries that shape the output), so a new version of the program never reuses
an old entry. Three stores:

* **articles** — each ``content/articles/*.md`` file parsed into its item, by
  the hash of the file's bytes;
* **bodies** — Markdown bodies rendered to HTML, by the hash of the text;
* **the site record** — for each file of the output folder, the key of the
  inputs it was rendered from, the hash of its bytes, and the size and
  modification time it had when written. A page whose key is unchanged and
  whose file is still as written is neither rendered nor written again, and a
  page rendered again to the same bytes keeps its file (and its mtime).

A page's key is a fingerprint of everything its template can see (the page's
context, the site settings, every template file, the program key), so a cached
page is used only when a clean build would produce the same bytes. The cache
is an optimisation only: deleting ``.cache/`` (or ``build --clean``) gives the
same site.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from . import __version__
from .config import Config
from .digest import Digest
from .model import Item
from .read import ParsedArticle
from .render import Page

# Bump when the layout of the stores changes.
FORMAT = 1
LIBRARIES = ("jinja2", "markdown", "nh3", "pyyaml", "python-frontmatter")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def combined(parts: Iterable[bytes | str]) -> str:
    """One key for a sequence of parts (each length-prefixed, so no two sequences collide)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def program_key() -> str:
    """Changes whenever the program or a library that shapes the output changes."""
    parts: list[bytes | str] = [str(FORMAT), __version__]
    for name in LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=?")
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    return combined(parts)


# --------------------------------------------------------------------------
# The inputs


def input_files(config: Config) -> list[Path]:
    """Every file a build may read: all of content/ and templates/ (hidden files aside)."""
    found = []
    for top in (config.content, config.templates):
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found += [Path(folder, f) for f in files if not f.startswith(".")]
    return sorted(found)


@dataclass(frozen=True)
class Inputs:
    """The SHA-256 of every input file, and one key for all of them."""

    hashes: Mapping[Path, str]
    key: str

    def under(self, folder: Path) -> list[tuple[str, str]]:
        return [(p.relative_to(folder).as_posix(), h) for p, h in self.hashes.items() if folder in p.parents]


def read_inputs(config: Config) -> Inputs:
    hashes: dict[Path, str] = {}
    for path in input_files(config):
        try:
            hashes[path] = sha256(path.read_bytes())
        except OSError:
            hashes[path] = "unreadable"  # the reader reports it with its reason
    parts: list[str] = [program_key(), str(config.output), repr(config.site)]
    for path, digest in hashes.items():
        parts += [str(path), digest]
    return Inputs(hashes, combined(parts))


# --------------------------------------------------------------------------
# Fingerprints of page contexts


class Fingerprinter:
    """A key for any value a template can be given, computed once per object.

    Dataclasses, tuples, lists and mappings are taken apart; anything else is
    keyed by its type and ``repr``. Items read from a file are keyed by the
    file's path and content hash instead, which determine them entirely.
    """

    def __init__(self, known: Mapping[int, str]):
        self._memo: dict[int, tuple[Any, str]] = {}
        self._known = known

    def of(self, value: Any) -> str:
        if value is None or isinstance(value, (str, int, float, bool, dt.date, Path)):
            return f"{type(value).__name__}:{value!r}"
        hit = self._memo.get(id(value))
        if hit is not None:
            return hit[1]
        known = self._known.get(id(value))
        key = known if known is not None else self._structure(value)
        self._memo[id(value)] = (value, key)  # holding the value keeps its id from being reused
        return key

    def _structure(self, value: Any) -> str:
        kind = type(value)
        if dataclasses.is_dataclass(value):
            return combined([kind.__qualname__, *(self.of(getattr(value, name)) for name in _field_names(kind))])
        if isinstance(value, (tuple, list)):
            return combined([kind.__name__, *(self.of(v) for v in value)])
        if isinstance(value, Mapping):
            return combined([kind.__name__, *(self.of(x) for pair in value.items() for x in pair)])
        if isinstance(value, (set, frozenset)):
            return combined([kind.__name__, *sorted(self.of(v) for v in value)])
        return combined([kind.__qualname__, repr(value)])


@functools.lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


# --------------------------------------------------------------------------
# Stores


class ArticleStore:
    """Parsed articles by path and content hash (the ``read.ArticleCache`` the reader uses)."""

    def __init__(self, hashes: Mapping[Path, str], entries: dict[str, tuple[str, ParsedArticle]]):
        self._hashes = hashes
        self._entries = entries
        self._used: dict[str, tuple[str, ParsedArticle]] = {}
        self.changed = False

    def get(self, path: Path) -> ParsedArticle | None:
        entry = self._entries.get(str(path))
        if entry is None or entry[0] != self._hashes.get(path):
            return None
        self._used[str(path)] = entry
        return entry[1]

    def put(self, path: Path, data: bytes, parsed: ParsedArticle) -> None:
        self._used[str(path)] = (sha256(data), parsed)
        self.changed = True

    def item_keys(self, items: Iterable[Item]) -> dict[int, str]:
        """Each item's fingerprint: the path and content hash of the file it was read from."""
        keys = {}
        for item in items:
            entry = self._used.get(str(item.source))
            if entry is not None:
                keys[id(item)] = combined(["item", str(item.source), entry[0]])
        return keys

    def to_save(self) -> dict[str, tuple[str, ParsedArticle]] | None:
        """What to store for next time (only articles that still exist), or None when nothing changed."""
        if not self.changed and len(self._used) == len(self._entries):
            return None
        return self._used


@dataclass(frozen=True)
class OutputFile:
    """One file of the output folder as the last build wrote it."""

    key: str  # the inputs it was made from
    sha: str  # its bytes
    size: int
    mtime_ns: int


@dataclass
class SiteRecord:
    inputs_key: str = ""
    files: dict[str, OutputFile] = field(default_factory=dict)
    counts: tuple[int, int, int] = (0, 0, 0)  # items, meetings, pages


@dataclass(frozen=True)
class Update:
    """What the writer must do: write these bytes, keep these files as they are."""

    write: dict[str, bytes]
    keep: frozenset[str]
    removed: tuple[str, ...]
    record: dict[str, OutputFile]  # the new record, with the written files still to be stat-ed

    @property
    def changes(self) -> bool:
        return bool(self.write or self.removed)


class BuildCache:
    """The cache of one project and output folder, loaded at the start of a build and saved at the end."""

    def __init__(self, config: Config, clean: bool = False):
        self.config = config
        self.folder = config.cache
        self.inputs = read_inputs(config)
        site_name = combined([str(config.output)])[:16]
        self._articles_file = self.folder / "articles.pickle"
        self._bodies_file = self.folder / "bodies.pickle"
        self._site_file = self.folder / f"site-{site_name}.pickle"
        self.record: SiteRecord = SiteRecord() if clean else self._load(self._site_file, SiteRecord())
        self._clean = clean
        self._articles: ArticleStore | None = None
        self._bodies: dict[str, str] | None = None
        self._bodies_loaded = 0

    # -- loading and saving

    def _load(self, path: Path, default: Any) -> Any:
        """A store written by this very program, or `default` (a cache is never trusted further)."""
        try:
            with open(path, "rb") as handle, gc_paused():
                header, value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return default
        return value if header == program_key() else default

    def _save(self, path: Path, value: Any) -> None:
        """Write a store atomically: a half-written cache file is never read."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump((program_key(), value), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    @property
    def articles(self) -> ArticleStore:
        if self._articles is None:
            entries = {} if self._clean else self._load(self._articles_file, {})
            self._articles = ArticleStore(self.inputs.hashes, entries)
        return self._articles

    @property
    def bodies(self) -> dict[str, str]:
        if self._bodies is None:
            self._bodies = {} if self._clean else self._load(self._bodies_file, {})
            self._bodies_loaded = len(self._bodies)
        return self._bodies

    def save(self, update: Update, items: Sequence[Item], counts: tuple[int, int, int]) -> None:
        """Record the site just written, and the stores that changed."""
        files = {}
        for path, entry in update.record.items():
            if path in update.write:
                stat = (self.config.output / path).stat()
                entry = dataclasses.replace(entry, size=stat.st_size, mtime_ns=stat.st_mtime_ns)
            files[path] = entry
        self.record = SiteRecord(self.inputs.key, files, counts)
        self._save(self._site_file, self.record)
        if self._articles is not None and (articles := self._articles.to_save()) is not None:
            self._save(self._articles_file, articles)
        if self._bodies is not None and len(self._bodies) != self._bodies_loaded:
            wanted = {sha256(i.body.encode("utf-8")) for i in items if i.republish}
            self._save(self._bodies_file, {k: v for k, v in self._bodies.items() if k in wanted})

    # -- deciding what to do

    def site_is_current(self) -> bool:
        """True when no input changed since the last build and its output is still as written."""
        return bool(self.record.files) and self.record.inputs_key == self.inputs.key and self._output_intact(self.record.files)

    def _output_intact(self, files: Mapping[str, OutputFile]) -> bool:
        return set(files) == set(output_files(self.config.output)) and all(self._as_written(p, e) for p, e in files.items())

    def _as_written(self, path: str, entry: OutputFile | None) -> bool:
        if entry is None:
            return False
        try:
            stat = (self.config.output / path).stat()
        except OSError:
            return False
        return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def site_key(self) -> str:
        """What every page depends on besides its own context: program, templates, settings."""
        return combined([program_key(), repr(self.config.site), *(x for pair in self.inputs.under(self.config.templates) for x in pair)])

    def page_keys(self, pages: Sequence[Page], digest: Digest) -> dict[str, str]:
        items = [a.item for a in digest.articles]
        fingerprint = Fingerprinter(self.articles.item_keys(items))
        site = self.site_key()
        return {p.path: combined([site, p.path, p.template, fingerprint.of(p.context)]) for p in pages}

    def stale(self, pages: Sequence[Page], keys: Mapping[str, str]) -> list[Page]:
        """The pages to render: those whose inputs changed, or whose file is not as it was written."""
        old = self.record.files
        return [p for p in pages if not (old.get(p.path) and old[p.path].key == keys[p.path] and self._as_written(p.path, old[p.path]))]

    def update(self, keys: Mapping[str, str], rendered: Mapping[str, bytes], static: Mapping[str, bytes]) -> Update:
        """Compare what was rendered with what the output folder holds."""
        old = self.record.files
        write: dict[str, bytes] = {}
        keep: set[str] = set()
        record: dict[str, OutputFile] = {}
        for path, data in [*rendered.items(), *static.items()]:
            sha = sha256(data)
            entry = old.get(path)
            if entry is not None and entry.sha == sha and self._as_written(path, entry):
                keep.add(path)
                record[path] = dataclasses.replace(entry, key=keys.get(path, sha))
            else:
                write[path] = data
                record[path] = OutputFile(keys.get(path, sha), sha, 0, 0)
        for path, key in keys.items():
            if path not in record:  # fresh: not rendered at all
                keep.add(path)
                record[path] = old[path]
        present = output_files(self.config.output)
        removed = tuple(sorted(set(present) - set(record)))
        return Update(write, frozenset(keep), removed, record)


def output_files(output: Path) -> list[str]:
    """The site files in the output folder (its marker aside), as site paths."""
    from .write import MARKER

    if not output.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(output):
        relative = Path(folder).relative_to(output).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + f for f in files if not (prefix == "" and f == MARKER)]
    return found


@contextmanager
def gc_paused() -> Iterator[None]:
    """Unpickling many small objects is several times faster without the cycle collector running."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
