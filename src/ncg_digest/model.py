"""The data model: what an article, a meeting and the vocabularies are.

Everything here is a frozen dataclass built by the reader and passed, as
plain data, to the digest and the renderer. Where a value came from (file,
line) travels with it but stays out of equality.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

SIDES = ("US", "ROK")
ROLES = ("co-chair", "other")
STATUSES = ("held", "planned")

# A publication date may be a day or a moment ("Dec 12, 2025, 09:16 am").
Published = dt.date | dt.datetime


def format_published(value: Published | None) -> str | None:
    """The form written to frontmatter: ``2025-12-12`` or ``2025-12-12 09:16``."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def published_day(value: Published | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@dataclass(frozen=True)
class Person:
    """An official as one source names them."""

    name: str  # canonical spelling, from the people vocabulary when known
    side: str | None = None  # "US", "ROK" or None when the text does not say
    role: str = "other"  # "co-chair" or "other"
    title: str | None = None  # the title as this source gives it
    written: str | None = None  # the spelling in the text, when it differs from `name`


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class Item:
    """One article: its frontmatter fields and its Markdown body."""

    slug: str
    title: str
    outlet: str | None = None
    published: Published | None = None
    meeting: int | None = None
    place: str | None = None
    people: tuple[Person, ...] = ()
    topics: tuple[str, ...] = ()
    quotes: tuple[Quote, ...] = ()
    summary: str | None = None
    rights: str | None = None
    republish: bool = False
    url: str | None = None
    author: str | None = None
    seed: str | None = None
    seed_sha256: str | None = None
    body: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The file it was read from, as text: a rebuild takes ten thousand items from the cache, and making a Path
    # object of each took longer than the rest of their unpickling.
    source: str | None = field(default=None, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)  # frontmatter key -> line in `source`

    @property
    def published_text(self) -> str | None:
        return format_published(self.published)

    @functools.cached_property
    def day(self) -> dt.date | None:
        """The day of publication (asked for every article by the feed, the exports and the timeline)."""
        return published_day(self.published)

    @property
    def co_chairs(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == "co-chair")


@dataclass(frozen=True)
class Official:
    """An official in the curated meeting record."""

    name: str
    side: str
    title: str | None = None
    role: str = "co-chair"  # "co-chair", or what else they did ("led the discussions")
    other_titles: tuple[str, ...] = ()  # titles other sources give them


@dataclass(frozen=True)
class Meeting:
    """The curated record of one NCG meeting (content/meetings.yml)."""

    number: int
    status: str  # "held" or "planned"
    date: dt.date | None = None
    planned: str | None = None  # approximate time of a planned meeting, as announced
    city: str | None = None
    led_by: str | None = None
    officials: tuple[Official, ...] = ()
    outcomes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    note: str | None = None
    confidence: str | None = None
    sources: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)

    @property
    def co_chairs(self) -> tuple[Official, ...]:
        return tuple(o for o in self.officials if o.role == "co-chair")

    @property
    def title(self) -> str:
        return f"{ordinal_word(self.number).capitalize()} NCG meeting"


@dataclass(frozen=True)
class Event:
    """A dated event on the timeline that is not an NCG meeting."""

    kind: str  # "founding" or "related"
    name: str
    date: dt.date
    what: str
    city: str | None = None
    confidence: str | None = None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicDef:
    slug: str
    name: str
    description: str = ""
    synonyms: tuple[str, ...] = ()  # matched without regard to case
    acronyms: tuple[str, ...] = ()  # matched exactly, case and all


@dataclass(frozen=True)
class PersonDef:
    name: str
    side: str | None
    variants: tuple[str, ...] = ()
    kind: str = "official"  # "official", "minister" or "head-of-state"
    sources: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.variants)


@dataclass(frozen=True)
class OutletDef:
    name: str
    aliases: tuple[str, ...] = ()
    url: str | None = None
    # Only an outlet whose terms allow it (e.g. a government work in the public
    # domain) is republished in full; news outlets are summarised and linked.
    republish: bool = False

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class PlaceDef:
    name: str
    aliases: tuple[str, ...] = ()
    side: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Vocabulary:
    topics: tuple[TopicDef, ...] = ()
    people: tuple[PersonDef, ...] = ()
    outlets: tuple[OutletDef, ...] = ()
    places: tuple[PlaceDef, ...] = ()

    def topic(self, slug: str) -> TopicDef | None:
        return self._topics_by_slug.get(slug)

    @functools.cached_property
    def topic_slugs(self) -> frozenset[str]:
        """Every topic's slug (ten thousand articles' topics are checked against them at each build)."""
        return frozenset(self._topics_by_slug)

    def __hash__(self) -> int:
        # A vocabulary keys several caches, asked thousands of times a build: hashed once, not field by field each time.
        return self._hash

    @functools.cached_property
    def _hash(self) -> int:
        return hash((self.topics, self.people, self.outlets, self.places))

    def __getstate__(self) -> dict[str, Any]:
        """Its fields only: what is worked out from them (the hash above among it) belongs to one process."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @functools.cached_property
    def _topics_by_slug(self) -> dict[str, TopicDef]:
        found: dict[str, TopicDef] = {}
        for topic in self.topics:
            found.setdefault(topic.slug, topic)  # the first of a slug written twice, as a search from the start finds
        return found

    def person(self, name: str) -> PersonDef | None:
        return self._people_by_key.get(name_key(name))

    @functools.cached_property
    def _people_by_key(self) -> dict[str, PersonDef]:
        """Each spelling's key, to the first person spelled that way."""
        found: dict[str, PersonDef] = {}
        for person in self.people:
            for spelling in person.spellings:
                found.setdefault(name_key(spelling), person)
        return found

    def outlet(self, name: str) -> OutletDef | None:
        key = name.casefold()
        return next((o for o in self.outlets if any(s.casefold() == key for s in o.spellings)), None)


@dataclass(frozen=True)
class Records:
    """The curated side of content/: meetings, events and vocabularies."""

    meetings: tuple[Meeting, ...]
    events: tuple[Event, ...]
    vocabulary: Vocabulary

    def meeting(self, number: int | None) -> Meeting | None:
        return self._meetings_by_number.get(number)

    @functools.cached_property
    def _meetings_by_number(self) -> dict[int, Meeting]:
        found: dict[int, Meeting] = {}
        for meeting in self.meetings:
            found.setdefault(meeting.number, meeting)
        return found


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """Compare names regardless of case, hyphens and spaces.

    Korean names are romanised inconsistently ("Kim Hong-cheol", "Kim Hong Cheol",
    "Kim Hongcheol"); this key makes those spellings of one name equal. Spellings
    that differ in letters ("Cho Chang-rae" / "Cho Chang Lae") need the people
    vocabulary.
    """
    return "".join(ch for ch in name.casefold() if ch.isalnum())


ORDINAL_WORDS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
    "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
    "eighteenth nineteenth twentieth"
).split()


def ordinal_word(number: int) -> str:
    if 0 < number < len(ORDINAL_WORDS):
        return ORDINAL_WORDS[number]
    return ordinal_suffix(number)


def ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
