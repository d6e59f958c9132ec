"""Dates derived from the content: when an entry last changed, and what "now" is.

Nothing here reads the clock, so two builds of the same content are byte for
byte the same. The feed, the calendar and the drawn timeline all take their
dates from these functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from .digest import ArticleDigest, Digest, MeetingDigest, MeetingRef, approximate_period


def latest(dates: Iterable[dt.date | None]) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def article_date(article: ArticleDigest) -> dt.date | None:
    """The day an article was published; an undated report takes the day of the meeting it reports."""
    if article.item.day:
        return article.item.day
    return article.meeting.meeting.date if article.meeting else None


def meeting_updated(meeting: MeetingDigest, digest: Digest) -> dt.date | None:
    """The last day something was added about a meeting: its date or its latest dated report.

    A planned meeting with no report yet was announced at an earlier meeting,
    so it is dated by the latest meeting held before it.
    """
    # An undated report counts as of the meeting's own date (see article_date), which is in the list already.
    found = latest([meeting.meeting.date, meeting.latest_report])
    if found:
        return found
    return latest(m.meeting.date for m in digest.meetings if m.number < meeting.number)


def planned_period(meeting: MeetingDigest | MeetingRef) -> tuple[dt.date, dt.date] | None:
    """For a meeting without a date, the period it was announced for ("first half of 2026")."""
    if meeting.meeting.date:
        return None
    return approximate_period(meeting.meeting.planned)


def latest_content_date(digest: Digest) -> dt.date | None:
    """The latest day any dated content speaks of: the site's "now"."""
    return latest(
        [
            *(m.meeting.date for m in digest.meetings),
            *(e.date for e in digest.timeline if e.event),
            *(a.item.day for a in digest.articles),
        ]
    )
