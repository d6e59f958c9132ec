"""Reading the project folder: site settings, vocabularies, meetings, articles.

The only module that reads content/. Every problem found is collected with
its file and line, and all of them are raised together at the end.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

import yaml
from frontmatter.default_handlers import YAMLHandler

from . import config as cfg
from .config import Config, SiteConfig, site_config_from
from .decode import decode_text
from .errors import NcgError, Problem
from .inputs import Folder, is_article_name, read_ahead, read_input
from .model import (
    ROLES,
    SIDES,
    STATUSES,
    Event,
    Item,
    Meeting,
    Official,
    OutletDef,
    Person,
    PersonDef,
    PlaceDef,
    Published,
    Quote,
    Records,
    TopicDef,
    Vocabulary,
)
from .parallel import forked_map
from .text import slugify
from .yamlsafe import FastGuardedLoader, GuardedLoader, needs_no_guard

# The frontmatter fields the program knows; any other key is kept in `extra`.
ITEM_FIELDS = (
    "title",
    "slug",
    "outlet",
    "author",
    "published",
    "meeting",
    "place",
    "people",
    "topics",
    "quotes",
    "summary",
    "rights",
    "republish",
    "url",
    "seed",
    "seed_sha256",
)


# --------------------------------------------------------------------------
# YAML with line numbers


class LineDict(dict):
    """A mapping read from YAML that remembers the line it started on, and each key's line."""

    line: int | None = None
    key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int | None:
        return self.key_lines.get(key, self.line)

    def shift(self, offset: int) -> None:
        """Move every line number by `offset` (the frontmatter's place in its file)."""
        if self.line is not None:
            self.line += offset
        self.key_lines = {k: v + offset for k, v in self.key_lines.items()}
        for value in self.values():
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, LineDict):
                    child.shift(offset)


class _LineLoader(GuardedLoader):
    pass


class _FastLineLoader(FastGuardedLoader):  # type: ignore[misc, valid-type]
    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """A plain scalar's tag (str, int, timestamp…), remembered: frontmatter repeats its keys and values."""
        if kind is not yaml.ScalarNode:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = _RESOLVED.get(key)
        if tag is None:
            if len(_RESOLVED) > 100_000:
                _RESOLVED.clear()
            tag = _RESOLVED[key] = super().resolve(kind, value, implicit)
        return tag


# The implicit tag of each scalar seen (no path resolvers are registered, so it depends on nothing else).
_RESOLVED: dict[tuple[Any, Any], str] = {}


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)
    }
    return mapping


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_with_lines(text: str) -> Any:
    """YAML `text` with line numbers on its mappings.

    libyaml reads it when nothing in it needs the composer's guards (see
    yamlsafe.py); a document it refuses is read again by the Python loader,
    whose error messages are the ones users see.
    """
    if needs_no_guard(text):
        try:
            return _load_fast(text)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


def _load_fast(text: str) -> Any:
    """libyaml composes the document; its nodes become values in one direct pass when they can."""
    loader = _FastLineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain_value(loader, node)
        except _NotPlain:
            return loader.construct_document(node)
    finally:
        loader.dispose()


class _NotPlain(Exception):
    """A node the direct pass leaves to the full constructor (its errors, merge keys, other tags)."""


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp"))


def _plain_value(loader: _FastLineLoader, node: yaml.Node) -> Any:
    """What the constructor makes of `node` (a LineDict for a mapping), without its generic machinery.

    Only for text `needs_no_guard` accepted, so there is no anchor or alias to
    share and nesting is shallow. Anything but strings, numbers, booleans,
    nulls, timestamps, lists and mappings with hashable keys is left to the
    full constructor, which gives the same value or the same error.
    """
    tag = node.tag
    if tag == _STR:
        return node.value
    if tag == _MAP:
        mapping = LineDict()
        lines = {}
        for key_node, value_node in node.value:
            key = _plain_value(loader, key_node)
            if type(key) is str:
                key = sys.intern(key)  # the same few keys in every file: one string each (see `shared`)
            try:
                mapping[key] = _plain_value(loader, value_node)
            except TypeError:  # an unhashable key
                raise _NotPlain from None
            if isinstance(key_node, yaml.ScalarNode):
                lines[key if type(key) is str else key_node.value] = key_node.start_mark.line + 1
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = lines
        return mapping
    if tag == _SEQ:
        return [_plain_value(loader, child) for child in node.value]
    if tag in _SCALAR_TAGS and isinstance(node, yaml.ScalarNode):
        return loader.yaml_constructors[tag](loader, node)
    raise _NotPlain


def yaml_problem(error: yaml.YAMLError, path: Path, line_offset: int = 0) -> Problem:
    # "while parsing a flow sequence" points where the sequence opened: the line to fix.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    message = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    if context:
        message = f"{context}, {message}"
    line = mark.line + 1 + line_offset if mark else None
    column = mark.column + 1 if mark else None
    return Problem(f"invalid YAML: {message}", path, line, column)


def read_text(path: Path, limit: int = cfg.DEFAULT_MAX_INPUT_BYTES, within: Path | None = None) -> str:
    """The text of an input file (see decode.py), or an NcgError; `within` is the folder it must not leave."""
    return decode_text(read_input(path, limit, within), path)


class ParsedCache(Protocol):
    """Data files' YAML kept from an earlier run, by the SHA-256 of the bytes it was read from."""

    def get(self, sha256: str) -> Any: ...

    def put(self, sha256: str, value: Any) -> None: ...


def load_yaml_file(path: Path, limit: int = cfg.DEFAULT_MAX_INPUT_BYTES, cache: ParsedCache | None = None) -> Any:
    """The YAML of a data file; with a cache, a file read before in these very bytes is not parsed again."""
    data = read_input(path, limit, path.parent)
    sha = hashlib.sha256(data).hexdigest() if cache is not None else ""
    if cache is not None and (value := cache.get(sha)) is not None:
        return value
    try:
        value = load_with_lines(decode_text(data, path))
    except yaml.YAMLError as error:
        raise NcgError(yaml_problem(error, path)) from None
    if cache is not None:
        cache.put(sha, value)
    return value


# --------------------------------------------------------------------------
# Field checks shared by every data file


class Checker:
    """Collects problems while values are converted, so all are reported at once."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, message: str, line: int | None = None, hint: str | None = None) -> None:
        self.problems.append(Problem(message, self.path, line, hint=hint))

    def text(self, data: dict, key: str, line: int | None, *, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"missing {key!r}", line)
            return None
        if isinstance(value, (dict, list)) or isinstance(value, bool):
            self.fail(f"{key!r} must be text, not {type(value).__name__}", line)
            return None
        return str(value).strip()

    def texts(self, data: dict, key: str, line: int | None) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.fail(f"{key!r} must be a list of text", line)
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def choice(self, data: dict, key: str, choices: Iterable[str], line: int | None, default: str | None) -> str | None:
        value = data.get(key, default)
        if value is None:
            return default
        choices = tuple(choices)
        if value not in choices:
            self.fail(f"{key!r} must be one of {', '.join(choices)}, not {value!r}", line)
            return default
        return value

    def number(self, data: dict, key: str, line: int | None, *, required: bool = False) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"missing {key!r}", line)
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.fail(f"{key!r} must be a whole number such as 5, not {value!r}", line)
            return None
        return value

    def day(self, data: dict, key: str, line: int | None, *, required: bool = False) -> dt.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(f"missing {key!r}", line)
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{key!r} must be a date written YYYY-MM-DD, not {value!r}", line)
            return None

    def url(self, value: Any, key: str, line: int | None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not re.match(r"https?://[^\s<>\"']+$", value.strip()):
            self.fail(f"{key!r} must be an http:// or https:// address, not {value!r}", line)
            return None
        return value.strip()

    def urls(self, data: dict, key: str, line: int | None) -> tuple[str, ...]:
        found = (self.url(u, key, line) for u in self.texts(data, key, line))
        return tuple(u for u in found if u)

    def mappings(self, value: Any, what: str, line: int | None) -> list[LineDict]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(f"{what} must be a list", line)
            return []
        good = []
        for entry in value:
            if isinstance(entry, dict):
                good.append(entry)
            else:
                self.fail(f"each entry of {what} must be a mapping of keys to values, not {entry!r}", line)
        return good


def line_of(data: Any, fallback: int | None = None) -> int | None:
    return getattr(data, "line", None) or fallback


# --------------------------------------------------------------------------
# Site settings and vocabularies


def load_config(root: Path, output: Path | None = None) -> Config:
    root = root.resolve()
    path = root / cfg.CONTENT_DIR / cfg.SITE_FILE
    data = load_yaml_file(path) if path.exists() else {}
    if data is not None and not isinstance(data, dict):
        raise NcgError(Problem("site settings must be a mapping of keys to values", path, 1))
    site: SiteConfig = site_config_from(data, path)
    return Config(root=root, site=site, output=(output or root / cfg.OUTPUT_DIR).resolve())


def _read_list(path: Path, limit: int, cache: ParsedCache | None = None) -> list[LineDict]:
    if not path.exists():
        return []
    data = load_yaml_file(path, limit, cache)
    if data is None:
        return []
    if not isinstance(data, list):
        raise NcgError(Problem("this file must be a list of entries (each line starting with '- ')", path, 1))
    return data


def _vocabulary_file(
    path: Path, limit: int, build: Callable[[Checker, LineDict], Any], cache: ParsedCache | None = None
) -> tuple[list[Any], list[Problem]]:
    try:
        entries = _read_list(path, limit, cache)
    except NcgError as error:
        return [], error.problems
    check = Checker(path)
    built = [build(check, e) for e in check.mappings(entries, "the list", 1)]
    return [b for b in built if b is not None], check.problems


def _topic(check: Checker, e: LineDict) -> TopicDef | None:
    slug, name = check.text(e, "slug", e.line, required=True), check.text(e, "name", e.line, required=True)
    if slug and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        check.fail(f"topic slug {slug!r} must be lower-case letters, digits and hyphens", e.line)
        return None
    if not (slug and name):
        return None
    return TopicDef(
        slug, name, check.text(e, "description", e.line) or "", check.texts(e, "synonyms", e.line), check.texts(e, "acronyms", e.line)
    )


def _person(check: Checker, e: LineDict) -> PersonDef | None:
    name = check.text(e, "name", e.line, required=True)
    side = check.choice(e, "side", SIDES, e.line, None)
    kind = check.choice(e, "kind", ("official", "minister", "head-of-state"), e.line, "official")
    if not name:
        return None
    return PersonDef(name, side, check.texts(e, "variants", e.line), kind or "official", check.urls(e, "sources", e.line))


def _outlet(check: Checker, e: LineDict) -> OutletDef | None:
    name = check.text(e, "name", e.line, required=True)
    republish = e.get("republish", False)
    if not isinstance(republish, bool):
        check.fail("'republish' must be true or false", e.line)
        republish = False
    if not name:
        return None
    return OutletDef(name, check.texts(e, "aliases", e.line), check.url(e.get("url"), "url", e.line), republish)


def _place(check: Checker, e: LineDict) -> PlaceDef | None:
    name = check.text(e, "name", e.line, required=True)
    side = check.choice(e, "side", SIDES, e.line, None)
    return PlaceDef(name, check.texts(e, "aliases", e.line), side) if name else None


def load_vocabulary(config: Config, cache: ParsedCache | None = None) -> Vocabulary:
    problems: list[Problem] = []
    parts = {}
    for key, file_name, build in (
        ("topics", cfg.TOPICS_FILE, _topic),
        ("people", cfg.PEOPLE_FILE, _person),
        ("outlets", cfg.OUTLETS_FILE, _outlet),
        ("places", cfg.PLACES_FILE, _place),
    ):
        values, found = _vocabulary_file(config.data_file(file_name), config.site.max_input_bytes, build, cache)
        parts[key] = tuple(values)
        problems += found
    if problems:
        raise NcgError(problems)
    return Vocabulary(**parts)


# --------------------------------------------------------------------------
# Meetings and events


def _officials(check: Checker, entries: Any, role: str | None, line: int | None) -> list[Official]:
    officials = []
    for e in check.mappings(entries, "co_chairs" if role else "others", line):
        name = check.text(e, "name", e.line, required=True)
        side = check.choice(e, "side", SIDES, e.line, None)
        if side is None and name:
            check.fail(f"official {name!r} needs 'side: US' or 'side: ROK'", e.line)
        if name and side:
            officials.append(
                Official(
                    name,
                    side,
                    check.text(e, "title", e.line),
                    role or check.text(e, "role", e.line) or "other",
                    check.texts(e, "other_titles", e.line),
                )
            )
    return officials


def _meeting(check: Checker, e: LineDict) -> Meeting | None:
    number = check.number(e, "number", e.line, required=True)
    status = check.choice(e, "status", STATUSES, e.line, "held")
    date = check.day(e, "date", e.line)
    planned = check.text(e, "planned", e.line)
    if status == "held" and date is None and "date" in e and e.get("date") is None:
        check.fail(f"meeting {number} is held but has no date", e.line, hint="add 'date: YYYY-MM-DD' or 'status: planned'")
    if status == "planned" and date is None and planned is None:
        check.fail(f"planned meeting {number} needs a date or 'planned: <when>'", e.line)
    officials = _officials(check, e.get("co_chairs"), "co-chair", e.line) + _officials(check, e.get("others"), None, e.line)
    if number is None:
        return None
    return Meeting(
        number=number,
        status=status or "held",
        date=date,
        planned=planned,
        city=check.text(e, "city", e.line),
        led_by=check.text(e, "led_by", e.line),
        officials=tuple(officials),
        outcomes=check.texts(e, "outcomes", e.line),
        topics=check.texts(e, "topics", e.line),
        note=check.text(e, "note", e.line),
        confidence=check.text(e, "confidence", e.line),
        sources=check.urls(e, "sources", e.line),
        line=e.line,
    )


def _event(check: Checker, e: LineDict, kind: str) -> Event | None:
    name = check.text(e, "name", e.line, required=True)
    date = check.day(e, "date", e.line, required=True)
    what = check.text(e, "what", e.line, required=True)
    if not (name and date and what):
        return None
    return Event(
        kind=kind,
        name=name,
        date=date,
        what=what,
        city=check.text(e, "city", e.line),
        confidence=check.text(e, "confidence", e.line),
        sources=check.urls(e, "sources", e.line),
    )


def load_records(config: Config, vocabulary: Vocabulary, cache: ParsedCache | None = None) -> Records:
    path = config.data_file(cfg.MEETINGS_FILE)
    data = load_yaml_file(path, config.site.max_input_bytes, cache) if path.exists() else {}
    data = data or {}
    if not isinstance(data, dict):
        raise NcgError(Problem("meetings.yml must be a mapping with 'meetings:', 'founding:' and 'related_events:'", path, 1))
    check = Checker(path)
    meetings = [m for m in (_meeting(check, e) for e in check.mappings(data.get("meetings"), "meetings", 1)) if m]
    events: list[Event] = []
    founding = data.get("founding")
    if founding is not None:
        if isinstance(founding, dict):
            events.append(_event(check, founding, "founding"))
        else:
            check.fail("'founding' must be a mapping", 1)
    events += [_event(check, e, "related") for e in check.mappings(data.get("related_events"), "related_events", 1)]
    seen: dict[int, Meeting] = {}
    for meeting in meetings:
        if meeting.number in seen:
            check.fail(f"meeting {meeting.number} is listed twice (also on line {seen[meeting.number].line})", meeting.line)
        seen[meeting.number] = meeting
        for slug in meeting.topics:
            if vocabulary.topic(slug) is None:
                check.fail(f"unknown topic {slug!r}", meeting.line, hint=_known_topics(vocabulary))
    if check.problems:
        raise NcgError(check.problems)
    return Records(
        meetings=tuple(sorted(seen.values(), key=lambda m: m.number)),
        events=tuple(e for e in events if e is not None),
        vocabulary=vocabulary,
    )


def _known_topics(vocabulary: Vocabulary) -> str:
    return "known topics: " + ", ".join(t.slug for t in vocabulary.topics)


# --------------------------------------------------------------------------
# Articles


def parse_published(value: Any) -> Published | None:
    """A frontmatter `published` value: a date, a date-time, or text in ISO form."""
    if value is None or isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if isinstance(value, dt.datetime) else None
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=None, second=0, microsecond=0)


@dataclass(frozen=True)
class ParsedArticle:
    """An article as its file states it, before it is checked against the curated records.

    The lines of `meeting` and `topics` are kept so that a reference to a
    meeting or topic that does not exist is reported where it was written.
    """

    item: Item
    meeting_line: int | None = None
    topics_line: int | None = None


def reference_problems(parsed: ParsedArticle, records: Records) -> list[Problem]:
    """The article's meeting and topics, checked against meetings.yml and topics.yml."""
    meeting = parsed.item.meeting
    if (meeting is None or records.meeting(meeting) is not None) and records.vocabulary.topic_slugs.issuperset(parsed.item.topics):
        return []  # as for nearly every article: said at once, without making a checker
    check = Checker(Path(parsed.item.source or "?"))
    if meeting is not None and records.meeting(meeting) is None:
        known = ", ".join(str(m.number) for m in records.meetings)
        check.fail(f"meeting {meeting} has no record in meetings.yml", parsed.meeting_line, hint=f"known meetings: {known}")
    for slug in parsed.item.topics:
        if records.vocabulary.topic(slug) is None:
            check.fail(f"unknown topic {slug!r}", parsed.topics_line, hint=_known_topics(records.vocabulary))
    return check.problems


def item_from(metadata: dict, body: str, path: Path, records: Records, line: int | None = 1) -> tuple[Item | None, list[Problem]]:
    """Check one article's frontmatter and build its Item."""
    parsed, problems = parse_item(metadata, body, path, line)
    if parsed is None:
        return None, problems
    problems = reference_problems(parsed, records)
    return (None, problems) if problems else (parsed.item, [])


def parse_item(metadata: dict, body: str, path: Path, line: int | None = 1) -> tuple[ParsedArticle | None, list[Problem]]:
    """Check one article's frontmatter on its own and build its Item."""
    check = Checker(path)

    def at(key: str) -> int | None:
        return metadata.line_of(key) if isinstance(metadata, LineDict) else line

    title = check.text(metadata, "title", at("title"), required=True)
    slug = check.text(metadata, "slug", at("slug")) or slug_of_file(path)
    if not re.fullmatch(r"[\w][\w.\-]*", slug) or ".." in slug:
        check.fail(f"slug {slug!r} may hold only letters, digits, '.', '-' and '_'", at("slug"))
    try:
        published = parse_published(metadata.get("published"))
    except (ValueError, TypeError):
        check.fail(f"'published' must be a date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM), not {metadata.get('published')!r}", at("published"))
        published = None
    meeting = check.number(metadata, "meeting", at("meeting"))
    people = []
    for p in check.mappings(metadata.get("people"), "'people'", at("people")):
        where = line_of(p, at("people"))
        name = check.text(p, "name", where, required=True)
        side = check.choice(p, "side", SIDES, where, None)
        role = check.choice(p, "role", ROLES, where, "other")
        if name:
            people.append(Person(shared(name), shared(side), shared(role or "other"), shared(check.text(p, "title", where)), check.text(p, "written", where)))
    topics = check.texts(metadata, "topics", at("topics"))
    quotes = []
    raw_quotes = metadata.get("quotes") or []
    if not isinstance(raw_quotes, list):
        check.fail("'quotes' must be a list", at("quotes"))
        raw_quotes = []
    for q in raw_quotes:
        if isinstance(q, str):
            quotes.append(Quote(q))
        elif isinstance(q, dict) and check.text(q, "text", line_of(q, at("quotes")), required=True):
            quotes.append(Quote(check.text(q, "text", None) or "", shared(check.text(q, "speaker", line_of(q, at("quotes"))))))
        elif not isinstance(q, dict):
            check.fail(f"each quote must be text or {{text, speaker}}, not {q!r}", at("quotes"))
    republish = metadata.get("republish", False)
    if not isinstance(republish, bool):
        check.fail("'republish' must be true or false", at("republish"))
        republish = False
    if check.problems or title is None:
        return None, check.problems
    item = Item(
        slug=slug,
        title=title,
        outlet=shared(check.text(metadata, "outlet", at("outlet"))),
        published=published,
        meeting=meeting,
        place=shared(check.text(metadata, "place", at("place"))),
        people=tuple(people),
        topics=tuple(dict.fromkeys(map(sys.intern, topics))),
        quotes=tuple(quotes),
        summary=check.text(metadata, "summary", at("summary")),
        rights=shared(check.text(metadata, "rights", at("rights"))),
        republish=republish,
        url=check.url(metadata.get("url"), "url", at("url")),
        author=shared(check.text(metadata, "author", at("author"))),
        seed=check.text(metadata, "seed", at("seed")),
        seed_sha256=check.text(metadata, "seed_sha256", at("seed_sha256")),
        body=body,
        extra={k: v for k, v in metadata.items() if k not in ITEM_FIELDS},
        source=str(path),
        lines=dict(metadata.key_lines) if isinstance(metadata, LineDict) else {},
    )
    if check.problems:
        return None, check.problems
    return ParsedArticle(item, at("meeting"), at("topics")), []


def shared(text: str | None) -> str | None:
    """One string for each value many articles repeat (an outlet, a person, a topic), however many files say it.

    Then the build cache stores each once per file of articles, not once per article, and loads ten thousand
    articles faster; they take less memory too.
    """
    return None if text is None else sys.intern(text)


def slug_of_file(path: Path) -> str:
    """The page name of an article without a `slug:`: its file name, made URL-safe when it is not."""
    stem = path.stem
    return stem if re.fullmatch(r"[\w][\w.\-]*", stem) and ".." not in stem else slugify(stem)


class _FrontmatterHandler(YAMLHandler):
    """python-frontmatter's YAML handler, loading with line numbers (and only safe tags)."""

    def load(self, fm: str, **kwargs: Any) -> Any:
        return load_with_lines(fm)


_HANDLER = _FrontmatterHandler()


def parse_article(text: str, path: Path) -> tuple[dict, str]:
    """Split a content file into its frontmatter mapping and Markdown body."""
    text = text.lstrip("\ufeff")
    stripped = text.strip()
    if not stripped:
        what = "holds only white space" if text else "is empty"
        raise NcgError(Problem(f"the file {what}", path, 1, hint="an article starts with frontmatter between '---' lines, with at least 'title:'"))
    leading = text[: len(text) - len(text.lstrip())].count("\n")
    if not _HANDLER.detect(stripped):
        return {}, stripped
    try:
        fm, body = _HANDLER.split(stripped)
    except ValueError:
        raise NcgError(
            Problem("the frontmatter is not closed", path, leading + 1, hint="add a line '---' after the last field")
        ) from None
    try:
        metadata = _HANDLER.load(fm)
    except yaml.YAMLError as error:
        raise NcgError(yaml_problem(error, path, line_offset=leading)) from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise NcgError(Problem("the frontmatter must be a mapping of keys to values", path, leading + 2))
    if leading and isinstance(metadata, LineDict):
        metadata.shift(leading)
    return metadata, body.strip()


def article_paths(config: Config) -> list[Path]:
    return [Path(text) for text in article_files(config)]


def article_files(config: Config) -> list[str]:
    """The paths of content/articles/*.md, as text, in file-name order.

    Text rather than paths: a rebuild looks most articles up in its cache by
    path, and making ten thousand Path objects costs more than the lookups.
    """
    folder = config.articles
    if not folder.is_dir():
        return []
    names = sorted(e.name for e in os.scandir(folder) if is_article_name(e.name))
    inside = os.path.join(folder, "")  # the folder and a separator: joined once, not once a name
    return [inside + name for name in names]


class ArticleCache(Protocol):
    """Parsed articles kept from an earlier run, looked up by the file's current content."""

    def get(self, path: str) -> ParsedArticle | None: ...

    def put(self, path: str, sha256: str, parsed: ParsedArticle) -> None: ...


# Parsing this many changed articles or more is shared out between worker processes.
PARALLEL_FROM = 500

Read = tuple[str | None, ParsedArticle | None, list[Problem]]


def read_article(path: Path, config: Config, content: Folder | None = None) -> Read:
    """One article file: the SHA-256 of its bytes, and the article parsed from them (or the problems).

    `content` is the content folder, when many articles are read from it.
    """
    try:
        data = read_input(path, config.site.max_input_bytes, within=content or config.content)
        metadata, body = parse_article(decode_text(data, path), path)
    except NcgError as error:
        return None, None, error.problems
    parsed, problems = parse_item(metadata, body, path)
    return hashlib.sha256(data).hexdigest(), parsed, problems


def read_many(paths: list[str], config: Config) -> Iterator[Read]:
    """`read_article` for each path, in order; on every core when there are many (which are read ahead)."""
    read = functools.partial(_read_named, config=config, content=Folder(config.content))
    if len(paths) < PARALLEL_FROM:
        yield from map(read, paths)
        return
    with read_ahead(paths):
        yield from forked_map(read, paths)


def _read_named(path: str, config: Config, content: Folder) -> Read:
    return read_article(Path(path), config, content)  # the Path made where the article is read (in a worker)


def load_articles(
    config: Config, records: Records, cache: ArticleCache | None = None, progress: Callable[[int], None] | None = None
) -> list[Item]:
    """Every content/articles/*.md, in file-name order; all problems raised together.

    With a cache, an article whose file is unchanged is not parsed again; it is
    still checked against the current meetings and topics.
    """
    paths = article_files(config)
    found: dict[str, ParsedArticle] = {}
    if cache is not None:
        found = {path: parsed for path in paths if (parsed := cache.get(path)) is not None}
    problems: dict[str, list[Problem]] = {}
    missing = [path for path in paths if path not in found]
    for done, (path, (sha, parsed, trouble)) in enumerate(zip(missing, read_many(missing, config)), len(found) + 1):
        problems[path] = trouble
        if parsed is not None and sha is not None:
            found[path] = parsed
            if cache is not None:
                cache.put(path, sha, parsed)  # the hash of the very bytes that were parsed
        if progress is not None:
            progress(done)
    items: list[Item] = []
    reported: list[Problem] = []
    for path in paths:
        reported += problems.get(path, [])
        parsed = found.get(path)
        if parsed is None:
            continue
        trouble = reference_problems(parsed, records)
        reported += trouble
        if not trouble:
            items.append(parsed.item)
    if reported:
        raise NcgError(reported)
    return items


@dataclass(frozen=True)
class Project:
    """Everything read from a project folder, before any digesting."""

    config: Config
    records: Records
    items: tuple[Item, ...]


def load_project(
    config: Config, cache: ArticleCache | None = None, progress: Callable[[int], None] | None = None, data: ParsedCache | None = None
) -> Project:
    """Read all of content/, collecting the problems of every file before raising.

    `cache` keeps parsed articles between runs, and `data` the YAML of the data files.
    """
    problems: list[Problem] = []
    try:
        vocabulary = load_vocabulary(config, data)
    except NcgError as error:
        problems += error.problems
        vocabulary = Vocabulary()
    try:
        records = load_records(config, vocabulary, data)
    except NcgError as error:
        problems += error.problems
        records = Records((), (), vocabulary)
    try:
        items = load_articles(config, records, cache, progress)
    except NcgError as error:
        problems += error.problems
        items = []
    if problems:
        raise NcgError(problems)
    return Project(config, records, tuple(items))
