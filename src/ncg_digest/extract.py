"""From the raw text of a news article to frontmatter fields, with evidence.

Pure functions: text and vocabulary in, an :class:`Extraction` out. Each field
is set only from something the text says; the snippet that said it is kept
as evidence, and what could not be found is left blank and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .dates import parse_date_line
from .model import (
    ORDINAL_WORDS,
    Person,
    Published,
    Quote,
    Vocabulary,
    format_published,
    name_key,
)
from .text import clean_space, normalize_newlines, phrase_pattern, shorten, split_sentences, word_count

TITLE_LIMIT = 130
SUMMARY_LIMIT = 320


@dataclass(frozen=True)
class Evidence:
    field: str
    value: str
    snippet: str


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
# Lines: furniture, captions, headline, body


_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\)\s)|all rights reserved", re.I)
_EDITOR = re.compile(r"^\s*(?:editor|edited by|translated by|reporting by|writing by)\s*:?\s", re.I)
_FURNITURE_WORDS = frozenset(
    """print page small big font size share facebook tweet twitter x kakao kakaotalk email e-mail
    copy link url copied listen to this article text a+ a- increase decrease reset line band naver
    subscribe comments comment more sns whatsapp linkedin telegram""".split()
)
_CAPTION = re.compile(
    r"\bfile photo\b|\bphoto by\b|\bphoto courtesy\b|/\s*source\s*:|\bphoto\s*[:=]|"
    r"\(photo\b|\[photo\b|\bgetty images\b|\(yonhap\)\s*$|\bphotos?\s+(?:provided|released)\s+by\b",
    re.I,
)
_REPORTER = re.compile(r"^\s*(?:-|—|–|By)\s+(?P<name>[A-Z][A-Za-z.'\- ]{3,40}?)\s*(?:,\s*(?P<org>[^,|]+))?\s*$")
_BYLINE = re.compile(r"\|\s*By\s+(?P<name>[^,|]+?)\s*,\s*(?P<org>[^|]+?)\s*$")
_DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z.' ]{1,30}?)(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?\s*"
    r"\((?P<outlet>[^)]{2,40})\)\s*(?:--|[—–-])\s*"
)


def raw_lines(text: str) -> list[str]:
    return [clean_space(line) for line in normalize_newlines(text).split("\n") if line.strip()]


def is_furniture(line: str) -> bool:
    words = re.findall(r"[a-z][a-z+\-]*", line.casefold())
    if not words:
        return True
    if line.lstrip().startswith("#") and line.count("#") >= 2:
        return True  # a line of hashtags
    return len(line) < 80 and all(w in _FURNITURE_WORDS for w in words)


def is_caption(line: str) -> bool:
    return bool(_CAPTION.search(line))


def looks_like_headline(line: str) -> bool:
    return (
        len(line) <= 160
        and not line.rstrip().endswith((".", ":", ";", ","))
        and not _DATELINE.match(line)
        and word_count(line) >= 3
    )


@dataclass
class _Parts:
    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    rights: str | None = None
    published: Published | None = None
    published_line: str | None = None
    author: str | None = None
    byline_org: str | None = None
    dateline: re.Match[str] | None = None


def split_parts(text: str) -> _Parts:
    """Sort the lines of a raw article into headline, body and page furniture."""
    parts = _Parts()
    lines = raw_lines(text)
    for index, line in enumerate(lines):
        if _COPYRIGHT.search(line):
            parts.rights = parts.rights or line
            continue
        if _EDITOR.match(line) or is_furniture(line) or is_caption(line):
            continue
        byline = _BYLINE.search(line)
        if byline:
            parts.author = parts.author or clean_space(byline.group("name"))
            parts.byline_org = parts.byline_org or clean_space(byline.group("org"))
            date = parse_date_line(line[: byline.start()])
            if date is not None and parts.published is None:
                parts.published, parts.published_line = date, line
            continue
        date = parse_date_line(line)
        if date is not None:
            if parts.published is None:
                parts.published, parts.published_line = date, line
            continue
        reporter = _REPORTER.match(line)
        if reporter and word_count(line) <= 6:
            parts.author = parts.author or clean_space(reporter.group("name")).title()
            continue
        if not parts.paragraphs and parts.headline is None and looks_like_headline(line) and index + 1 < len(lines):
            parts.headline = line
            continue
        if not parts.paragraphs:
            parts.dateline = _DATELINE.match(line)
            if parts.dateline:
                line = line[parts.dateline.end() :]
        parts.paragraphs.append(line)
    return parts


# --------------------------------------------------------------------------
# Outlet


_COPYRIGHT_OWNER = re.compile(
    r"(?:copyright|©)\s*(?:\(c\)|©)?\s*(?:by\s+)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?:by\s+)?"
    r"(?P<name>[A-Z][\w&.'/-]*(?:\s+(?:[A-Z][\w&.'/-]*|of|and|&))*)",
    re.I,
)


def known_outlet(text: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The first outlet from the vocabulary named in `text`: (name, spelling found)."""
    best: tuple[int, int, str, str] | None = None
    for outlet in vocabulary.outlets:
        for spelling in outlet.spellings:
            m = re.search(phrase_pattern(spelling), text, re.I)
            if m and (best is None or (m.start(), -len(spelling)) < (best[0], best[1])):
                best = (m.start(), -len(spelling), outlet.name, m.group(0))
    return (best[2], best[3]) if best else None


def outlet_from(parts: _Parts, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """(outlet, evidence) from the copyright line, the dateline or the byline."""
    sources = []
    if parts.rights:
        sources.append(parts.rights)
    if parts.dateline:
        sources.append(parts.dateline.group(0))
    if parts.byline_org:
        sources.append(parts.byline_org)
    for source in sources:
        found = known_outlet(source, vocabulary)
        if found:
            return found[0], source
    if parts.rights:
        m = _COPYRIGHT_OWNER.search(parts.rights)
        if m:
            words = m.group("name").split()
            # The owner's name ends where the sentence's verb begins ("… exhibits its content").
            name = " ".join(w for w in words).strip(" .,")
            name = re.split(r"\s+(?:all|is|are|has|exhibits|forbids|prohibits|reserves)\b", name, flags=re.I)[0]
            if name:
                return name, parts.rights
    if parts.dateline:
        return parts.dateline.group("outlet").strip(), parts.dateline.group(0)
    if parts.byline_org:
        return parts.byline_org, parts.byline_org
    return None


# --------------------------------------------------------------------------
# Meeting number


_NUMBERS = {word: n for n, word in enumerate(ORDINAL_WORDS) if n} | {"inaugural": 1}
ORDINAL = r"(?P<ord>inaugural|" + "|".join(ORDINAL_WORDS[1:]) + r"|\d{1,2}(?:st|nd|rd|th))"
NCG = r"(?:NCG|Nuclear\s+Consultative\s+Group)"
NOUN = r"(?:meeting|session|plenary(?:\s+(?:session|meeting))?|round(?:\s+of\s+talks)?|talks|gathering)"
QUALIFIER = r"(?:(?:U\.S\.?|US|American|ROK|South\s+Korean?|Korea)[\s\-–]+(?:ROK|South\s+Korean?|Korea|U\.S\.?|US)\s+|bilateral\s+|allies['’]\s+|joint\s+)?"
_MEETING_PATTERNS = (
    ("owner", re.compile(rf"\b{NCG}['’]s\s+{ORDINAL}\s+{NOUN}\b", re.I)),
    ("named", re.compile(rf"\b{ORDINAL}\s+{QUALIFIER}{NCG}\b(?:\s*\(NCG\))?(?:\s+{NOUN})?", re.I)),
    ("of", re.compile(rf"\b{ORDINAL}\s+{NOUN}\s+of\s+(?:the\s+|their\s+|its\s+)?{QUALIFIER}{NCG}\b", re.I)),
    ("bare", re.compile(rf"\b{ORDINAL}\s+{NOUN}\b", re.I)),
)
OTHER_BODIES = re.compile(
    r"\bSCM\b|Security\s+Consultative\s+Meeting|\bKIDD\b|Integrated\s+Defen[cs]e\s+Dialogue|\bEDSCG\b|"
    r"Extended\s+Deterrence\s+Strategy\s+and\s+Consultation\s+Group|\bsummit\b|\b2\+2\b|\bMCM\b",
    re.I,
)
# "first under Trump's second term", "first such talks since January": firsts of another kind.
_TRAP_AFTER = re.compile(r"^[^,.;]*?\b(?:since|under|ever|in\s+(?:nearly|almost|over|more\s+than)\b)", re.I)
_TRAP_BEFORE = re.compile(r"\b(?:such|previous|prior|last|earlier|preceding)\s+$", re.I)
_FUTURE = re.compile(
    r"\b(?:to\s+be\s+held|will\s+(?:be\s+held|hold|take\s+place|convene|meet)|scheduled|upcoming|next|planned|"
    r"plans?\s+(?:for|to)|future|is\s+expected|to\s+hold)\b",
    re.I,
)
_SPECIFIC_DAY = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


@dataclass(frozen=True)
class MeetingMention:
    number: int
    kind: str  # owner | named | of | bare
    sentence: str
    paragraph: int  # -1 for the headline
    future: bool
    dated: bool


def ordinal_number(token: str) -> int | None:
    token = token.casefold()
    if token in _NUMBERS:
        return _NUMBERS[token]
    digits = re.match(r"\d+", token)
    return int(digits.group(0)) if digits else None


def meeting_mentions(sentence: str, paragraph: int, mentions_ncg: bool) -> list[MeetingMention]:
    found: list[MeetingMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _MEETING_PATTERNS:
        for m in pattern.finditer(sentence):
            if any(a <= m.start("ord") < b for a, b in taken):
                continue
            taken.append(m.span())
            if kind == "bare" and (not mentions_ncg or OTHER_BODIES.search(sentence)):
                continue
            after, before = sentence[m.end() :], sentence[: m.start()]
            if _TRAP_AFTER.match(after) or _TRAP_BEFORE.search(before):
                continue
            if re.match(r"\s*half\b", after, re.I):
                continue
            number = ordinal_number(m.group("ord"))
            if not number:
                continue
            clause = sentence[max(0, m.start() - 80) : m.end() + 80]
            future = bool(_FUTURE.search(clause))
            found.append(MeetingMention(number, kind, sentence, paragraph, future, bool(_SPECIFIC_DAY.search(after))))
    return found


def decide_meeting(mentions: list[MeetingMention]) -> MeetingMention | None:
    """The meeting an article reports, or None when the mentions do not settle it.

    Body mentions that name the NCG outrank bare ones, which outrank the
    headline; announcements of a later meeting count only in a preview that
    gives its day. Two different numbers at the same rank leave it blank.
    """
    body = [m for m in mentions if m.paragraph >= 0 and not m.future]
    tiers = (
        [m for m in body if m.kind != "bare"],
        [m for m in body if m.kind == "bare"],
        [m for m in mentions if m.paragraph < 0 and not m.future],
        [m for m in mentions if m.future and m.dated],
    )
    for tier in tiers:
        numbers = {m.number for m in tier}
        if len(numbers) == 1:
            return tier[0]
        if len(numbers) > 1:
            lead = {m.number for m in tier if m.paragraph == min(x.paragraph for x in tier)}
            return next(m for m in tier if m.number in lead) if len(lead) == 1 and tier is tiers[0] else None
    return None


# --------------------------------------------------------------------------
# Place


def known_place(text: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    best: tuple[int, int, str, str] | None = None
    for place in vocabulary.places:
        for spelling in place.spellings:
            m = re.search(phrase_pattern(spelling), text, re.I if spelling.isupper() else 0)
            if m is None and spelling.upper() != spelling:
                m = re.search(phrase_pattern(spelling.upper()), text)
            if m and (best is None or (m.start(), -len(spelling)) < (best[0], best[1])):
                best = (m.start(), -len(spelling), place.name, m.group(0))
    return (best[2], best[3]) if best else None


_HELD_IN = re.compile(
    r"\b(?:held|took\s+place|convened|met|meeting|session|talks|NCG|Group)\b[^.;]*?\bin\s+(?P<rest>[A-Z][^;]{0,40})"
)


def place_from(sentences: list[str], dateline: re.Match[str] | None, vocabulary: Vocabulary) -> tuple[str, str] | None:
    for sentence in sentences:
        for m in _HELD_IN.finditer(sentence):
            found = known_place(m.group("rest"), vocabulary)
            if found and m.group("rest").startswith(found[1]):
                return found[0], sentence
    if dateline:
        found = known_place(dateline.group("city").title(), vocabulary)
        if found:
            return found[0], dateline.group(0)
    return None


# --------------------------------------------------------------------------
# People

_HONORIFIC = r"(?:(?:Mr|Ms|Mrs|Dr|Gen|Adm|Amb)\.?\s+)"
_UNKNOWN_NAME = re.compile(rf"{_HONORIFIC}?(?P<name>[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){{1,2}}(?:-[a-z]+)?)\b")
_TRIGGER = re.compile(
    r"\b(?P<what>(?:co-?chaired|chaired|convened|led|headed|hosted|presided\s+over)\s+by)\s+", re.I
)
_DISCUSSIONS = re.compile(r"\bdiscussions?\s+(?:were|was)\s+led\s+by\s*$", re.I)
_STOP_WORDS = frozenset("the a an and while who which that with as but where when this these it its they he she".split())
TITLE_WORDS = re.compile(
    r"\b(?:President|Minister|Secretary|Adviser|Advisor|Director|Coordinator|Deputy|Ambassador|Chief|"
    r"Chairman|Chair|Commander|Spokesperson|Spokesman|Official|Envoy|Representative|Undersecretary)\b"
)
US_CONTEXT = re.compile(r"\bU\.S\.|\bUS\b|\bAmerican\b|\bUnited States\b|\bWashington\b|\bPentagon\b|\bWhite House\b")
ROK_CONTEXT = re.compile(r"\bSouth Korea|\bROK\b|\bKorean\b|\bSeoul\b|\bMinistry of National Defense\b|\bRepublic of Korea\b")


@dataclass
class _Mention:
    name: str
    written: str
    start: int
    end: int
    sentence: str
    side: str | None
    kind: str


def known_people(sentence: str, vocabulary: Vocabulary) -> list[_Mention]:
    found: list[_Mention] = []
    for person in vocabulary.people:
        for spelling in sorted(person.spellings, key=len, reverse=True):
            m = re.search(phrase_pattern(spelling), sentence)
            if m:
                found.append(_Mention(person.name, m.group(0), m.start(), m.end(), sentence, person.side, person.kind))
                break
    return found


def title_after(sentence: str, end: int) -> str | None:
    """The appositive after a name: "Kim Hong-cheol, the deputy minister for …, and …"."""
    rest = sentence[end:]
    if not rest.startswith(","):
        return None
    chunks = rest[1:].split(",")
    title_parts: list[str] = []
    for index, chunk in enumerate(chunks):
        words = chunk.strip().split()
        if not words:
            break
        first = words[0].strip("“”\"'").casefold()
        if index > 0 and (first in _STOP_WORDS or not words[0][:1].islower()):
            break
        title_parts.append(chunk.strip())
        if index == 0 and (first in _STOP_WORDS - {"the"} or re.match(r"[A-Z][a-z]+\s+(?:said|says)", chunk.strip())):
            return None
    title = ", ".join(title_parts).rstrip(".;:")
    title = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.I)
    title = re.sub(r"^(?:South Korea|Korea|the U\.S\.|U\.S\.|America|the United States)['’]s\s+", "", title)
    if not title or word_count(title) > 25 or word_count(title) < 2:
        return None
    return title


def title_before(sentence: str, start: int) -> tuple[str | None, str]:
    """A title written before a name ("U.S. President Donald Trump"), and its context."""
    before = sentence[:start]
    m = re.search(
        r"((?:(?:South\s+Korea|Korea|the\s+U\.S\.|U\.S\.|America)['’]s\s+)?"
        r"(?:(?:U\.S\.|South\s+Korean|American|ROK|former|acting|then-)\s+)*"
        r"(?:[A-Z][a-z]+\s+(?:(?:of|for|and)\s+)?){1,7})$",
        before,
    )
    if not m:
        return None, ""
    phrase = m.group(1).strip()
    if not TITLE_WORDS.search(phrase):
        return None, phrase
    context = phrase
    phrase = re.sub(r"^(?:South Korea|Korea|the U\.S\.|U\.S\.|America)['’]s\s+", "", phrase)
    phrase = re.sub(r"^(?:U\.S\.|South Korean|American|ROK)\s+", "", phrase)
    return phrase.strip(), context


def side_from(text: str) -> str | None:
    us, rok = US_CONTEXT.search(text), ROK_CONTEXT.search(text)
    if us and not rok:
        return "US"
    if rok and not us:
        return "ROK"
    if us and rok:
        return "US" if us.start() > rok.start() else "ROK"
    return None


def trigger_segments(sentence: str) -> list[tuple[int, int, str]]:
    """The stretches of a sentence after "led by", "co-chaired by" …, with their lead-in."""
    triggers = list(_TRIGGER.finditer(sentence))
    segments = []
    for i, m in enumerate(triggers):
        end = triggers[i + 1].start() if i + 1 < len(triggers) else len(sentence)
        lead_start = triggers[i - 1].end() if i else 0
        segments.append((m.end(), end, sentence[lead_start : m.start()]))
    return segments


def people_from(sentences: list[str], vocabulary: Vocabulary) -> tuple[list[Person], list[Evidence]]:
    people: dict[str, Person] = {}
    evidence: list[Evidence] = []
    for sentence in sentences:
        mentions = known_people(sentence, vocabulary)
        segments = trigger_segments(sentence)
        for seg_start, seg_end, lead_in in segments:
            segment = sentence[seg_start:seg_end]
            m = _UNKNOWN_NAME.match(segment)
            starts = [seg_start + m.start("name")] if m else []
            starts += [seg_start + a.end() for a in re.finditer(r",?\s+and\s+(?:by\s+)?" + _HONORIFIC + "?", segment)]
            for start in starts:
                if any(x.start <= start < x.end for x in mentions):
                    continue
                n = _UNKNOWN_NAME.match(sentence, start)
                if n and not any(x.start == n.start("name") for x in mentions):
                    mentions.append(_Mention(n.group("name"), n.group("name"), n.start("name"), n.end("name"), sentence, None, "official"))
        for mention in sorted(mentions, key=lambda x: x.start):
            segment = next(((a, b, lead) for a, b, lead in segments if a <= mention.start < b), None)
            role = "other"
            if segment and mention.kind == "official" and not _DISCUSSIONS.search(segment[2]):
                role = "co-chair"
            title = title_after(sentence, mention.end)
            context = ""
            if title is None:
                title, context = title_before(sentence, mention.start)
            side = mention.side
            if side is None:
                side = side_from(" ".join(filter(None, [title, context, segment[2] if segment else ""])))
            key = name_key(mention.name)
            existing = people.get(key)
            written = mention.written if name_key(mention.written) != key else None
            person = Person(mention.name, side, role, title, written)
            if existing is None:
                people[key] = person
            else:
                people[key] = Person(
                    existing.name,
                    existing.side or side,
                    "co-chair" if "co-chair" in (existing.role, role) else "other",
                    existing.title or title,
                    existing.written or written,
                )
            if existing is None or (role == "co-chair" and existing.role != "co-chair"):
                evidence.append(Evidence("people", f"{mention.name} ({role})", sentence))
    return list(people.values()), evidence


# --------------------------------------------------------------------------
# Topics, quotes, summary, title


def topics_from(text: str, vocabulary: Vocabulary) -> tuple[list[str], list[Evidence]]:
    topics, evidence = [], []
    for topic in vocabulary.topics:
        hit = None
        for synonym in topic.synonyms:
            hit = re.search(phrase_pattern(synonym), text, re.I)
            if hit:
                break
        if hit is None:
            for acronym in topic.acronyms:
                hit = re.search(phrase_pattern(acronym), text)
                if hit:
                    break
        if hit:
            topics.append(topic.slug)
            evidence.append(Evidence("topics", topic.slug, text[max(0, hit.start() - 40) : hit.end() + 40].strip()))
    return topics, evidence


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


def extract(text: str, vocabulary: Vocabulary) -> Extraction:
    """Read every frontmatter field the text supports."""
    parts = split_parts(text)
    paragraphs = parts.paragraphs
    evidence: list[Evidence] = []

    if parts.headline:
        title = parts.headline
        evidence.append(Evidence("title", title, "headline"))
    else:
        title = title_from_lead(paragraphs[0] if paragraphs else "") or "Untitled article"
        evidence.append(Evidence("title", title, "lead sentence (no headline in the text)"))

    outlet_found = outlet_from(parts, vocabulary)
    outlet = outlet_found[0] if outlet_found else None
    if outlet_found:
        evidence.append(Evidence("outlet", outlet_found[0], outlet_found[1]))

    if parts.published is not None:
        evidence.append(Evidence("published", format_published(parts.published) or "", parts.published_line or ""))

    body_sentences = [(i, s) for i, p in enumerate(paragraphs) for s in split_sentences(p)]
    all_text = " ".join(filter(None, [parts.headline, *paragraphs]))
    mentions_ncg = bool(re.search(NCG, all_text, re.I))
    mentions: list[MeetingMention] = []
    if parts.headline:
        mentions += meeting_mentions(parts.headline, -1, mentions_ncg)
    for i, sentence in body_sentences:
        mentions += meeting_mentions(sentence, i, mentions_ncg)
    decided = decide_meeting(mentions)
    meeting = decided.number if decided else None
    if decided:
        evidence.append(Evidence("meeting", str(meeting), decided.sentence))

    sentences = [s for _, s in body_sentences]
    ordered = ([decided.sentence] if decided else []) + sentences
    place_found = place_from(ordered, parts.dateline, vocabulary)
    place = place_found[0] if place_found else None
    if place_found:
        evidence.append(Evidence("place", place_found[0], place_found[1]))

    people, people_evidence = people_from(sentences, vocabulary)
    evidence += people_evidence
    topics, topic_evidence = topics_from(all_text, vocabulary)
    evidence += topic_evidence
    quotes = quotes_from(paragraphs, people)

    outlet_def = vocabulary.outlet(outlet) if outlet else None
    republish = bool(outlet_def and outlet_def.republish)

    missing = [
        name
        for name, value in (
            ("outlet", outlet),
            ("published", parts.published),
            ("meeting", meeting),
            ("place", place),
            ("co-chairs", [p for p in people if p.role == "co-chair"]),
        )
        if not value
    ]
    return Extraction(
        title=title,
        outlet=outlet,
        published=parts.published,
        meeting=meeting,
        place=place,
        people=tuple(people),
        topics=tuple(topics),
        quotes=tuple(quotes),
        summary=summary_from(paragraphs),
        rights=parts.rights,
        republish=republish,
        author=parts.author,
        paragraphs=tuple(paragraphs),
        evidence=tuple(evidence),
        missing=tuple(missing),
    )
