"""From items and curated records to the site's structure: timeline, meetings, topics.

Pure: a :class:`~ncg_digest.read.Project` goes in, a :class:`Digest` comes
out. Each meeting gathers the articles that reported it, and every fact
keeps the names of the sources that stated it, so where sources disagree
the site can show each version with who said it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, field, replace
from typing import ClassVar, Mapping, NamedTuple

from . import urls
from .dates import WEEKDAYS, event_dates_in
from .keypoints import PARALLEL_FROM as PLANS_PARALLEL_FROM
from .keypoints import KeyPoint, KeyPoints, Lexicon, Plan, grouped, plain_text, plan_for, plans_for, points_of
from .model import Event, Item, Meeting, Quote, Records, TopicDef, Vocabulary, name_key
from .parallel import forked_map
from .text import split_sentences
from .topics import topics_in

RECORD_LABEL = "Curated record"


@dataclass(frozen=True)
class Source:
    """Who stated a fact: the curated record (with its URLs) or an article."""

    label: str
    page: str | None = None  # site path of the article page
    links: tuple[str, ...] = ()  # external URLs the curated record rests on
    wording: str | None = None  # how the source put it, when that differs from the value shown


@dataclass(frozen=True)
class Claim:
    value: str
    sources: tuple[Source, ...]
    date: dt.date | None = None  # the value as a date, for a date fact


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
    date: Fact | None = None
    key_points: KeyPoints = KeyPoints(())
    outlets: tuple[str, ...] = ()  # the outlets of its reports, each once
    latest_report: dt.date | None = None  # the day its latest dated report was published
    outcome_topics: tuple[tuple[str, ...], ...] = ()  # the slugs of the topics each curated outcome mentions

    @functools.cached_property
    def quotes(self) -> tuple[SourcedQuote, ...]:
        """Every quote of its reports, in their order (only its own page shows them: made when asked for)."""
        return tuple(SourcedQuote(q, ref.item, ref.path) for ref in self.articles for q in ref.item.quotes)

    @property
    def number(self) -> int:
        return self.meeting.number

    @property
    def earliest(self) -> ArticleRef | None:
        """The first dated report (articles are kept oldest first)."""
        return next((a for a in self.articles if a.item.published), None)

    @property
    def latest(self) -> ArticleRef | None:
        return next((a for a in reversed(self.articles) if a.item.published), None)

    @property
    def undated(self) -> int:
        return sum(1 for a in self.articles if not a.item.published)

    def point_on(self, slug: str) -> KeyPoint | None:
        """The most widely reported key point that mentions a topic."""
        return self._point_by_topic.get(slug)

    @functools.cached_property
    def _point_by_topic(self) -> dict[str, KeyPoint]:
        """The first key point (the most widely reported) on each topic: asked for every topic, so worked out once."""
        found: dict[str, KeyPoint] = {}
        for point in self.key_points:
            for slug in point.topics:
                found.setdefault(slug, point)
        return found

    def outcome_on(self, slug: str) -> str | None:
        """The first curated outcome that mentions a topic."""
        return next((o for o, slugs in zip(self.meeting.outcomes, self.outcome_topics) if slug in slugs), None)

    def topic_sources(self, slug: str) -> tuple[Source, ...]:
        """Who says this meeting dealt with a topic: the curated record and each article."""
        sources = []
        if slug in self.meeting.topics or self.outcome_on(slug):
            sources.append(record_source(self.meeting))
        sources += self._reports_by_topic.get(slug, ())
        return tuple(sources)

    @functools.cached_property
    def _reports_by_topic(self) -> dict[str, list[Source]]:
        """The articles that name each topic, as sources (asked for every topic, so worked out once)."""
        found: dict[str, list[Source]] = {}
        for ref in self.articles:
            topics = ref.item.topics
            if topics:
                source = article_source(ref)
                for slug in dict.fromkeys(topics):
                    found.setdefault(slug, []).append(source)
        return found

    @property
    def co_chairs(self) -> tuple[OfficialView, ...]:
        return tuple(o for o in self.officials if o.role == "co-chair")

    @property
    def disputes(self) -> tuple[OfficialView, ...]:
        return tuple(o for o in self.officials if o.disputed)


@dataclass(frozen=True)
class MeetingRef:
    """A meeting as another page links to it: its curated record and its page, not its reports.

    Pages that only link to a meeting hold this instead of the whole
    :class:`MeetingDigest`, so a new report of the meeting does not make
    them render again.
    """

    meeting: Meeting
    path: str

    @property
    def number(self) -> int:
        return self.meeting.number


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
    meeting: MeetingRef | None
    topics: tuple[TopicDef, ...]


# A topic page shows this many of each meeting's articles on the topic (and of the sources of each of its
# steps); a meeting with more gets a page of its own listing them all, so no page grows with the whole archive.
GROUP_SHOWN = 10


@dataclass(frozen=True)
class TopicGroup:
    """A topic's articles that report one meeting (or that are tied to no meeting), oldest first."""

    meeting: MeetingRef | None
    number: int | None  # the meeting number the articles give (a meeting may be missing from the records)
    articles: tuple[ArticleRef, ...]
    path: str | None  # the page listing them all, when the topic page shows only the first GROUP_SHOWN

    @property
    def shown(self) -> tuple[ArticleRef, ...]:
        return self.articles[:GROUP_SHOWN]


@dataclass(frozen=True)
class TopicStep:
    """What one meeting did on a topic: the key point that mentions it, or the curated outcome."""

    meeting: MeetingRef
    point: KeyPoint | None
    outcome: str | None
    sources: tuple[Source, ...]
    all_sources: str | None = None  # the page listing every article among the sources, when they are many

    @property
    def shown_sources(self) -> tuple[Source, ...]:
        return self.sources if self.all_sources is None else self.sources[:GROUP_SHOWN]


@dataclass(frozen=True)
class TopicDigest:
    topic: TopicDef
    path: str
    meetings: tuple[MeetingRef, ...]
    articles: tuple[ArticleRef, ...]
    steps: tuple[TopicStep, ...] = ()
    groups: tuple[TopicGroup, ...] = ()


@dataclass(frozen=True)
class MatrixCell:
    meeting: MeetingDigest
    sources: tuple[Source, ...]

    @property
    def count(self) -> int:
        return len(self.sources)

    @property
    def level(self) -> int:
        """Heat from 0 (no source) to 4 (five sources or more)."""
        return min(self.count, 3) if self.count < 5 else 4


@dataclass(frozen=True)
class MatrixRow:
    topic: TopicDigest
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class Attendance:
    """One meeting an official took part in: their role and the titles each source gave them."""

    meeting: MeetingRef
    view: OfficialView


@dataclass(frozen=True)
class PersonDigest:
    name: str
    side: str | None
    path: str
    attended: tuple[Attendance, ...]

    @property
    def chaired(self) -> tuple[Attendance, ...]:
        return tuple(a for a in self.attended if a.view.role == "co-chair")

    @property
    def spellings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.value for a in self.attended for c in a.view.spellings.claims))


@dataclass(frozen=True)
class Digest:
    timeline: tuple[TimelineEntry, ...]
    meetings: tuple[MeetingDigest, ...]
    articles: tuple[ArticleDigest, ...]
    topics: tuple[TopicDigest, ...]
    matrix: tuple[MatrixRow, ...] = ()
    people: tuple[PersonDigest, ...] = ()

    @property
    def matrix_meetings(self) -> tuple[MeetingDigest, ...]:
        return tuple(c.meeting for c in self.matrix[0].cells) if self.matrix else ()

    def person_path(self, name: str) -> str | None:
        """The page of an official, when the site has one."""
        return next((p.path for p in self.people if name_key(p.name) == name_key(name)), None)

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
    period = approximate_period(text)
    return period[0] if period else None


def approximate_period(text: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day of an announced period ("first half of 2026" → 2026-01-01, 2026-06-30)."""
    if not text:
        return None
    m = _HALF.search(text)
    if m:
        first = m.group(1).lower() == "first"
        year = int(m.group(2))
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if first else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    m = _QUARTER.search(text)
    if m:
        quarter = ("first", "second", "third", "fourth").index(m.group(1).lower())
        year = int(m.group(2))
        return dt.date(year, 1 + 3 * quarter, 1), month_end(year, 3 + 3 * quarter)
    m = _YEAR.search(text)
    if m:
        year = int(m.group(2))
        first_month, last_month = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}.get((m.group(1) or "").lower(), (1, 12))
        return dt.date(year, first_month, 1), month_end(year, last_month)
    return None


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def article_order(ref: ArticleRef) -> tuple:
    """Oldest report first; undated reports after dated ones, then by outlet and title."""
    item = ref.item
    day = item.published
    stamp = day.isoformat() if day else "~"
    return (stamp, item.outlet or "", item.title, item.slug)


# --------------------------------------------------------------------------
# Facts with provenance


def outcome_topics(outcomes: tuple[str, ...], vocabulary: Vocabulary) -> tuple[tuple[str, ...], ...]:
    """The slugs of the topics each curated outcome mentions."""
    return tuple(tuple(slug for slug, _ in topics_in(outcome, vocabulary)) for outcome in outcomes)


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


def stated_date(item: Item, meeting: Meeting) -> tuple[str, str] | None:
    """The meeting date an article states, as (value, wording), from the first sentence about the meeting that gives one.

    A full date is taken as it is. A day without the year, or a weekday alone
    ("on Thursday"), is placed with the article's publication date when it has
    one; otherwise it supports the curated date only when it fits it, and is
    shown as written when it does not.
    """
    if not may_state_date(item.body):
        return None
    for paragraph in plain_text(item.body):
        if not may_state_date(paragraph):
            continue
        for sentence in split_sentences(paragraph):
            if not _ABOUT_MEETING.search(sentence) or _AHEAD.search(sentence):
                continue
            for stated in event_dates_in(sentence):
                value = resolve_stated(stated, item.day, meeting.date)
                if value:
                    return value, stated.wording
    return None


_ABOUT_MEETING = re.compile(r"\b(?:held|met|meeting|session|talks|convened|NCG)\b")
def may_state_date(text: str) -> bool:
    """A date needs a digit or a weekday's name: text with neither states none (most paragraphs).

    Plain substring scans, since this runs over every article's whole body
    and one pattern for both (IGNORECASE) is a hundred times slower.
    """
    return any(digit in text for digit in "0123456789") or ("day" in text.lower() and bool(_ON_WEEKDAY_NAME.search(text)))


_ON_WEEKDAY_NAME = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.I)
_AHEAD = re.compile(r"\b(?:will|to be held|plans?|planned|next|upcoming|scheduled)\b", re.I)


def resolve_stated(stated, published: dt.date | None, record: dt.date | None) -> str | None:
    if stated.date:
        return stated.date.isoformat()
    if stated.month_day:
        month, day = stated.month_day
        if published:
            year = published.year if (month, day) <= (published.month, published.day) else published.year - 1
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return None
        if record and (record.month, record.day) == (month, day):
            return record.isoformat()
        return f"{day} {dt.date(2000, month, 1).strftime('%B')} (year not stated)"
    if stated.weekday:
        if published:
            back = (published.weekday() - WEEKDAYS.index(stated.weekday)) % 7
            return (published - dt.timedelta(days=back)).isoformat()
        if record and WEEKDAYS[record.weekday()] == stated.weekday:
            return record.isoformat()
        return f"a {stated.weekday.capitalize()} (only the weekday stated)"
    return None


def date_fact(meeting: Meeting, articles: list[ArticleRef]) -> Fact | None:
    """The meeting date from the curated record and from each article that states it."""
    pairs = [(meeting.date.isoformat(), record_source(meeting))] if meeting.date else []
    for ref in articles:
        stated = stated_date(ref.item, meeting)
        if stated:
            pairs.append((stated[0], replace(article_source(ref), wording=stated[1])))
    if not pairs:
        return None
    fact = gather("date", pairs, key=lambda value: value)
    return replace(fact, claims=tuple(replace(c, date=iso_date(c.value)) for c in fact.claims))


def iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def meeting_topics(meeting: Meeting, articles: list[ArticleRef], vocabulary: Vocabulary, outcomes: tuple[tuple[str, ...], ...]) -> tuple[TopicDef, ...]:
    """The topics its record names, its outcomes mention (`outcomes`, as `outcome_topics` gives them), and its reports name."""
    found = set(meeting.topics)
    found.update(*outcomes)
    for ref in articles:
        found |= set(ref.item.topics)
    return tuple(t for t in vocabulary.topics if t.slug in found)


# --------------------------------------------------------------------------
# The whole digest


class MeetingFacts(NamedTuple):
    """What a meeting's digest works out from its record and its reports, kept between builds."""

    topics: tuple[TopicDef, ...]
    officials: tuple[OfficialView, ...]
    place: Fact | None
    date: Fact | None
    plan: Plan  # its key points, as `keypoints.plan_of` gives them
    outcome_topics: tuple[tuple[str, ...], ...]
    outlets: tuple[str, ...]
    latest_report: dt.date | None


@dataclass
class Memo:
    """The digest's slow steps kept between builds: each meeting's facts and key points.

    Each is kept by a key of everything it is made from, so a kept result is
    the one a fresh digest would make. Key points are keyed by the grouped
    reports as read, their pages and the vocabulary. A meeting's facts are
    keyed by its curated record, the vocabulary, and the page and content key
    of each report's item: `item_keys` gives the content key of each item read
    from a file (the build cache knows them), and a meeting with an item
    missing from it is worked out afresh. The build cache stores the memo;
    `used` is what to keep. `plan_keys` links each meeting's facts to the key
    points they hold, so the key points stay kept as long as the facts are
    (and serve again when only the meeting's record changes). `outcomes` keeps the
    topics each meeting's outcomes mention, by the outcomes and the vocabulary.
    """

    PARTS: ClassVar[tuple[str, ...]] = ("plans", "facts", "links", "outcomes")  # as `stored` gives them

    plans: dict[str, Plan] = field(default_factory=dict)
    facts: dict[str, MeetingFacts] = field(default_factory=dict)
    plan_keys: dict[str, str] = field(default_factory=dict)  # facts key → the key of their plan
    # The topics each meeting's outcomes mention, by the outcomes and the vocabulary: finding them compiles a
    # pattern for every synonym and acronym, in each process that looks.
    outcomes: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    item_keys: Mapping[int, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    added: int = 0
    # id(MeetingDigest) → (the digest, its key): a key for everything the digest holds, for the build cache.
    digest_keys: dict[int, tuple[MeetingDigest, str]] = field(default_factory=dict)

    def key(self, articles: list[tuple[Item, str]], vocabulary: Vocabulary) -> str:
        reports, capped = grouped(articles)
        h = hashlib.blake2b(vocabulary_key(vocabulary).encode(), digest_size=20)
        h.update(repr((capped, reports)).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def meeting_key(self, meeting: Meeting, articles: list[ArticleRef], vocabulary: Vocabulary) -> str | None:
        """The key of a meeting's facts; None when an item's content key is not known."""
        parts = ["meeting", repr(meeting), vocabulary_key(vocabulary)]
        known = self.item_keys
        for ref in articles:
            item_key = known.get(id(ref.item))
            if item_key is None:
                return None
            parts += (item_key, ref.path)
        return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def fill(self, meetings: list[list[tuple[Item, str]]], vocabulary: Vocabulary, lexicon: Lexicon) -> None:
        """Work out the key points not kept yet, of every meeting at once (so on every core)."""
        missing: dict[str, list[tuple[Item, str]]] = {}
        for articles in meetings:
            key = self.key(articles, vocabulary)
            self.used.add(key)
            if key not in self.plans:
                missing.setdefault(key, articles)
        for key, plan in zip(missing, plans_for(list(missing.values()), vocabulary, lexicon)):
            self.plans[key] = plan
        self.added += len(missing)

    def work_out(self, meetings: list[tuple[Meeting, list[ArticleRef]]], records: Records, lexicon: Lexicon) -> list[tuple[str, MeetingFacts]]:
        """The facts of these meetings (each with its reports, in `article_order`), with their key points where
        not kept yet: all at once, so on every core when there are many reports. New key points are kept; the
        facts, with the key of their key points, are for the caller to keep (see `_meeting_digest`)."""
        jobs, plan_keys = [], []
        for meeting, articles in meetings:
            plan_key = self.key([(a.item, a.path) for a in articles], records.vocabulary)
            plan_keys.append(plan_key)
            jobs.append((meeting, articles, self.plans.get(plan_key), self.outcome_topics(meeting, records.vocabulary)))
        reports = sum(len(articles) for _, articles in meetings)
        made = list(forked_map(functools.partial(meeting_facts, records=records, lexicon=lexicon), jobs, parallel=reports >= PLANS_PARALLEL_FROM))
        for plan_key, facts in zip(plan_keys, made):
            self.used.add(plan_key)
            if plan_key not in self.plans:
                self.plans[plan_key] = facts.plan
                self.added += 1
        return list(zip(plan_keys, made))

    def outcome_topics(self, meeting: Meeting, vocabulary: Vocabulary) -> tuple[tuple[str, ...], ...]:
        """`outcome_topics` of the meeting's outcomes, kept or found now."""
        key = hashlib.blake2b("\0".join(["outcomes", vocabulary_key(vocabulary), *meeting.outcomes]).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
        self.used.add(key)
        found = self.outcomes.get(key)
        if found is None:
            found = self.outcomes[key] = outcome_topics(meeting.outcomes, vocabulary)
            self.added += 1
        return found

    def plan(self, articles: list[tuple[Item, str]], vocabulary: Vocabulary, lexicon: Lexicon, key: str | None = None) -> Plan:
        key = key or self.key(articles, vocabulary)
        if key not in self.plans:
            self.fill([articles], vocabulary, lexicon)
        return self.plans[key]

    def key_points(self, articles: list[tuple[Item, str]], vocabulary: Vocabulary, lexicon: Lexicon) -> KeyPoints:
        return points_of(self.plan(articles, vocabulary, lexicon), grouped(articles)[0])

    def stored(self) -> dict[str, dict]:
        """What the build cache keeps: the entries this build used."""
        return {
            "plans": {k: v for k, v in self.plans.items() if k in self.used},
            "facts": {k: v for k, v in self.facts.items() if k in self.used},
            "links": {k: v for k, v in self.plan_keys.items() if k in self.used and k in self.facts},
            "outcomes": {k: v for k, v in self.outcomes.items() if k in self.used},
        }

    @classmethod
    def restored(cls, stored: Mapping[str, dict]) -> Memo:
        return cls(dict(stored.get("plans", {})), dict(stored.get("facts", {})), dict(stored.get("links", {})), dict(stored.get("outcomes", {})))

    @property
    def changed(self) -> bool:
        return bool(self.added) or set(self.plans).union(self.facts, self.outcomes) != self.used


def meeting_facts(
    job: tuple[Meeting, list[ArticleRef], Plan | None, tuple[tuple[str, ...], ...]], records: Records, lexicon: Lexicon
) -> MeetingFacts:
    """What a meeting's digest works out from its record and its reports (in `article_order`); its key points
    from `plan`, when they are known already, and the topics its outcomes mention (see `outcome_topics`)."""
    meeting, articles, plan, outcomes = job
    if plan is None:
        plan = plan_for([(a.item, a.path) for a in articles], records.vocabulary, lexicon)
    return MeetingFacts(
        meeting_topics(meeting, articles, records.vocabulary, outcomes),
        official_views(meeting, articles, records),
        place_fact(meeting, articles),
        date_fact(meeting, articles),
        plan,
        outcomes,
        tuple(dict.fromkeys(a.item.outlet for a in articles if a.item.outlet)),
        max((day for a in articles if (day := a.item.day) is not None), default=None),
    )


def digest_meeting(meeting: Meeting, articles: list[ArticleRef], records: Records, lexicon: Lexicon, memo: Memo | None = None) -> MeetingDigest:
    """A meeting's digest; `articles` are its reports, in any order."""
    articles = sorted(articles, key=article_order)
    memo = memo or Memo()
    key = memo.meeting_key(meeting, articles, records.vocabulary)
    facts = None if key is not None and key in memo.facts else memo.work_out([(meeting, articles)], records, lexicon)[0]
    return _meeting_digest(meeting, articles, memo, key, facts)


def _meeting_digest(meeting: Meeting, articles: list[ArticleRef], memo: Memo, key: str | None, fresh: tuple[str, MeetingFacts] | None) -> MeetingDigest:
    """`digest_meeting`, with the reports already in `article_order`, the memo's key for them, and their facts
    (with the key of their key points) if just worked out by `Memo.work_out` rather than kept by the memo."""
    reports = [(a.item, a.path) for a in articles]
    if fresh is not None:
        plan_key, facts = fresh
        if key is not None:
            memo.facts[key] = facts
            memo.plan_keys[key] = plan_key
            memo.added += 1
    else:
        assert key is not None
        facts = memo.facts[key]
    if key is not None:
        memo.used.add(key)
        if key in memo.plan_keys:
            memo.used.add(memo.plan_keys[key])  # its key points are kept while it is
    result = MeetingDigest(
        meeting=meeting,
        path=urls.meeting_path(meeting.number),
        articles=tuple(articles),
        topics=facts.topics,
        officials=facts.officials,
        place=facts.place,
        date=facts.date,
        key_points=points_of(facts.plan, grouped(reports)[0]),
        outlets=facts.outlets,
        latest_report=facts.latest_report,
        outcome_topics=facts.outcome_topics,
    )
    if key is not None:
        memo.digest_keys[id(result)] = (result, key)
    return result


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
        path, n = urls.article_path(item.slug), 1
        while path in taken:
            n += 1
            path = urls.article_path(f"{item.slug}-{n}")
        taken.add(path)
        paths.append(path)
    return paths


@functools.lru_cache(maxsize=4)
def vocabulary_key(vocabulary: Vocabulary) -> str:
    return hashlib.blake2b(repr(vocabulary).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def digest(records: Records, items: tuple[Item, ...], memo: Memo | None = None) -> Digest:
    """The whole site's structure; with a `memo`, meeting facts and key points kept from an earlier build are used again."""
    ordered_items = tuple(sorted(items, key=lambda i: (i.slug, i.source or "")))
    refs = [ArticleRef(item, path) for item, path in zip(ordered_items, unique_paths(ordered_items))]
    lexicon = Lexicon.of(records.vocabulary)
    memo = memo if memo is not None else Memo()
    in_order = sorted(refs, key=article_order)
    reports: dict[int, list[ArticleRef]] = {m.number: [] for m in records.meetings}
    for ref in in_order:
        if ref.item.meeting in reports:
            reports[ref.item.meeting].append(ref)
    # Facts not kept yet are worked out first, all together (on every core when there are many reports). Every
    # meeting's outcomes' topics are looked up, kept facts or not, so the memo keeps them for the build that next
    # works out the meeting's facts.
    keys = {m.number: memo.meeting_key(m, reports[m.number], records.vocabulary) for m in records.meetings}
    for m in records.meetings:
        memo.outcome_topics(m, records.vocabulary)
    unknown = [m for m in records.meetings if keys[m.number] is None or keys[m.number] not in memo.facts]
    fresh = dict(zip([m.number for m in unknown], memo.work_out([(m, reports[m.number]) for m in unknown], records, lexicon)))
    meetings = [_meeting_digest(m, reports[m.number], memo, keys[m.number], fresh.get(m.number)) for m in records.meetings]
    meeting_by_number = {m.number: MeetingRef(m.meeting, m.path) for m in meetings}
    vocabulary = records.vocabulary
    # One tuple per set of topics, in the vocabulary's order, shared by the articles on them (however each lists
    # them): looked up by the item's own list first, which most articles share with others as it is.
    topic_sets: dict[frozenset[str], tuple[TopicDef, ...]] = {}
    listed: dict[tuple[str, ...], tuple[TopicDef, ...]] = {}
    articles_topics = []
    for ref in in_order:
        topics = listed.get(ref.item.topics)
        if topics is None:
            slugs = frozenset(ref.item.topics)
            topics = topic_sets.get(slugs)
            if topics is None:
                topics = topic_sets[slugs] = tuple(t for t in vocabulary.topics if t.slug in slugs)
            listed[ref.item.topics] = topics
        articles_topics.append(topics)
    articles = tuple(
        ArticleDigest(ref.item, ref.path, meeting_by_number.get(ref.item.meeting) if ref.item.meeting is not None else None, topics)
        for ref, topics in zip(in_order, articles_topics)
    )
    by_topic: dict[str, list[ArticleRef]] = {}
    for ref in in_order:
        for slug in ref.item.topics:
            by_topic.setdefault(slug, []).append(ref)
    topics = []
    for topic in vocabulary.topics:
        articles_on = tuple(by_topic.get(topic.slug, ()))
        groups = topic_groups(topic, articles_on, meeting_by_number)
        topics.append(
            TopicDigest(
                topic,
                urls.topic_path(topic.slug),
                tuple(meeting_by_number[m.number] for m in meetings if topic in m.topics),
                articles_on,
                topic_steps(topic, meetings, meeting_by_number, groups),
                groups,
            )
        )
    return Digest(
        timeline_of(meetings, records.events),
        tuple(meetings),
        articles,
        tuple(topics),
        topic_matrix(tuple(topics), meetings),
        people_of(meetings, meeting_by_number),
    )


# --------------------------------------------------------------------------
# Across meetings: topics and people


def topic_groups(topic: TopicDef, articles: tuple[ArticleRef, ...], refs: dict[int, MeetingRef]) -> tuple[TopicGroup, ...]:
    """A topic's articles by the meeting they report, in meeting order; those tied to no meeting last."""
    by_number: dict[int | None, list[ArticleRef]] = {}
    for ref in articles:
        by_number.setdefault(ref.item.meeting, []).append(ref)
    order = sorted(by_number, key=lambda n: (n is None, n or 0))
    return tuple(
        TopicGroup(
            refs.get(n) if n is not None else None,
            n,
            tuple(by_number[n]),
            urls.topic_group_path(topic.slug, n) if len(by_number[n]) > GROUP_SHOWN else None,
        )
        for n in order
    )


def topic_steps(topic: TopicDef, meetings: list[MeetingDigest], refs: dict[int, MeetingRef], groups: tuple[TopicGroup, ...] = ()) -> tuple[TopicStep, ...]:
    """How a topic developed meeting by meeting."""
    listed = {g.number: g.path for g in groups if g.path is not None}
    steps = []
    for m in meetings:
        if topic not in m.topics:
            continue
        point = m.point_on(topic.slug)
        sources = m.topic_sources(topic.slug)
        more = listed.get(m.number) if len(sources) > GROUP_SHOWN else None
        steps.append(TopicStep(refs[m.number], point, m.outcome_on(topic.slug), sources, more))
    return tuple(steps)


def topic_matrix(topics: tuple[TopicDigest, ...], meetings: list[MeetingDigest]) -> tuple[MatrixRow, ...]:
    """Topics by held meetings: who says each meeting dealt with each topic."""
    held = [m for m in meetings if m.meeting.status == "held" or m.articles]
    return tuple(MatrixRow(t, tuple(MatrixCell(m, m.topic_sources(t.topic.slug)) for m in held)) for t in topics)


def people_of(meetings: list[MeetingDigest], refs: dict[int, MeetingRef]) -> tuple[PersonDigest, ...]:
    """Every official who chaired or attended a meeting, in order of first appearance."""
    found: dict[str, list[Attendance]] = {}
    for m in meetings:
        for view in m.officials:
            found.setdefault(name_key(view.name), []).append(Attendance(refs[m.number], view))
    people = []
    for attended in found.values():
        view = attended[0].view
        side = next((a.view.side for a in attended if a.view.side), None)
        people.append(PersonDigest(view.name, side, urls.person_path(view.name), tuple(attended)))
    return tuple(people)
