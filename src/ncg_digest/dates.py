"""Reading the dates news pages print: "Dec 12, 2025, 09:16 am", "15 December 2023", ISO…"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .model import Published, published_day

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*)\.?"
WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)"
TIME = (
    r"(?:,?\s*(?:[-–|]\s*)?(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?\s*"
    r"(?P<ampm>[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,4}\)?)?)?"
)
_MONTH_FIRST = re.compile(rf"{MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_DAY_FIRST = re.compile(rf"(?P<day>\d{{1,2}})\s+{MONTH}(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_DATE_LINE_PREFIX = re.compile(
    r"^(?:published|posted|updated|date|input|write|written|last updated|first published)\s*(?:on)?\s*[:|]?\s*", re.I
)
# A second stamp on the same line: "… 18:14 Updated: 10 Jun. 2024, 19:40", "… / Update: …".
_SECOND_STAMP = re.compile(r"\s+(?:/\s*)?(?:updated?|modified|edited)\b.*$", re.I)
# A time written before the date: "Updated 5:14 PM EST, December 11, 2025".
_LEADING_TIME = re.compile(
    r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?\s*,?\s+", re.I
)


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None, ampm: str | None) -> Published | None:
    try:
        if hour is None:
            return dt.date(year, month, day)
        h = int(hour)
        if ampm:
            pm = ampm.lower().startswith("p")
            if not 1 <= h <= 12:
                return None
            h = h % 12 + (12 if pm else 0)
        return dt.datetime(year, month, day, h, int(minute or 0))
    except ValueError:
        return None


def parse_date(text: str, *, with_time: bool = True) -> tuple[Published, tuple[int, int]] | None:
    """The first full date (with year) in `text`, and where it stands."""
    best: tuple[Published, tuple[int, int]] | None = None
    for pattern in (_ISO, re.compile(_MONTH_FIRST.pattern + TIME, re.I), re.compile(_DAY_FIRST.pattern + TIME, re.I)):
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if not groups.get("year"):
                continue
            month = groups["month"]
            month_number = int(month) if month.isdigit() else MONTHS.get(month.casefold().rstrip("."))
            if month_number is None:
                continue
            hour = groups.get("hour") if with_time else None
            value = _build(int(groups["year"]), month_number, int(groups["day"]), hour, groups.get("minute"), groups.get("ampm"))
            if value is not None and (best is None or m.start() < best[1][0]):
                best = (value, m.span())
            break
    return best


def parse_date_line(line: str) -> Published | None:
    """A publication date when the whole line is one ("Dec 12, 2025, 09:16 am", "Published: …")."""
    text = _DATE_LINE_PREFIX.sub("", line.strip()).strip()
    text = _SECOND_STAMP.sub("", text)
    text = re.sub(rf"^{WEEKDAY}", "", text, flags=re.I)
    leading = _LEADING_TIME.match(text)
    if leading:
        text = text[leading.end() :]
    found = parse_date(text)
    if found is None:
        return None
    value, (start, end) = found
    leftover = (text[:start] + text[end:]).strip(" ,|-–—()")
    # A dateline of the page, not a sentence that happens to hold a date.
    if len(leftover) > 12 or re.search(r"[a-z]{4,}", leftover.replace("updated", "")):
        return None
    if leading and not isinstance(value, dt.datetime):
        value = _build(value.year, value.month, value.day, leading["hour"], leading["minute"], leading["ampm"]) or value
    return value


def month_day(text: str) -> tuple[int, int] | None:
    """A month and day without a year ("July 8", "Dec. 15")."""
    m = _MONTH_FIRST.search(text) or _DAY_FIRST.search(text)
    if m is None:
        return None
    month = MONTHS.get(m.group("month").casefold().rstrip("."))
    return (month, int(m.group("day"))) if month else None


def resolve_weekday(weekday: str, reference: dt.date) -> dt.date:
    """The latest `weekday` on or before `reference` ("on Thursday", said on Friday → the day before)."""
    target = WEEKDAYS.index(weekday.casefold())
    back = (reference.weekday() - target) % 7
    return reference - dt.timedelta(days=back)


_ON_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
# "…, the ministry said on December 11": the day a source spoke, not the day of the event.
_SAID_BEFORE = re.compile(r"\b(?:said|says|announced|reported|told\s+\w+|released|stated|showed)\s+(?:on\s+)?$", re.I)


@dataclass(frozen=True)
class StatedDate:
    """A date as a sentence gives it: in full, without the year, or only as a weekday."""

    wording: str  # the words in the text ("on January 10, 2025", "on Thursday")
    date: dt.date | None = None  # when the text gives the full date
    month_day: tuple[int, int] | None = None
    weekday: str | None = None


def event_dates_in(sentence: str) -> list[StatedDate]:
    """The dates a sentence gives for what it reports, leaving out the dates of attributions."""
    found: list[tuple[int, StatedDate]] = []

    def spoken(start: int) -> bool:
        return bool(_SAID_BEFORE.search(sentence[:start]))

    full = parse_date(sentence, with_time=False)
    taken: tuple[int, int] | None = None
    if full is not None:
        value, (start, end) = full
        taken = (start, end)
        if not spoken(start):
            found.append((start, StatedDate(sentence[start:end], date=published_day(value))))
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        for m in pattern.finditer(sentence):
            if taken and taken[0] <= m.start() < taken[1] or m.group("year") or spoken(m.start()):
                continue
            month = MONTHS.get(m.group("month").casefold().rstrip("."))
            if month and 1 <= int(m.group("day")) <= 31:
                found.append((m.start(), StatedDate(m.group(0), month_day=(month, int(m.group("day"))))))
    for m in _ON_WEEKDAY.finditer(sentence):
        if not spoken(m.start()) and not m.group(0).casefold().startswith("last"):
            found.append((m.start(), StatedDate(m.group(0), weekday=m.group("weekday").casefold())))
    return [stated for _, stated in sorted(found, key=lambda pair: pair[0])]


def resolve_weekday_ahead(weekday: str, reference: dt.date) -> dt.date:
    """The first `weekday` on or after `reference` ("will meet on Friday")."""
    target = WEEKDAYS.index(weekday.casefold())
    return reference + dt.timedelta(days=(target - reference.weekday()) % 7)


_FULL_WEEKDAY = re.compile(r"\b(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_ISO_DAY = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
# How far a date without a year may lie after the publication date before it
# is read as last year's ("Dec. 15" in a piece published on January 2).
AHEAD_LIMIT = dt.timedelta(days=120)


@dataclass(frozen=True)
class DayMention:
    """A day a sentence names, and how it was read."""

    day: dt.date
    written: str
    how: str  # "full date", "year from the publication date", "weekday before/after the publication date"


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def days_in(sentence: str, reference: dt.date | None, *, ahead: bool = False) -> list[DayMention]:
    """Every day `sentence` names, in order.

    A date without a year takes the year of the publication date `reference`;
    a weekday ("on Friday") is the latest such day on or before it, or the
    next one when the sentence speaks of the future (`ahead`). Without a
    publication date, neither is resolved.
    """
    found: list[tuple[int, DayMention]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, mention: DayMention | None) -> None:
        if mention and not any(a <= start < b for a, b in taken):
            taken.append((start, end))
            found.append((start, mention))

    for m in _ISO_DAY.finditer(sentence):
        day = _day(int(m["year"]), int(m["month"]), int(m["day"]))
        add(m.start(), m.end(), day and DayMention(day, m.group(0), "full date"))
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        for m in pattern.finditer(sentence):
            month = MONTHS.get(m["month"].casefold().rstrip("."))
            if month is None:
                continue
            if m["year"]:
                day = _day(int(m["year"]), month, int(m["day"]))
                add(m.start(), m.end(), day and DayMention(day, m.group(0), "full date"))
            elif reference is not None:
                day = _day(reference.year, month, int(m["day"]))
                if day and day - reference > AHEAD_LIMIT:
                    day = _day(reference.year - 1, month, int(m["day"]))
                add(m.start(), m.end(), day and DayMention(day, m.group(0), "year from the publication date"))
    if reference is not None:
        for m in _FULL_WEEKDAY.finditer(sentence):
            if ahead:
                day, how = resolve_weekday_ahead(m["weekday"], reference), "the next such weekday after the publication date"
            else:
                day, how = resolve_weekday(m["weekday"], reference), "the last such weekday up to the publication date"
            add(m.start(), m.end(), DayMention(day, m.group(0), how))
    return [mention for _, mention in sorted(found, key=lambda pair: pair[0])]
