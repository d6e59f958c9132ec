"""From the raw text of a news article to frontmatter fields, with evidence.

Pure functions: text, vocabulary and curated meetings in, an :class:`Extraction`
out. Each field is set only from something the text says (or the curated
meeting record, said as such); the snippet that said it is kept as evidence,
and what could not be found is left blank and reported. The work is shared
with `parts` (lines), `outlets`, `meetings`, `people`, `topics` and `dates`;
this module puts it together and adds quotes, title and summary.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Sequence

from .meetings import NCG, link_meeting, meeting_days, meeting_mentions, place_from
from .model import Meeting, Person, Published, Quote, Vocabulary, format_published, published_day
from .outlets import outlet_from
from .parts import Parts, split_parts
from .people import people_from
from .text import clean_space, shorten, split_sentences, word_count
from .topics import topics_in

TITLE_LIMIT = 130
SUMMARY_LIMIT = 320


@dataclass(frozen=True)
class Evidence:
    field: str
    value: str
    snippet: str  # the text the value came from, or where else it came from
    note: str = ""  # how the value follows from it, when that is not plain


@dataclass(frozen=True)
class Hints:
    """What is known about an article besides its text: a saved page's metadata, a Markdown file's frontmatter.

    `source` says where the hints came from, for the evidence.
    """

    source: str
    title: str | None = None
    published: Published | None = None
    outlet: str | None = None
    author: str | None = None


@dataclass(frozen=True)
class Extraction:
    """What the loader read from one raw article."""

    title: str
    outlet: str | None
    published: Published | None
    meeting: int | None
    place: str | None
    people: tuple[Person, ...]
    topics: tuple[str, ...]
    quotes: tuple[Quote, ...]
    summary: str | None
    rights: str | None
    republish: bool
    author: str | None
    paragraphs: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # why a field the text touches on was left blank

    @property
    def co_chairs(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role == "co-chair")

    def frontmatter(self) -> dict[str, Any]:
        """The fields in the order a user reads them in a content file."""
        return {
            "title": self.title,
            "outlet": self.outlet,
            "author": self.author,
            "published": format_published(self.published),
            "meeting": self.meeting,
            "place": self.place,
            "people": [person_fields(p) for p in self.people],
            "topics": list(self.topics),
            "quotes": [{"text": q.text, "speaker": q.speaker} for q in self.quotes],
            "summary": self.summary,
            "rights": self.rights,
            "republish": self.republish,
        }


def person_fields(person: Person) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": person.name, "side": person.side, "role": person.role, "title": person.title}
    if person.written:
        fields["written"] = person.written
    return fields


# --------------------------------------------------------------------------
# Topics (see topics.py), quotes, summary, title


def topics_from(text: str, vocabulary: Vocabulary) -> tuple[list[str], list[Evidence]]:
    found = topics_in(text, vocabulary)
    return [slug for slug, _ in found], [Evidence("topics", slug, snippet) for slug, snippet in found]


_QUOTE = re.compile(r"“(?P<text>[^”]+)”|\"(?P<plain>[^\"]+)\"")
_SPEAKER_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:said|says|added|stressed|noted|wrote|told\s+reporters)\s+(?P<a>(?:U\.S\.|[^.,;“\"])+?)|"
    r"(?P<b>(?:U\.S\.|[^.,;“\"]){2,60}?)\s+(?:said|says|added|stressed|noted|showed|stated|wrote|reads))\s*(?:[.,;]|$)"
)
_SPEAKER_BEFORE = re.compile(r"(?P<who>[A-Z][^.;“\"]{1,60}?)\s+(?:said|says|added|stressed|noted|stated)(?:\s+that)?\s*[,:]?\s*$")
QUOTE_MIN_WORDS = 5


def speaker_name(speaker: str, people: list[Person]) -> str:
    speaker = clean_space(speaker)
    for person in people:
        surname = person.name.split()[-1]
        if speaker in (person.name, person.written, surname):
            return person.name
    return speaker


def quotes_from(paragraphs: list[str], people: list[Person]) -> list[Quote]:
    """Quoted statements of five words or more, with who said them.

    A quotation with no attribution that follows an attributed one in the same
    paragraph continues it ("…,” said a U.S. official. “By working …”); the
    two parts are joined with an ellipsis, since the attribution between them
    is left out.
    """
    quotes: list[Quote] = []
    for paragraph in paragraphs:
        previous: int | None = None
        for m in _QUOTE.finditer(paragraph):
            text = clean_space(m.group("text") or m.group("plain")).rstrip(",")
            if word_count(text) < QUOTE_MIN_WORDS:
                continue
            after = _SPEAKER_AFTER.match(paragraph[m.end() :])
            before = _SPEAKER_BEFORE.search(paragraph[: m.start()])
            speaker = (after.group("a") or after.group("b")) if after else (before.group("who") if before else None)
            if speaker is None and previous is not None:
                earlier = quotes[previous]
                quotes[previous] = Quote(f"{earlier.text} … {text}", earlier.speaker)
                continue
            quotes.append(Quote(text, speaker_name(speaker, people) if speaker else None))
            previous = len(quotes) - 1
    return quotes


_ATTRIBUTION_TAIL = re.compile(
    r",\s*(?:(?:the\s+)?[\w.'’\- ]{2,60}?\s+(?:said|says|announced|reported)|according\s+to\s+[^,]+)"
    r"(?:\s+(?:on\s+)?[\w ,.]{0,30})?\.?$"
)


def title_from_lead(lead: str) -> str:
    """A title made from the lead sentence when the text has no headline."""
    sentence = split_sentences(lead)[0] if lead else ""
    sentence = _ATTRIBUTION_TAIL.sub("", sentence).rstrip(" .")
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    cuts = [
        m.start()
        for m in re.finditer(r",\s+(?!\d)| (?:during|while|as|after|amid|in order to|which|who) ", sentence)
        if 40 <= m.start() <= TITLE_LIMIT
    ]
    if cuts:
        return sentence[: cuts[-1]].rstrip(" ,")
    return shorten(sentence, TITLE_LIMIT)


def summary_from(paragraphs: list[str]) -> str | None:
    if not paragraphs:
        return None
    sentences = split_sentences(paragraphs[0])
    summary = sentences[0]
    if len(sentences) > 1 and len(summary) + len(sentences[1]) < SUMMARY_LIMIT:
        summary += " " + sentences[1]
    return shorten(summary, SUMMARY_LIMIT)


# --------------------------------------------------------------------------
# Putting it together


def title_of(parts: Parts, hints: Hints | None) -> Evidence:
    if hints and hints.title:
        return Evidence("title", hints.title, hints.source)
    if parts.headline:
        return Evidence("title", parts.headline, "headline")
    lead = parts.paragraphs[0] if parts.paragraphs else ""
    return Evidence("title", title_from_lead(lead) or "Untitled article", "lead sentence (no headline in the text)")


def outlet_of(parts: Parts, vocabulary: Vocabulary, hints: Hints | None) -> Evidence | None:
    site_name = hints.outlet if hints else None
    found = outlet_from(parts, vocabulary, site_name)
    if found is None:
        return None
    snippet = f"{hints.source}: {site_name}" if hints and found[1] == site_name else found[1]
    return Evidence("outlet", found[0], snippet)


def published_of(parts: Parts, hints: Hints | None) -> tuple[Published | None, Evidence | None]:
    given = hints.published if hints else None
    if given is not None and not adds_the_time(parts.published, given):
        return given, Evidence("published", format_published(given) or "", hints.source if hints else "")
    if parts.published is not None:
        return parts.published, Evidence("published", format_published(parts.published) or "", parts.published_line or "")
    return None, None


def adds_the_time(text_value: Published | None, given: Published) -> bool:
    """A page's metadata often gives only the day; its own date line may give the time as well."""
    return isinstance(text_value, dt.datetime) and not isinstance(given, dt.datetime) and text_value.date() == given


def author_of(parts: Parts, hints: Hints | None) -> Evidence | None:
    if hints and hints.author:
        return Evidence("author", hints.author, hints.source)
    if parts.author:
        return Evidence("author", parts.author, parts.author_line or "")
    return None


def drop_repeated_title(paragraphs: list[str], title: str) -> list[str]:
    """A saved page's text often starts with its own headline; the body starts after it."""
    if paragraphs and clean_space(paragraphs[0]).casefold() == clean_space(title).casefold():
        return paragraphs[1:]
    return paragraphs


def extract(
    text: str,
    vocabulary: Vocabulary,
    meetings: Sequence[Meeting] = (),
    hints: Hints | None = None,
) -> Extraction:
    """Read every frontmatter field the text (or the curated meetings, said as such) supports."""
    parts = split_parts(text, vocabulary)
    evidence: list[Evidence] = []
    notes: list[str] = []

    title = title_of(parts, hints)
    evidence.append(title)
    paragraphs = drop_repeated_title(parts.paragraphs, title.value)
    headline = parts.headline or (hints.title if hints else None)
    outlet = outlet_of(parts, vocabulary, hints)
    published, published_evidence = published_of(parts, hints)
    author = author_of(parts, hints)
    evidence += [e for e in (outlet, published_evidence, author) if e]

    body_sentences = [(i, s) for i, p in enumerate(paragraphs) for s in split_sentences(p)]
    sentences = [s for _, s in body_sentences]
    all_text = " ".join(filter(None, [headline, *paragraphs]))
    mentions_ncg = bool(re.search(NCG, all_text, re.I))
    mentions = meeting_mentions(headline, -1, mentions_ncg) if headline else []
    for i, sentence in body_sentences:
        mentions += meeting_mentions(sentence, i, mentions_ncg)
    day = published_day(published)
    finding = link_meeting(mentions, meeting_days(sentences, day), meetings, day)
    if finding.number is not None:
        evidence.append(Evidence("meeting", str(finding.number), finding.snippet, finding.reason))
    if finding.warning:
        notes.append(f"meeting left blank: {finding.warning}")

    record = next((m for m in meetings if m.number == finding.number), None)
    ordered = ([finding.snippet] if finding.snippet else []) + sentences
    dateline_city = parts.dateline.group("city") if parts.dateline else None
    place = place_from(ordered, vocabulary, finding.number, record, dateline_city)
    if place:
        evidence.append(Evidence("place", place[0], place[1]))

    people, named = people_from(sentences, vocabulary)
    evidence += [Evidence("people", f"{p.name} ({p.role}{', ' + p.side if p.side else ''})", s) for p, s in named]
    topics, topic_evidence = topics_from(all_text, vocabulary)
    evidence += topic_evidence

    outlet_def = vocabulary.outlet(outlet.value) if outlet else None
    fields = {
        "outlet": outlet,
        "published": published,
        "meeting": finding.number,
        "place": place,
        "co-chairs": [p for p in people if p.role == "co-chair"],
    }
    return Extraction(
        title=title.value,
        outlet=outlet.value if outlet else None,
        published=published,
        meeting=finding.number,
        place=place[0] if place else None,
        people=tuple(people),
        topics=tuple(topics),
        quotes=tuple(quotes_from(paragraphs, people)),
        summary=summary_from(paragraphs),
        rights=parts.rights,
        republish=bool(outlet_def and outlet_def.republish),
        author=author.value if author else None,
        paragraphs=tuple(paragraphs),
        evidence=tuple(evidence),
        missing=tuple(name for name, value in fields.items() if value is None or value == []),
        notes=tuple(notes),
    )
