"""The build cache in ``.cache/``: what earlier builds read and wrote, so a rebuild does only what changed.

Everything is keyed by content: the SHA-256 of each input file, and the
*program key* (this package's version and source code and the versions of the
libraries that shape the output), so a new version of the program never reuses
an old entry. The stores:

* **inputs** — the size, time, inode and hash of every input file, so a file
  that looks as it did is not read again;
* **articles** — each ``content/articles/*.md`` file parsed into its item, by
  the hash of the file's bytes (in 64 shards by path);
* **data files** — the YAML of ``meetings.yml`` and the vocabularies, by the
  hash of the bytes read;
* **bodies** — Markdown bodies rendered to HTML, by the hash of the text;
* **the digest memo** — each meeting's key points, by a key of the reports
  they were grouped from, and each meeting's facts, by its record and the
  content keys of its reports (``digest.Memo``);
* **the site record** — for each file of the output folder, the key of the
  inputs it was rendered from, the hash of its bytes, and the size and
  modification time it had when written. A page whose key is unchanged and
  whose file is still as written is neither rendered nor written again, and a
  page rendered again to the same bytes keeps its file (and its mtime);
* **search docs** — what the search index keeps of each page, by the page's
  path and the hash of its bytes (article pages in shards, like the articles);
* **search postings** — the index's postings of each block of pages, by the
  words and weights of its pages (``search._postings``), and its files of
  page records, by their pages' paths and hashes;
* **compiled templates** — Jinja2's bytecode of each template, which it
  uses only while the template's source is unchanged.

The stores by content key (bodies, the memo, the search index's blocks and
files) change only by the keys they hold: each is kept in 16 files by its
keys' checksums, and a build writes only those whose keys changed.

A page's key is a fingerprint of everything its template can see (the page's
context, the site settings, every template file, the program key), so a cached
page is used only when a clean build would produce the same bytes. The cache
is an optimisation only: deleting ``.cache/`` (or ``build --clean``) gives the
same site.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
import tempfile
import zlib
from contextlib import contextmanager
import importlib.util
import operator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from . import __version__, urls
from .config import Config
from .errors import Problem
from .inputs import is_article_name
from .parallel import forked_map
from .write import Staged

if TYPE_CHECKING:  # the stages are imported only when a build has work to do
    from .digest import Digest, Memo
    from .model import Item, Records
    from .read import ParsedArticle
    from .render import Page
    from .search import BlockPostings, SearchDoc

# Bump when the layout of the stores changes.
FORMAT = 3
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "yaml", "frontmatter")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def body_key(text: str) -> str:
    """What a rendered Markdown body is kept by (see render.CachedBodies): the SHA-256 of the Markdown."""
    return sha256(text.encode("utf-8"))


def republished_bodies(items: Iterable[Item]) -> dict[str, str]:
    """The Markdown bodies the article pages show (those of republished articles), by `body_key`."""
    return {body_key(item.body): item.body for item in items if item.republish}


def combined(parts: Iterable[bytes | str]) -> str:
    """One key for a sequence of parts (each length-prefixed, so no two sequences collide)."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def joined(parts: list[str]) -> str:
    """`combined` for the fingerprinter's parts, in one call: keys and reprs never hold a NUL."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


@functools.lru_cache(maxsize=1)
def program_key() -> str:
    """Changes whenever the program or a library that shapes the output changes.

    A library is identified by the size and time of its installed entry file,
    which changes with every install; finding it does not import the library.
    """
    parts: list[bytes | str] = [str(FORMAT), __version__]
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            stat = os.stat(origin)
            parts.append(f"{name}:{origin}:{stat.st_size}:{stat.st_mtime_ns}")
        else:
            parts.append(f"{name}:missing")
    package = Path(__file__).parent
    for path in sorted(package.glob("*.py")):
        parts += [path.name, path.read_bytes()]
    return combined(parts)


# --------------------------------------------------------------------------
# The inputs


def input_files(config: Config) -> list[tuple[str, os.stat_result]]:
    """Every file a build may read, with its status: all of content/ and templates/ (hidden files aside)."""
    found: list[tuple[str, os.stat_result]] = []

    def walk(folder: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                walk(entry.path)
            elif entry.is_file():
                found.append((entry.path, entry.stat()))

    for top in (config.content, config.templates):
        walk(str(top))
    return found


def hash_of_file(path: str) -> str:
    """The SHA-256 of a file's bytes, or "unreadable" (the reader reports it with its reason)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return "unreadable"
    try:
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 16):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return "unreadable"
    finally:
        os.close(fd)


# What is remembered of an input file: size, modification time, inode, SHA-256.
Signature = tuple[int, int, int, str]


class Inputs:
    """The SHA-256 of every input file (by path), and one key for all of them.

    An article file that no earlier build read need not be hashed up front: it
    is parsed in any case, and the reader hashes the very bytes it parses. Such
    a file's hash is *pending* until the reader `settle`s it; the key and the
    signatures, asked for once the articles are read, hash any file still
    pending themselves.
    """

    def __init__(self, found: list[tuple[str, os.stat_result]], hashes: dict[str, str | None], base: list[str]):
        self.hashes = hashes
        self._stats = {path: (stat.st_size, stat.st_mtime_ns, stat.st_ino) for path, stat in found}
        self._base = base
        self._key: str | None = None

    def under(self, folder: Path) -> list[tuple[str, str | None]]:
        """(path relative to `folder`, hash or None while pending) of each input file inside it."""
        prefix = str(folder) + os.sep
        return [(p[len(prefix) :], h) for p, h in self.hashes.items() if p.startswith(prefix)]

    def settle(self, path: str, sha: str) -> None:
        """The hash of a pending file, from the bytes the reader parsed."""
        if path in self.hashes and self.hashes[path] is None:
            self.hashes[path] = sha

    def _settled(self) -> dict[str, str]:
        pending = [path for path, digest in self.hashes.items() if digest is None]
        for path, digest in zip(pending, forked_map(hash_of_file, pending, parallel=len(pending) >= HASH_PARALLEL_FROM)):
            self.hashes[path] = digest
        return self.hashes  # type: ignore[return-value] # none is pending now

    @property
    def key(self) -> str:
        if self._key is None:
            parts = list(self._base)
            for path, digest in self._settled().items():
                parts += [path, digest]
            self._key = combined(parts)
        return self._key

    @property
    def signatures(self) -> dict[str, Signature]:
        hashes = self._settled()
        return {path: (*stat, hashes[path]) for path, stat in self._stats.items()}


# From this many files to hash (a first build, or a checkout that touched every file), they are hashed on
# every core: the process is still small then, and its workers cheap to start.
HASH_PARALLEL_FROM = 1000


def read_inputs(config: Config, known: Mapping[str, Signature], defer_articles: bool = False) -> Inputs:
    """Hash every input file; one whose size, time and inode are as last seen is not read again.

    With `defer_articles` (no parsed article is kept), an article file not seen before is left pending
    (see `Inputs`).
    """
    found = input_files(config)
    unseen = [path for path, stat in found if (seen := known.get(path)) is None or seen[:3] != (stat.st_size, stat.st_mtime_ns, stat.st_ino)]
    pending: set[str] = set()
    if defer_articles:
        folder = str(config.articles)
        pending = {path for path in unseen if os.path.dirname(path) == folder and is_article_name(os.path.basename(path))}
        unseen = [path for path in unseen if path not in pending]
    fresh = dict(zip(unseen, forked_map(hash_of_file, unseen, parallel=len(unseen) >= HASH_PARALLEL_FROM)))
    hashes: dict[str, str | None] = {}
    for path, _ in found:
        hashes[path] = None if path in pending else fresh[path] if path in fresh else known[path][3]
    return Inputs(found, hashes, [program_key(), str(config.output), repr(config.site)])


# --------------------------------------------------------------------------
# Fingerprints of page contexts


class Fingerprinter:
    """A key for any value a template can be given, computed once per object.

    Dataclasses, tuples, lists and mappings are taken apart; anything else is
    keyed by its type and ``repr``. Items read from a file are keyed by the
    file's path and content hash instead, which determine them entirely.
    """

    def __init__(self, known: dict[int, str]):
        # By id() of each value keyed so far: this is `known`, the keys of values known beforehand (kept alive by
        # the caller), which may add more while keys are made, and sees the keys made here added to it.
        self._keys = known
        self._held: list[Any] = []  # the values keyed here: holding them keeps their ids from being reused

    def of(self, value: Any) -> str:
        kind = type(value)
        if kind in _PLAIN:
            return f"{kind.__name__}:{value!r}"
        key = self._keys.get(id(value))
        if key is None:
            key = self._keys[id(value)] = self._structure(value)
            self._held.append(value)
        return key

    def _parts(self, values: Iterable[Any]) -> list[str]:
        """`of` of each value. This runs for every field of the site: values keyed before are looked up all at once."""
        values = values if type(values) in (tuple, list) else list(values)
        found = list(map(self._keys.get, map(id, values)))
        for n, key in enumerate(found):
            if key is None:
                value = values[n]
                kind = type(value)
                found[n] = f"{kind.__name__}:{value!r}" if kind in _PLAIN else self.of(value)  # `of`, the plain case inline
        return found

    def _structure(self, value: Any) -> str:
        kind = type(value)
        fields = _fields_of(kind)
        if fields is not None:
            return joined([kind.__qualname__, *self._parts(fields(value))])
        if isinstance(value, (tuple, list)):
            return joined([kind.__name__, str(len(value)), *self._parts(value)])
        if isinstance(value, Mapping):
            return joined([kind.__name__, str(len(value)), *self._parts(x for pair in value.items() for x in pair)])
        if isinstance(value, (set, frozenset)):
            return joined([kind.__name__, str(len(value)), *sorted(self._parts(value))])
        return joined([kind.__qualname__, repr(value)])


# Values keyed by their type and repr (exact types: a subclass is taken apart or keyed by its own repr).
_PLAIN = frozenset({type(None), str, int, float, bool, dt.date, dt.datetime, dt.time, type(Path())})


@functools.lru_cache(maxsize=None)
def _fields_of(kind: type) -> Callable[[Any], tuple] | None:
    """For a dataclass, a function giving the values of an instance's fields in order; None for other types."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = [f.name for f in dataclasses.fields(kind)]
    if len(names) == 1:
        return lambda value: (getattr(value, names[0]),)
    return operator.attrgetter(*names) if names else lambda value: ()


# --------------------------------------------------------------------------
# Stores


SHARDS = 64


KEYED_SHARDS = 16


def key_shard(key: str) -> int:
    """The shard of a store by content key that holds `key`."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % KEYED_SHARDS


@functools.lru_cache(maxsize=1 << 17)  # asked for each article several times a build
def shard_of(path: str) -> int:
    """The shard a path's entry is kept in (a checksum is enough to spread them: asked thirty thousand times a build)."""
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % SHARDS


class ParsedStore:
    """The data files' YAML by the hash of their bytes (the ``read.ParsedCache`` the reader uses).

    Holds, once saved, only what this build read: a data file edited many times leaves no trail.
    """

    def __init__(self, stored: dict[str, Any]):
        self.stored = stored
        self.used: dict[str, Any] = {}

    def get(self, sha: str) -> Any:
        value = self.stored.get(sha)
        if value is not None:
            self.used[sha] = value
        return value

    def put(self, sha: str, value: Any) -> None:
        self.used[sha] = value

    @property
    def changed(self) -> bool:
        return self.used.keys() != self.stored.keys()


class ArticleStore:
    """Parsed articles by path and content hash (the ``read.ArticleCache`` the reader uses).

    Kept in SHARDS files, so adding or editing one article rewrites only one small file.
    """

    def __init__(self, inputs: Inputs, shards: list[dict[str, tuple[str, ParsedArticle]]]):
        self._inputs = inputs
        self._hashes = inputs.hashes
        self.shards = shards
        self.changed: set[int] = set()
        # id(item) → the item, its file's path and hash, for each item handed out or stored here (see item_keys).
        self._handed: dict[int, tuple[Item, str, str]] = {}

    def get(self, path: str | Path) -> ParsedArticle | None:
        key = str(path)
        entry = self.shards[shard_of(key)].get(key)
        if entry is None or entry[0] != self._hashes.get(key):
            return None
        self._handed[id(entry[1].item)] = (entry[1].item, key, entry[0])
        return entry[1]

    def put(self, path: str | Path, sha: str, parsed: ParsedArticle) -> None:
        key = str(path)
        shard = shard_of(key)
        self.shards[shard][key] = (sha, parsed)
        self.changed.add(shard)
        self._inputs.settle(key, sha)
        self._handed[id(parsed.item)] = (parsed.item, key, sha)

    def forget_missing(self) -> None:
        """Drop the entries of files that are gone."""
        for number, shard in enumerate(self.shards):
            gone = [key for key in shard if key not in self._hashes]
            for key in gone:
                del shard[key]
            if gone:
                self.changed.add(number)

    def item_keys(self, items: Iterable[Item]) -> dict[int, str]:
        """Each item's fingerprint: the path and content hash of the file it was read from.

        Only the items: a quote or a person reached on its own (rarely: a meeting's digest is keyed whole) is
        keyed by its value, which is quicker than keying the forty thousand parts of ten thousand items here.
        """
        keys = {}
        handed = self._handed
        for item in items:
            found = handed.get(id(item))
            if found is not None and found[0] is item:
                keys[id(item)] = f"item:{found[2]}:{found[1]}"  # the hash first: it has no colon
        return keys


class SearchDocStore:
    """Each page's search record (``search.page_record``), by site path and the SHA-256 of the page's bytes.

    Kept in shards: article pages in SHARDS files by path, every other page in one more (shard 0). A new
    article changes its own record and those of a few dozen other pages (its meeting, topics, indexes),
    so a rebuild rewrites two small files rather than the records of ten thousand pages.
    """

    def __init__(self, shards: list[dict[str, tuple[str, SearchDoc | None]]]):
        self.shards = shards
        self.changed: set[int] = set()

    @staticmethod
    def shard_for(path: str) -> int:
        return 1 + shard_of(path) if path.startswith(urls.ARTICLES) else 0

    def records(
        self, paths: Sequence[str], shas: Sequence[str], bytes_of: Callable[[str], bytes], made: Mapping[str, SearchDoc | None] | None = None
    ) -> list[SearchDoc | None]:
        """The records of the pages at `paths`, whose bytes have the SHA-256 `shas`: kept while a page's bytes
        are unchanged, else taken from `made` (made from the bytes just rendered), else read from `bytes_of`.
        The store is left holding these pages' records only."""
        from .search import page_records

        kept: dict[str, tuple[str, SearchDoc | None]] = {}
        for shard in self.shards:  # one mapping of every page, to look each up once
            kept.update(shard)
        stale = [(path, sha) for path, sha in zip(paths, shas, strict=True) if (entry := kept.get(path)) is None or entry[0] != sha]
        made = made or {}
        unmade = [path for path, _ in stale if path not in made]
        read_now = dict(zip(unmade, page_records(unmade, bytes_of)))
        for path, sha in stale:
            entry = kept[path] = (sha, made[path] if path in made else read_now[path])
            number = self.shard_for(path)
            self.shards[number][path] = entry
            self.changed.add(number)
        if len(kept) != len(paths):  # every page is kept now, and something more: pages that are gone
            for path in kept.keys() - set(paths):
                number = self.shard_for(path)
                del self.shards[number][path]
                self.changed.add(number)
        return [kept[path][1] for path in paths]


class OutputSurvey(NamedTuple):
    """The output folder as a build found it (see `BuildCache.survey_output`)."""

    present: list[str]  # its files, as site paths
    altered: frozenset[str]  # the last build's files that are no longer as it wrote them (or gone)


class OutputFile(NamedTuple):
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
    warnings: tuple[Problem, ...] = ()  # repeated by a build that finds nothing to do


@dataclass(frozen=True)
class Update:
    """What the writer must do: write these bytes (or move in these staged files), keep these files as they are."""

    write: dict[str, bytes | Staged]
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
        self._output = str(config.output)
        self._inputs_file = self.folder / "inputs.pickle"
        self._clean = clean
        self._known_inputs: dict[str, Signature] = self._stored(self._inputs_file, {})
        # With no parsed article kept (a first build, or a clean one), every article file is parsed, and hashed
        # as it is read: not once more here.
        self.inputs = read_inputs(config, self._known_inputs, defer_articles=not self._keeps_articles())
        site_name = combined([str(config.output)])[:16]
        self._site_file = self.folder / f"site-{site_name}.pickle"
        self.record: SiteRecord = self._stored(self._site_file, SiteRecord())
        self._search_docs_name = f"search-docs-{site_name}"
        self._search_docs: SearchDocStore | None = None
        self._postings_name = f"search-postings-{site_name}"
        self._chunks_name = f"search-chunks-{site_name}"
        self._keyed: dict[str, tuple[dict[str, Any], frozenset[str]]] = {}  # store by key → its entries, and its keys as loaded
        self._articles: ArticleStore | None = None
        self._parsed_file = self.folder / "data.pickle"
        self._parsed: ParsedStore | None = None
        self._shown_bodies: dict[str, str] | None = None  # republished_bodies of this build's items, once asked for
        self._memo: Memo | None = None
        self._templates_file = self.folder / "templates.pickle"
        self._templates: dict[str, bytes] | None = None
        self._templates_loaded: dict[str, bytes] = {}
        self._present: list[str] | None = None  # the output folder's files, once listed (see update)
        self._altered: frozenset[str] | None = None  # the recorded files no longer as written, once surveyed
        self._shas: dict[int, tuple[bytes, str]] = {}  # id(bytes) → the bytes and their SHA-256

    # -- loading and saving

    def _load(self, path: Path, default: Any) -> Any:
        """A store written by this very program, or `default` (a cache is never trusted further)."""
        try:
            with open(path, "rb") as handle, gc_paused():
                header, value = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError, KeyError, IndexError):
            return default  # damaged or foreign: ignored, and replaced at the end of the build
        return value if header == program_key() else default

    def _stored(self, path: Path, default: Any) -> Any:
        """What a store holds, or `default` for a clean build (which ignores the cache and rebuilds it)."""
        return default if self._clean else self._load(path, default)

    def _save(self, path: Path, value: Any) -> None:
        """Write a store atomically: a half-written cache file is never read."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.dispatch_table = _DISPATCH
                pickler.dump((program_key(), value))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    # Stores of values by content key (the digest's memo, the rendered bodies, the search index's blocks): a key
    # always has the same value, so a store changes only by the keys it holds. Each is kept in KEYED_SHARDS files
    # by its keys' checksums, and a build rewrites only the files whose keys changed (an add-one rebuild, two or
    # three of each) rather than megabytes of entries it did not touch.

    def _keyed_file(self, name: str, number: int) -> Path:
        return self.folder / f"{name}-k{number:02d}.pickle"

    def _by_key(self, name: str) -> dict[str, Any]:
        """The store by content key `name`, loaded once."""
        if name not in self._keyed:
            found: dict[str, Any] = {}
            for number in range(KEYED_SHARDS):
                found.update(self._stored(self._keyed_file(name, number), {}))
            self._keyed[name] = (found, frozenset(found))
        return self._keyed[name][0]

    def _save_by_key(self, name: str, entries: Mapping[str, Any] | None = None) -> None:
        """Save the store `name`, if loaded: the shards whose keys changed. `entries` is what it is to hold
        (by default, what it holds now)."""
        if name not in self._keyed:
            return
        held, loaded = self._keyed[name]
        entries = held if entries is None else entries
        changed = {key_shard(key) for key in loaded.symmetric_difference(entries)}
        for number in sorted(changed):
            self._save(self._keyed_file(name, number), {k: v for k, v in entries.items() if key_shard(k) == number})
        self._keyed[name] = (held, frozenset(entries))  # as saved: saving again writes nothing

    def _keeps_articles(self) -> bool:
        """Whether any parsed article is kept (without loading them)."""
        return not self._clean and any(self._shard_file(n).is_file() for n in range(SHARDS))

    def _shard_file(self, number: int) -> Path:
        return self.folder / f"articles-{number:02d}.pickle"

    def _search_docs_file(self, number: int) -> Path:
        return self.folder / f"{self._search_docs_name}-{number:02d}.pickle"

    @property
    def search_docs(self) -> SearchDocStore:
        if self._search_docs is None:
            self._search_docs = SearchDocStore([self._stored(self._search_docs_file(n), {}) for n in range(SHARDS + 1)])
        return self._search_docs

    @property
    def search_postings(self) -> dict[str, BlockPostings]:
        """The search index's postings by block (``search.search_files`` keeps it up to date)."""
        return self._by_key(self._postings_name)

    @property
    def search_chunks(self) -> dict[str, bytes]:
        """The search index's files of page records, by their pages (``search.search_files`` keeps it up to date)."""
        return self._by_key(self._chunks_name)

    @property
    def articles(self) -> ArticleStore:
        if self._articles is None:
            shards = [self._stored(self._shard_file(n), {}) for n in range(SHARDS)]
            self._articles = ArticleStore(self.inputs, shards)
        return self._articles

    @property
    def data_files(self) -> ParsedStore:
        if self._parsed is None:
            self._parsed = ParsedStore(self._stored(self._parsed_file, {}))
        return self._parsed

    @property
    def bodies(self) -> dict[str, str]:
        return self._by_key("bodies")

    def bodies_to_make(self, items: Sequence[Item]) -> dict[str, str]:
        """The Markdown bodies the article pages show that no build has rendered yet, by `body_key`."""
        self._shown_bodies = republished_bodies(items)
        return {key: text for key, text in self._shown_bodies.items() if key not in self.bodies}

    @property
    def memo(self) -> Memo:
        if self._memo is None:
            from .digest import Memo

            entries = self._by_key("digest")
            self._memo = Memo.restored({part: {k[len(part) + 1 :]: v for k, v in entries.items() if k.startswith(f"{part}:")} for part in Memo.PARTS})
        return self._memo

    @property
    def compiled_templates(self) -> dict[str, bytes]:
        """Jinja2's compiled templates, by its own key (it checks each against its template's source)."""
        if self._templates is None:
            self._templates_loaded = self._stored(self._templates_file, {})
            self._templates = dict(self._templates_loaded)
        return self._templates

    def save(self, update: Update, items: Sequence[Item], counts: tuple[int, int, int], warnings: tuple[Problem, ...] = ()) -> None:
        """Record the site just written, and the stores that changed."""
        self.save_stores(items)
        self.save_search_stores()
        self.save_record(update, counts, warnings)

    def save_record(self, update: Update, counts: tuple[int, int, int], warnings: tuple[Problem, ...] = ()) -> None:
        """Record the site just written: each file's key, hash, size and modification time."""
        files = {}
        for path, entry in update.record.items():
            written = update.write.get(path)
            if isinstance(written, Staged):  # as the render worker wrote it: moving it in kept its status
                entry = entry._replace(size=written.size, mtime_ns=written.mtime_ns)
            elif written is not None:
                stat = os.stat(f"{self._output}/{path}")
                entry = entry._replace(size=stat.st_size, mtime_ns=stat.st_mtime_ns)
            files[path] = entry
        self.record = SiteRecord(self.inputs.key, files, counts, warnings)
        self._save(self._site_file, self.record)

    def save_stores(self, items: Sequence[Item]) -> None:
        """Save the stores that changed and are complete once the pages are rendered: all but the search
        index's (`save_search_stores`) and the site's record.

        Every store is looked up by content keys, so a store left as the
        previous build saved it is never wrong, only less useful.
        """
        # The stores now split by key were single files before: such files, left by an earlier version, go.
        for legacy in ("digest.pickle", "bodies.pickle", f"{self._postings_name}.pickle"):
            (self.folder / legacy).unlink(missing_ok=True)
        if self.inputs.signatures != self._known_inputs:
            self._save(self._inputs_file, dict(self.inputs.signatures))
        if self._articles is not None:
            self._articles.forget_missing()
            for number in sorted(self._articles.changed):
                self._save(self._shard_file(number), self._articles.shards[number])
        if self._parsed is not None and self._parsed.changed:
            self._save(self._parsed_file, self._parsed.used)
        if self._memo is not None and self._memo.changed:
            self._save_by_key("digest", {f"{part}:{k}": v for part, entries in self._memo.stored().items() for k, v in entries.items()})
        bodies, loaded = self._keyed.get("bodies", ({}, frozenset()))
        if bodies.keys() != loaded:
            wanted = self._shown_bodies if self._shown_bodies is not None else republished_bodies(items)
            self._save_by_key("bodies", {k: v for k, v in bodies.items() if k in wanted})
        if self._templates is not None and self._templates != self._templates_loaded:
            self._save(self._templates_file, self._templates)

    def load_search_stores(self) -> None:
        """Load what the search index keeps between builds now, rather than when the index is made."""
        self.search_docs, self.search_postings, self.search_chunks

    def save_search_stores(self) -> None:
        """Save what the search index keeps between builds, if it changed (see `save_stores`)."""
        if self._search_docs is not None:
            for number in sorted(self._search_docs.changed):
                self._save(self._search_docs_file(number), self._search_docs.shards[number])
            self._search_docs.changed.clear()
        self._save_by_key(self._postings_name)
        self._save_by_key(self._chunks_name)

    # -- deciding what to do

    def site_is_current(self) -> bool:
        """True when no input changed since the last build and its output is still as written."""
        return bool(self.record.files) and self.record.inputs_key == self.inputs.key and self._output_intact(self.record.files)

    def _output_intact(self, files: Mapping[str, OutputFile]) -> bool:
        return set(files) == set(output_files(self.config.output)) and all(self._as_written(p, e) for p, e in files.items())

    def survey_output(self) -> OutputSurvey:
        """The output folder's files, and those of the last build's no longer as it wrote them.

        Ten thousand files to list and look at: a rebuild's helper process does it while this one reads
        (see build.py), and this one is told the answer (`use_survey`). The folder does not change until the
        site is written: a build holds its lock throughout.
        """
        return OutputSurvey(output_files(self.config.output), frozenset(p for p, e in self.record.files.items() if not self._as_written(p, e)))

    def use_survey(self, survey: OutputSurvey) -> None:
        self._present = survey.present
        self._altered = survey.altered

    def _as_written(self, path: str, entry: OutputFile | None) -> bool:
        """Whether a file of the last build's (`entry` is its record) is still as it was written."""
        if entry is None:
            return False
        if self._altered is not None:
            return path not in self._altered
        try:
            stat = os.stat(f"{self._output}/{path}")  # plain strings: this runs for every file of the site
        except OSError:
            return False
        return stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def page_shas(self, pages: Sequence[Page], rendered: Mapping[str, bytes | Staged]) -> dict[str, str]:
        """The SHA-256 of each page, in order: of its new bytes where rendered, else as the last build wrote it."""
        old = self.record.files
        return {p.path: self._sha_of_page(rendered[p.path]) if p.path in rendered else old[p.path].sha for p in pages}

    def _sha_of_page(self, data: bytes | Staged) -> str:
        return data.sha if isinstance(data, Staged) else self._sha_of(data)

    def search_is_stale(self, shas: Mapping[str, str]) -> bool:
        """Whether the search index must be made again: it is made from the pages' bytes alone, so only when
        a page is new, gone or changed since the last build, or when its files are not as that build wrote them."""
        old = self.record.files
        if self.record.counts[2] != len(shas) or any((entry := old.get(path)) is None or entry.sha != sha for path, sha in shas.items()):
            return True
        return not self.kept_search_paths()

    def kept_search_paths(self) -> list[str]:
        """The search bundle's files as the last build wrote them, if they are all still so."""
        paths = [p for p in self.record.files if p.startswith(urls.SEARCH_BUNDLE)]
        return paths if all(self._as_written(p, self.record.files[p]) for p in paths) else []

    def kept_search_files(self) -> dict[str, bytes]:
        return {p: (self.config.output / p).read_bytes() for p in self.kept_search_paths()}

    def site_key(self) -> str:
        """What every page depends on besides its own context: program, templates, settings."""
        return combined([program_key(), repr(self.config.site), *(x for pair in self.inputs.under(self.config.templates) for x in pair)])

    def digest_memo(self, items: Sequence[Item]) -> Memo:
        """The digest's memo, told the content key of each item (so it can keep whole meetings' facts)."""
        memo = self.memo
        memo.item_keys = self.articles.item_keys(items)
        return memo

    def page_keys(self, pages: Sequence[Page], digest: Digest, records: Records) -> dict[str, str]:
        """Each page's key: what it is rendered from (`digest`, made from `records` and the items), taken apart."""
        items = [a.item for a in digest.articles]
        memo = self._memo
        known = dict(memo.item_keys) if memo is not None and memo.item_keys else self.articles.item_keys(items)
        if memo is not None:
            # A meeting's digest is determined by the key the memo kept its facts under.
            known.update((ident, f"meeting:{key}") for ident, (_, key) in memo.digest_keys.items())
            # So are its key points and officials, which other pages reach on their own (a topic's steps, a
            # person's meetings): the points' wordings hold copies of their sources, ten thousand to take apart.
            for meeting, key in memo.digest_keys.values():
                known.update((id(point), f"point:{key}:{n}") for n, point in enumerate(meeting.key_points.points))
                known.update((id(view), f"official:{key}:{n}") for n, view in enumerate(meeting.officials))
            # And who says a meeting dealt with a topic (``MeetingDigest.topic_sources``), in a topic's steps and in
            # the matrix of topics: the meeting's record and its reports on the topic, both under the meeting's key.
            key_of = {meeting.number: key for meeting, key in memo.digest_keys.values()}
            for topic in digest.topics:
                for step in topic.steps:
                    key = key_of.get(step.meeting.meeting.number)
                    if key is not None:
                        known[id(step.sources)] = f"sources:{key}:{topic.topic.slug}"
            for row in digest.matrix:
                for cell in row.cells:
                    key = key_of.get(cell.meeting.number)
                    if key is not None:
                        known[id(cell.sources)] = f"sources:{key}:{row.topic.topic.slug}"
        # An article as a meeting's report, and as the source of a fact, is determined by its item and its page:
        # keyed by those, not taken apart (see test_page_keys). Other sources are keyed by their value: a
        # meeting's facts kept by the memo hold copies of its sources.
        for meeting in digest.meetings:
            for ref in meeting.articles:
                item_key = known.get(id(ref.item))
                if item_key is not None:
                    known[id(ref)] = f"ref:{item_key}:{ref.path}"
                    source = ref.__dict__.get("source")  # made once asked for (a cached property)
                    if source is not None:
                        known[id(source)] = f"source:{item_key}:{ref.path}"
        fingerprint = Fingerprinter(known)
        of = fingerprint.of
        # The whole digest (the timeline, the topics and the people pages show it) is made from the curated records
        # and the items: keyed by those, not taken apart (it holds ninety thousand references to articles).
        item_keys = [key for article in digest.articles if (key := known.get(id(article.item))) is not None]
        if len(item_keys) == len(digest.articles):
            known[id(digest)] = joined(["digest", of(records), *item_keys])
        # So is an article's own page, with its meeting and its topics (shared by many articles: keyed once).
        for article in digest.articles:
            item_key = known.get(id(article.item))
            if item_key is not None:
                known[id(article)] = f"article:{item_key}:{article.path}:{of(article.meeting)}:{of(article.topics)}"
        site = self.site_key()
        return {p.path: joined([site, p.path, p.template, *[x for k, v in p.context.items() for x in (k, of(v))]]) for p in pages}

    def stale(self, pages: Sequence[Page], keys: Mapping[str, str]) -> list[Page]:
        """The pages to render: those whose inputs changed, or whose file is not as it was written."""
        old = self.record.files
        return [p for p in pages if not (old.get(p.path) and old[p.path].key == keys[p.path] and self._as_written(p.path, old[p.path]))]

    def last_sizes(self, pages: Sequence[Page]) -> list[int]:
        """The size of each page's file as the last build wrote it (0 for a new page): what it costs to render."""
        old = self.record.files
        return [entry.size if (entry := old.get(p.path)) is not None else 0 for p in pages]

    def update(self, keys: Mapping[str, str], rendered: Mapping[str, bytes | Staged], static: Mapping[str, bytes]) -> Update:
        """Compare what was rendered (the bytes, or the hash of a page staged already) with what the output folder holds."""
        old = self.record.files
        write: dict[str, bytes | Staged] = {}
        keep: set[str] = set()
        record: dict[str, OutputFile] = {}
        for path, data in [*rendered.items(), *static.items()]:
            sha = self._sha_of_page(data)
            entry = old.get(path)
            if entry is not None and entry.sha == sha and self._as_written(path, entry):
                keep.add(path)
                record[path] = entry._replace(key=keys.get(path, sha))
            else:
                write[path] = data
                record[path] = OutputFile(keys.get(path, sha), sha, 0, 0)
        for path, key in keys.items():
            if path not in record:  # fresh: not rendered at all
                keep.add(path)
                record[path] = old[path]
        if self._present is None:  # the output folder does not change until the site is written
            self._present = output_files(self.config.output)
        removed = tuple(sorted(set(self._present) - set(record)))
        return Update(write, frozenset(keep), removed, record)

    def _sha_of(self, data: bytes) -> str:
        """`sha256`, once per bytes object (a build compares most of its files twice: see build.py)."""
        known = self._shas.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        sha = sha256(data)
        self._shas[id(data)] = (data, sha)
        return sha


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


# Paths are stored as text and made again from their folder's path: unpickling a path the default way parses
# each of its parts again, which for the ten thousand articles' source paths took longer than the rest of them.
_PATH = type(Path())


def _path_from_text(text: str) -> Path:
    folder, _, name = text.rpartition("/")
    return _folder(folder) / name if folder and name else _PATH(text)


@functools.lru_cache(maxsize=256)
def _folder(text: str) -> Path:
    return _PATH(text)


def _record_parts(record: SiteRecord) -> tuple[Callable[..., SiteRecord], tuple]:
    """The site's record, its files' entries as columns: pickling ten thousand named tuples one by one (each
    through its class's Python code) took longer than the rest of an add-one rebuild's saving."""
    entries = record.files.values()
    columns = (list(record.files), [e.key for e in entries], [e.sha for e in entries], [e.size for e in entries], [e.mtime_ns for e in entries])
    return _record_from_parts, (record.inputs_key, columns, record.counts, record.warnings)


def _record_from_parts(inputs_key: str, columns: tuple[list, ...], counts: tuple[int, int, int], warnings: tuple[Problem, ...]) -> SiteRecord:
    paths, keys, shas, sizes, times = columns
    return SiteRecord(inputs_key, dict(zip(paths, map(OutputFile, keys, shas, sizes, times))), counts, warnings)


_DISPATCH = {**copyreg.dispatch_table, _PATH: lambda path: (_path_from_text, (str(path),)), SiteRecord: _record_parts}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Unpickling many small objects is several times faster without the cycle collector running.

    What was loaded lives as long as the build: it is moved out of the collector's sight
    (`gc.freeze`), or the first collection afterwards would walk all of it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
