"""Which NCG meeting an article reports, and where it was held.

Two kinds of evidence: the meeting's number as the text writes it ("the
fifth meeting of the NCG", "3rd NCG", "the inaugural session"), and the day
the text says a meeting was held, compared with the curated meeting dates in
content/meetings.yml. A number that the curated record contradicts is left
blank: a blank is better than a wrong meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Sequence

from .dates import DayMention, days_in
from .model import ORDINAL_WORDS, Meeting, Vocabulary
from .text import phrase_pattern

_NUMBERS = {word: n for n, word in enumerate(ORDINAL_WORDS) if n} | {"inaugural": 1}
ORDINAL = r"(?P<ord>inaugural|" + "|".join(ORDINAL_WORDS[1:]) + r"|\d{1,2}(?:st|nd|rd|th))"
NCG = r"(?:NCG|Nuclear\s+Consultative\s+Group)"
NOUN = r"(?:meeting|session|plenary(?:\s+(?:session|meeting))?|round(?:\s+of\s+talks)?|talks|gathering)"
QUALIFIER = (
    r"(?:(?:U\.S\.?|US|American|ROK|South\s+Korean?|Korea)[\s\-–]+(?:ROK|South\s+Korean?|Korea|U\.S\.?|US)\s+|"
    r"bilateral\s+|allies['’]\s+|joint\s+)?"
)
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
_TRAP_BEFORE = re.compile(r"\b(?:such|previous|prior|last|earlier|preceding|since\s+(?:its|the|their))\s+$", re.I)
_HALF = re.compile(r"\s*half\b", re.I)  # "the first half of 2026"
FUTURE = re.compile(
    r"\b(?:to\s+be\s+held|will\s+(?:be\s+held|hold|take\s+place|convene|meet)|scheduled|upcoming|next|planned|"
    r"plans?\s+(?:for|to)|future|is\s+expected|to\s+hold)\b",
    re.I,
)
_SPECIFIC_DAY = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# A sentence that says a meeting took place (or will).
_HELD = re.compile(
    r"\b(?:held|hold|holds|met|meet|meets|convened|convene|took\s+place|take\s+place|meeting|session|talks|plenary)\b",
    re.I,
)
# How long before its meeting an article may preview it, and how long after
# it may still report it rather than look back on it.
PREVIEW_LIMIT = dt.timedelta(days=60)
REPORT_LIMIT = dt.timedelta(days=21)


@dataclass(frozen=True)
class MeetingMention:
    number: int
    kind: str  # owner | named | of | bare
    sentence: str
    paragraph: int  # -1 for the headline
    future: bool
    dated: bool


@dataclass(frozen=True)
class MeetingFinding:
    """The meeting an article reports (or None), what said so, and why a blank was left."""

    number: int | None
    snippet: str = ""
    reason: str = ""  # how the number was reached, when not from the text alone
    warning: str = ""  # why the meeting was left blank although the text names one


def ordinal_number(token: str) -> int | None:
    token = token.casefold()
    if token in _NUMBERS:
        return _NUMBERS[token]
    digits = re.match(r"\d+", token)
    return int(digits.group(0)) if digits else None


def is_trap(sentence: str, start: int, end: int) -> bool:
    """An ordinal that counts something else: "first such talks since", "first half of 2026"."""
    after, before = sentence[end:], sentence[:start]
    return bool(_TRAP_AFTER.match(after) or _TRAP_BEFORE.search(before) or _HALF.match(after))


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
            if is_trap(sentence, m.start(), m.end()):
                continue
            number = ordinal_number(m.group("ord"))
            if not number:
                continue
            clause = sentence[max(0, m.start() - 80) : m.end() + 80]
            future = bool(FUTURE.search(clause))
            found.append(MeetingMention(number, kind, sentence, paragraph, future, bool(_SPECIFIC_DAY.search(sentence[m.end() :]))))
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


def meeting_days(sentences: Sequence[str], published: dt.date | None) -> list[tuple[DayMention, str]]:
    """The days on which the text says an NCG meeting was (or will be) held, with their sentences."""
    found = []
    for sentence in sentences:
        if not re.search(NCG, sentence, re.I) or OTHER_BODIES.search(sentence) or not _HELD.search(sentence):
            continue
        ahead = bool(FUTURE.search(sentence))
        found += [(day, sentence) for day in days_in(sentence, published, ahead=ahead)]
    return found


def _on(meeting: Meeting) -> str:
    return f"meeting {meeting.number} ({meeting.date.isoformat() if meeting.date else 'undated'})"


def link_meeting(
    mentions: list[MeetingMention],
    days: list[tuple[DayMention, str]],
    meetings: Sequence[Meeting],
    published: dt.date | None,
) -> MeetingFinding:
    """Settle the meeting from the numbers the text gives and the days it names.

    With curated meetings at hand: a number is dropped when the text dates the
    meeting on another meeting's day, or when the article was published too
    long after (or before) that meeting to be reporting it; and a text that
    gives no number but dates an NCG meeting on a curated meeting's day is
    linked to that meeting.
    """
    decided = decide_meeting(mentions)
    record = {m.number: m for m in meetings}
    dated = [(day, sentence, m) for day, sentence in days for m in meetings if m.date == day.day]
    dated_numbers = {m.number for _, _, m in dated}
    if decided is None:
        if len(dated_numbers) != 1:
            return MeetingFinding(None)
        day, sentence, meeting = dated[0]
        reason = (
            f"the text dates the meeting {day.day.isoformat()} (\"{day.written}\", {day.how}), "
            f"the date of meeting {meeting.number} in content/meetings.yml"
        )
        return MeetingFinding(meeting.number, sentence, reason)
    number = decided.number
    if not meetings:
        return MeetingFinding(number, decided.sentence)
    meeting = record.get(number)
    if meeting is None:
        return MeetingFinding(None, decided.sentence, warning=f"the text names meeting {number}, which content/meetings.yml does not list")
    if dated_numbers and number not in dated_numbers:
        other = record[min(dated_numbers)]
        return MeetingFinding(
            None, decided.sentence, warning=f"the text names meeting {number} but dates it on the day of {_on(other)}"
        )
    if published and meeting.date:
        gap = published - meeting.date
        if gap > REPORT_LIMIT or -gap > PREVIEW_LIMIT:
            return MeetingFinding(
                None,
                decided.sentence,
                warning=f"published {published.isoformat()}, too far from {_on(meeting)} to be reporting it",
            )
    reason = "its date matches content/meetings.yml" if number in dated_numbers else ""
    return MeetingFinding(number, decided.sentence, reason)


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
    r"\b(?:held|took\s+place|convened|met|meeting|session|talks|NCG|Group|plenary)\b[^.;]*?\bin\s+(?P<rest>[A-Z][^;]{0,40})"
)
# "in Yongsan, central Seoul": a district, then its city.
_DISTRICT_OF = re.compile(r"^,\s+(?:(?:central|northern|southern|eastern|western)\s+)?(?P<city>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)")


def place_in(rest: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The place `rest` starts with, or the city after a district ("Yongsan, central Seoul")."""
    found = known_place(rest, vocabulary)
    if not found or not rest.startswith(found[1]):
        return None
    district = _DISTRICT_OF.match(rest[len(found[1]) :])
    if district:
        city = known_place(district.group("city"), vocabulary)
        if city:
            return city
    return found


def place_from(
    sentences: Sequence[str],
    vocabulary: Vocabulary,
    number: int | None,
    record: Meeting | None,
    dateline_city: str | None,
) -> tuple[str, str] | None:
    """(city, evidence): where the reported meeting was held.

    Only for an article that reports a meeting (`number`): from a sentence
    about it ("held … in Seoul"); failing that, the city of its curated
    record, then the dateline.
    """
    if number is None:
        return None
    for sentence in sentences:
        if OTHER_BODIES.search(sentence) and not re.search(NCG, sentence, re.I):
            continue
        for m in _HELD_IN.finditer(sentence):
            found = place_in(m.group("rest"), vocabulary)
            if found:
                return found[0], sentence
    if record is not None and record.city:
        return record.city, f"the city of meeting {record.number} in content/meetings.yml"
    if dateline_city:
        found = known_place(dateline_city.title(), vocabulary)
        if found:
            return found[0], dateline_city
    return None
