"""The timeline for other tools: ``timeline.json`` and ``meetings.ics``.

``timeline.json`` follows Knight Lab TimelineJS's JSON format, so the
timeline can be embedded on another site; a planned meeting gets a partial
date (year and month) spanning the announced period. ``meetings.ics`` is an
iCalendar file (RFC 5545) of the meetings as all-day events, with UIDs made
from the meeting numbers and DTSTAMPs taken from the content.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any

from . import urls
from .chronology import meeting_updated, planned_period
from .config import SiteConfig
from .digest import Digest, MeetingDigest, TimelineEntry

GROUPS = {"founding": "Founding", "meeting": "NCG meetings", "related": "Related events"}


# --------------------------------------------------------------------------
# TimelineJS


def timeline_date(day: dt.date, precise: bool = True, display: str | None = None) -> dict[str, Any]:
    date: dict[str, Any] = {"year": day.year, "month": day.month}
    if precise:
        date["day"] = day.day
    if display:
        date["display_date"] = display
    return date


def html_list(lines: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>" if lines else ""


def source_links(links: tuple[str, ...]) -> str:
    if not links:
        return ""
    anchors = ", ".join(f'<a href="{escape(link)}">source {n}</a>' for n, link in enumerate(links, 1))
    return f"<p>Sources: {anchors}</p>"


def meeting_text(meeting: MeetingDigest, site: SiteConfig) -> str:
    record = meeting.meeting
    parts = []
    if record.city:
        parts.append(f"<p>{escape(record.city)}</p>")
    if meeting.co_chairs:
        parts.append("<p>Co-chairs: " + escape("; ".join(o.name for o in meeting.co_chairs)) + "</p>")
    parts.append(html_list(record.outcomes))
    parts.append(source_links(record.sources))
    if site.base_url:
        parts.append(f'<p><a href="{escape(urls.absolute(site.base_url, meeting.path))}">Details and coverage</a></p>')
    return "".join(parts)


def timeline_event(entry: TimelineEntry, site: SiteConfig) -> dict[str, Any] | None:
    event: dict[str, Any] = {"unique_id": entry.anchor, "group": GROUPS[entry.kind]}
    if entry.meeting:
        meeting = entry.meeting
        record = meeting.meeting
        period = planned_period(meeting)
        if record.date:
            event["start_date"] = timeline_date(record.date)
        elif period:
            display = f"Planned: {record.planned}"
            event["start_date"] = timeline_date(period[0], precise=False, display=display)
            event["end_date"] = timeline_date(period[1], precise=False)
        else:
            return None  # a meeting with no date and no announced period cannot be placed
        headline = record.title + (" (planned)" if record.status == "planned" else "")
        event["text"] = {"headline": headline, "text": meeting_text(meeting, site)}
    else:
        assert entry.event is not None
        ev = entry.event
        event["start_date"] = timeline_date(ev.date)
        text = (f"<p>{escape(ev.city)}</p>" if ev.city else "") + f"<p>{escape(ev.what)}</p>" + source_links(ev.sources)
        event["text"] = {"headline": ev.name, "text": text}
    return event


def timeline_json(digest: Digest, site: SiteConfig) -> bytes:
    events = [e for e in (timeline_event(entry, site) for entry in digest.timeline) if e]
    document = {
        "title": {"text": {"headline": site.title, "text": f"<p>{escape(site.description)}</p>" if site.description else ""}},
        "events": events,
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# iCalendar


def ics_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 section 3.3.11 requires."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a character."""
    pieces, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        limit = 75 if not pieces else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            pieces.append(current)
            current = b""
        current += encoded
    pieces.append(current)
    return "\r\n ".join(p.decode("utf-8") for p in pieces)


def ics_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def calendar_event(meeting: MeetingDigest, digest: Digest, site: SiteConfig) -> list[str] | None:
    record = meeting.meeting
    if record.date:
        start, end, status = record.date, record.date + dt.timedelta(days=1), "CONFIRMED"
    else:
        period = planned_period(meeting)
        if period is None:
            return None
        start, end, status = period[0], period[1] + dt.timedelta(days=1), "TENTATIVE"
    stamp = meeting_updated(meeting, digest) or start
    summary = record.title + (f" (planned: {record.planned})" if record.status == "planned" and record.planned else "")
    description = [*record.outcomes, *(f"Source: {s}" for s in record.sources)]
    lines = [
        "BEGIN:VEVENT",
        f"UID:ncg-meeting-{record.number}@ncg-digest",
        f"DTSTAMP:{ics_date(stamp)}T000000Z",
        f"DTSTART;VALUE=DATE:{ics_date(start)}",
        f"DTEND;VALUE=DATE:{ics_date(end)}",
        f"SUMMARY:{ics_text(summary)}",
        f"STATUS:{status}",
        "TRANSP:TRANSPARENT",
    ]
    if record.city:
        lines.append(f"LOCATION:{ics_text(record.city)}")
    if description:
        lines.append(f"DESCRIPTION:{ics_text(chr(10).join(description))}")
    if site.base_url:
        lines.append(f"URL:{urls.absolute(site.base_url, meeting.path)}")
    lines.append("END:VEVENT")
    return lines


def meetings_ics(digest: Digest, site: SiteConfig) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ncg-digest//NCG meetings//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{ics_text(site.title + ': NCG meetings')}",
    ]
    for meeting in digest.meetings:
        lines += calendar_event(meeting, digest, site) or []
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def export_files(digest: Digest, site: SiteConfig) -> dict[str, bytes]:
    return {urls.TIMELINE_JSON: timeline_json(digest, site), urls.CALENDAR: meetings_ics(digest, site)}
