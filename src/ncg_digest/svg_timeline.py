"""The drawn timeline on the index: positions of the marks, computed at build time.

The figure spans whole years from 2023, when the NCG was founded, to the
site's "present": the year of the latest dated content, extended to cover a
planned meeting's announced period. "Present" comes from the content, not
the clock, so a rebuild next year draws the same figure until the content
changes. The template ``_timeline_figure.html`` turns this plan into SVG.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import urls
from .chronology import latest, latest_content_date, planned_period
from .digest import Digest, TimelineEntry

FIRST_YEAR = 2023
WIDTH = 480
HEIGHT = 84
MARGIN = 22
AXIS_Y = 40


@dataclass(frozen=True)
class YearTick:
    year: int
    x: float
    label_x: float  # the middle of the year


@dataclass(frozen=True)
class Mark:
    kind: str  # "held", "planned", "founding" or "related"
    x: float
    label: str  # short text drawn by the mark ("5")
    name: str  # the full name, shown on hover with the date
    target: str  # the site path (and fragment) the mark links to
    day: dt.date | None = None
    planned: str | None = None  # a planned meeting: its announced period, as announced
    x_end: float | None = None  # a planned meeting: the end of its announced period


@dataclass(frozen=True)
class Figure:
    first_year: int
    last_year: int
    ticks: tuple[YearTick, ...]
    marks: tuple[Mark, ...]
    width: int = WIDTH
    height: int = HEIGHT
    axis_y: int = AXIS_Y
    left: int = MARGIN
    right: int = WIDTH - MARGIN

    def of_kind(self, kind: str) -> tuple[Mark, ...]:
        return tuple(m for m in self.marks if m.kind == kind)


def last_year(digest: Digest) -> int:
    """The year the axis ends: the latest dated content, or the end of a planned period after it."""
    periods = [planned_period(m) for m in digest.meetings]
    end = latest([latest_content_date(digest), *(p[1] for p in periods if p)])
    return max(FIRST_YEAR, end.year if end else FIRST_YEAR)


def scale(first: int, last: int):
    start = dt.date(first, 1, 1)
    days = (dt.date(last + 1, 1, 1) - start).days

    def x(day: dt.date) -> float:
        return round(MARGIN + (day - start).days / days * (WIDTH - 2 * MARGIN), 1)

    return x


def mark_of(entry: TimelineEntry, x) -> Mark | None:
    if entry.meeting:
        meeting = entry.meeting
        record = meeting.meeting
        if record.date:
            return Mark("held", x(record.date), str(record.number), record.title, meeting.path, day=record.date)
        period = planned_period(meeting)
        if period is None:
            return None
        return Mark("planned", x(period[0]), str(record.number), record.title, meeting.path, planned=record.planned, x_end=x(period[1]))
    assert entry.event is not None
    ev = entry.event
    return Mark(entry.kind, x(ev.date), "", ev.name, f"{urls.INDEX}#{entry.anchor}", day=ev.date)


def figure(digest: Digest) -> Figure:
    first, last = FIRST_YEAR, last_year(digest)
    x = scale(first, last)
    ticks = tuple(
        YearTick(year, x(dt.date(year, 1, 1)), round((x(dt.date(year, 1, 1)) + x(dt.date(year + 1, 1, 1))) / 2, 1))
        for year in range(first, last + 1)
    )
    marks = tuple(m for m in (mark_of(e, x) for e in digest.timeline) if m)
    return Figure(first, last, ticks, marks)

