"""From items and curated records to the site's structure: timeline, meetings, topics.

Pure: a :class:`~ncg_digest.read.Project` goes in, a :class:`Digest` comes
out. Each meeting gathers the articles that reported it, and every fact
keeps the names of the sources that stated it, so where sources disagree
the site can show each version with who said it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from . import urls
from .extract import topics_from
from .model import Event, Item, Meeting, Person, Quote, Records, TopicDef, name_key

RECORD_LABEL = "Curated record"


@dataclass(frozen=True)
class Source:
    """Who stated a fact: the curated record (with its URLs) or an article."""

    label: str
    page: str | None = None  # site path of the article page
    links: tuple[str, ...] = ()  # external URLs the curated record rests on


@dataclass(frozen=True)
class Claim:
    value: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Fact:
    """One fact about a meeting as each source states it; more than one claim is a disagreement."""

    label: str
    claims: tuple[Claim, ...]

    @property
    def disputed(self) -> bool:
        return len(self.claims) > 1


@dataclass(frozen=True)
class OfficialView:
    """An official at a meeting: their role, and how each source spells and titles them."""

    name: str
    side: str | None
    role: str
    titles: Fact
    spellings: Fact

    @property
    def disputed(self) -> bool:
        return self.titles.disputed or self.spellings.disputed


@dataclass(frozen=True)
class SourcedQuote:
    quote: Quote
    item: Item
    path: str


@dataclass(frozen=True)
class ArticleRef:
    item: Item
    path: str

    @functools.cached_property
    def source(self) -> Source:
        """The article as the source of a fact (one object, however many facts it states)."""
        return Source(self.item.outlet or self.item.title, self.path)


@dataclass(frozen=True)
class MeetingDigest:
    meeting: Meeting
    path: str
    articles: tuple[ArticleRef, ...]
    topics: tuple[TopicDef, ...]
    officials: tuple[OfficialView, ...]
    place: Fact | None
    quotes: tuple[SourcedQuote, ...]

    @property
    def number(self) -> int:
        return self.meeting.number

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.item.outlet for a in self.articles if a.item.outlet))

    @property
    def co_chairs(self) -> tuple[OfficialView, ...]:
        return tuple(o for o in self.officials if o.role == "co-chair")

    @property
    def disputes(self) -> tuple[OfficialView, ...]:
        return tuple(o for o in self.officials if o.disputed)


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "founding", "meeting" or "related"
    date: dt.date | None
    when: str  # what the timeline says for the date ("first half of 2026" for a planned meeting)
    event: Event | None = None
    meeting: MeetingDigest | None = None

    @property
    def anchor(self) -> str:
        if self.meeting:
            return f"ncg-{self.meeting.number}"
        assert self.event is not None
        return f"{self.kind}-{self.event.date.isoformat()}"


@dataclass(frozen=True)
class ArticleDigest:
    item: Item
    path: str
    meeting: MeetingDigest | None
    topics: tuple[TopicDef, ...]


@dataclass(frozen=True)
class TopicDigest:
    topic: TopicDef
    path: str
    meetings: tuple[MeetingDigest, ...]
    articles: tuple[ArticleRef, ...]


@dataclass(frozen=True)
class Digest:
    timeline: tuple[TimelineEntry, ...]
    meetings: tuple[MeetingDigest, ...]
    articles: tuple[ArticleDigest, ...]
    topics: tuple[TopicDigest, ...]

    @property
    def unassigned(self) -> tuple[ArticleDigest, ...]:
        """Articles that report no NCG meeting (fact sheets, declarations…)."""
        return tuple(a for a in self.articles if a.meeting is None)


# --------------------------------------------------------------------------
# Sorting and approximate dates


_HALF = re.compile(r"\b(first|second)\s+half\s+of\s+(\d{4})\b", re.I)
_QUARTER = re.compile(r"\b(first|second|third|fourth)\s+quarter\s+of\s+(\d{4})\b", re.I)
_YEAR = re.compile(r"\b(early|mid|late)?[\s-]*(\d{4})\b", re.I)


def approximate_start(text: str | None) -> dt.date | None:
    """The first day of an announced period ("first half of 2026" → 2026-01-01)."""
    if not text:
        return None
    m = _HALF.search(text)
    if m:
        return dt.date(int(m.group(2)), 1 if m.group(1).lower() == "first" else 7, 1)
    m = _QUARTER.search(text)
    if m:
        quarter = ("first", "second", "third", "fourth").index(m.group(1).lower())
        return dt.date(int(m.group(2)), 1 + 3 * quarter, 1)
    m = _YEAR.search(text)
    if m:
        month = {"early": 1, "mid": 5, "late": 9}.get((m.group(1) or "").lower(), 1)
        return dt.date(int(m.group(2)), month, 1)
    return None


def article_order(ref: ArticleRef) -> tuple:
    """Oldest report first; undated reports after dated ones, then by outlet and title."""
    item = ref.item
    day = item.published
    stamp = day.isoformat() if day else "~"
    return (stamp, item.outlet or "", item.title, item.slug)


# --------------------------------------------------------------------------
# Facts with provenance


def record_source(meeting: Meeting) -> Source:
    return Source(RECORD_LABEL, None, meeting.sources)


def article_source(ref: ArticleRef) -> Source:
    return ref.source


@functools.lru_cache(maxsize=8192)
def title_key(title: str) -> str:
    """Titles that differ only in case, articles or spacing are the same title."""
    key = re.sub(r"^(?:the|a|an)\s+", "", title.strip().casefold())
    return re.sub(r"[^\w]+", " ", key).strip()


def gather(label: str, pairs: list[tuple[str, Source]], key=title_key) -> Fact:
    """Group (value, source) pairs by value, first-stated value first."""
    claims: dict[str, tuple[str, dict[Source, None]]] = {}
    for value, source in pairs:
        k = key(value)
        if k not in claims:
            claims[k] = (value, {})
        claims[k][1][source] = None  # an ordered set: each source once, in the order stated
    return Fact(label, tuple(Claim(value, tuple(sources)) for value, sources in claims.values()))


def official_views(meeting: Meeting, articles: list[ArticleRef], records: Records) -> tuple[OfficialView, ...]:
    """Each official named by the record or by a report, with every title and spelling given."""
    record = record_source(meeting)
    names: dict[str, dict] = {}

    def entry(name: str, side: str | None, role: str) -> dict:
        canonical = records.vocabulary.person(name)
        key = name_key(canonical.name if canonical else name)
        found = names.setdefault(key, {"name": canonical.name if canonical else name, "side": side, "role": role, "titles": [], "spellings": []})
        found["side"] = found["side"] or side
        if role == "co-chair":
            found["role"] = "co-chair"
        return found

    for official in meeting.officials:
        e = entry(official.name, official.side, official.role)
        e["spellings"].append((official.name, record))
        if official.title:
            e["titles"].append((official.title, record))
        for other in official.other_titles:
            e["titles"].append((other, Source(f"{RECORD_LABEL} (other title)", None, meeting.sources)))
    for ref in articles:
        for person in ref.item.people:
            if person.role != "co-chair" and name_key(person.name) not in names:
                continue  # people mentioned in passing belong to the article page
            e = entry(person.name, person.side, person.role)
            e["spellings"].append((person.written or person.name, article_source(ref)))
            if person.title:
                e["titles"].append((person.title, article_source(ref)))
    views = []
    for e in names.values():
        views.append(
            OfficialView(
                name=e["name"],
                side=e["side"],
                role=e["role"],
                titles=gather("title", e["titles"]),
                spellings=gather("spelling", e["spellings"], key=lambda s: s.strip()),
            )
        )
    side_order = {"US": 0, "ROK": 1, None: 2}
    return tuple(sorted(views, key=lambda v: (v.role != "co-chair", side_order.get(v.side, 2))))


def place_fact(meeting: Meeting, articles: list[ArticleRef]) -> Fact | None:
    pairs = [(meeting.city, record_source(meeting))] if meeting.city else []
    pairs += [(ref.item.place, article_source(ref)) for ref in articles if ref.item.place]
    return gather("place", pairs) if pairs else None


def meeting_topics(meeting: Meeting, articles: list[ArticleRef], records: Records) -> tuple[TopicDef, ...]:
    vocabulary = records.vocabulary
    found = set(meeting.topics)
    found |= set(topics_from(" ".join(meeting.outcomes), vocabulary)[0])
    for ref in articles:
        found |= set(ref.item.topics)
    return tuple(t for t in vocabulary.topics if t.slug in found)


# --------------------------------------------------------------------------
# The whole digest


def digest_meeting(meeting: Meeting, articles: list[ArticleRef], records: Records) -> MeetingDigest:
    articles = sorted(articles, key=article_order)
    quotes = tuple(SourcedQuote(q, ref.item, ref.path) for ref in articles for q in ref.item.quotes)
    return MeetingDigest(
        meeting=meeting,
        path=urls.meeting_path(meeting.number),
        articles=tuple(articles),
        topics=meeting_topics(meeting, articles, records),
        officials=official_views(meeting, articles, records),
        place=place_fact(meeting, articles),
        quotes=quotes,
    )


def when_text(meeting: Meeting) -> str:
    if meeting.date:
        return meeting.date.isoformat()
    return meeting.planned or "date to be announced"


def timeline_of(meetings: list[MeetingDigest], events: tuple[Event, ...]) -> tuple[TimelineEntry, ...]:
    entries = [TimelineEntry(e.kind, e.date, e.date.isoformat(), event=e) for e in events]
    entries += [TimelineEntry("meeting", m.meeting.date, when_text(m.meeting), meeting=m) for m in meetings]
    far = dt.date.max

    def order(entry: TimelineEntry) -> tuple:
        day = entry.date or (approximate_start(entry.meeting.meeting.planned) if entry.meeting else None) or far
        # A dated event comes before an approximate one starting the same day.
        number = entry.meeting.number if entry.meeting else 0
        return (day, entry.date is None, {"founding": 0, "meeting": 1, "related": 2}[entry.kind], number)

    return tuple(sorted(entries, key=order))


def unique_paths(items: tuple[Item, ...]) -> list[str]:
    """A page path for each item; a slug used twice gets a numbered second page."""
    taken: set[str] = set()
    paths = []
    for item in items:
        slug, n = item.slug, 1
        while urls.article_path(slug) in taken:
            n += 1
            slug = f"{item.slug}-{n}"
        taken.add(urls.article_path(slug))
        paths.append(urls.article_path(slug))
    return paths


def digest(records: Records, items: tuple[Item, ...]) -> Digest:
    ordered_items = tuple(sorted(items, key=lambda i: (i.slug, str(i.source or ""))))
    refs = [ArticleRef(item, path) for item, path in zip(ordered_items, unique_paths(ordered_items))]
    by_meeting: dict[int, list[ArticleRef]] = {}
    for ref in refs:
        if ref.item.meeting is not None:
            by_meeting.setdefault(ref.item.meeting, []).append(ref)
    meetings = [digest_meeting(m, by_meeting.get(m.number, []), records) for m in records.meetings]
    meeting_by_number = {m.number: m for m in meetings}
    vocabulary = records.vocabulary
    in_order = sorted(refs, key=article_order)
    articles = tuple(
        ArticleDigest(
            ref.item,
            ref.path,
            meeting_by_number.get(ref.item.meeting) if ref.item.meeting is not None else None,
            tuple(t for t in vocabulary.topics if t.slug in ref.item.topics),
        )
        for ref in in_order
    )
    by_topic: dict[str, list[ArticleRef]] = {}
    for ref in in_order:
        for slug in ref.item.topics:
            by_topic.setdefault(slug, []).append(ref)
    topics = tuple(
        TopicDigest(
            topic,
            urls.topic_path(topic.slug),
            tuple(m for m in meetings if topic in m.topics),
            tuple(by_topic.get(topic.slug, ())),
        )
        for topic in vocabulary.topics
    )
    return Digest(timeline_of(meetings, records.events), tuple(meetings), articles, topics)
