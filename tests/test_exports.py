"""timeline.json (TimelineJS) and meetings.ics (iCalendar), read back with real parsers."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser

import icalendar

EVENT_KEYS = {"start_date", "text", "group", "unique_id"}
DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date", "format"}


def timeline(project) -> dict:
    return json.loads((project.out / "timeline.json").read_text(encoding="utf-8"))


def check_date(date: dict) -> dt.date:
    """A TimelineJS date: a year, then optionally month and day, each a whole number; nothing else."""
    assert set(date) <= DATE_KEYS, date
    year, month, day = int(date["year"]), int(date.get("month", 1)), int(date.get("day", 1))
    if "day" in date:
        assert "month" in date
    return dt.date(year, month, day)


def test_timeline_json_has_the_shape_timelinejs_reads(bundled_site):
    data = timeline(bundled_site)
    assert data["title"]["text"]["headline"] == "NCG Digest"
    events = data["events"]
    assert len(events) == 8
    for event in events:
        assert EVENT_KEYS <= set(event), event
        check_date(event["start_date"])
        assert event["text"]["headline"]
        HTMLParser().feed(event["text"]["text"])  # TimelineJS shows it as HTML
    ids = [e["unique_id"] for e in events]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "founding-2023-04-26" and ids[-1] == "ncg-6"
    assert {e["group"] for e in events} == {"Founding", "NCG meetings", "Related events"}
    starts = [check_date(e["start_date"]) for e in events]
    assert starts == sorted(starts)


def test_planned_meeting_has_a_partial_date_spanning_its_period(bundled_site):
    sixth = next(e for e in timeline(bundled_site)["events"] if e["unique_id"] == "ncg-6")
    assert sixth["start_date"]["year"] == 2026 and sixth["start_date"]["month"] == 1
    assert "day" not in sixth["start_date"]
    assert sixth["end_date"] == {"year": 2026, "month": 6}
    assert "first half of 2026" in sixth["start_date"]["display_date"]
    assert "planned" in sixth["text"]["headline"]


def test_held_meeting_carries_its_facts_and_sources(bundled_site):
    fifth = next(e for e in timeline(bundled_site)["events"] if e["unique_id"] == "ncg-5")
    assert fifth["start_date"] == {"year": 2025, "month": 12, "day": 11}
    assert "Robert Soofer" in fifth["text"]["text"]
    assert 'href="https://cm.asiae.co.kr/en/article/2025121209273413716"' in fifth["text"]["text"]
    # No base URL: no link to the site's own pages, which would be relative and break when embedded.
    assert "meetings/ncg-5.html" not in fifth["text"]["text"]


def calendar(project) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical((project.out / "meetings.ics").read_bytes())


def test_calendar_has_an_all_day_event_per_meeting(bundled_site):
    raw = (bundled_site.out / "meetings.ics").read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = calendar(bundled_site)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    events = cal.walk("VEVENT")
    assert len(events) == 6
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date  # all-day: dates, not date-times
        assert end > start
        assert event["UID"] and event["SUMMARY"] and event.decoded("DTSTAMP")
    uids = [str(e["UID"]) for e in events]
    assert uids == [f"ncg-meeting-{n}@ncg-digest" for n in range(1, 7)]


def test_held_and_planned_meetings_in_the_calendar(bundled_site):
    events = {str(e["UID"]): e for e in calendar(bundled_site).walk("VEVENT")}
    fifth = events["ncg-meeting-5@ncg-digest"]
    assert fifth.decoded("DTSTART") == dt.date(2025, 12, 11)
    assert fifth.decoded("DTEND") == dt.date(2025, 12, 12)
    assert str(fifth["STATUS"]) == "CONFIRMED"
    assert str(fifth["LOCATION"]) == "Washington, D.C."
    assert "leading role in the conventional defense" in str(fifth["DESCRIPTION"])
    sixth = events["ncg-meeting-6@ncg-digest"]
    assert str(sixth["STATUS"]) == "TENTATIVE"
    assert sixth.decoded("DTSTART") == dt.date(2026, 1, 1)
    assert sixth.decoded("DTEND") == dt.date(2026, 7, 1)
    assert "first half of 2026" in str(sixth["SUMMARY"])
    # DTSTAMP comes from the content (the last meeting before it), never the clock.
    assert sixth.decoded("DTSTAMP") == dt.datetime(2025, 12, 11, tzinfo=dt.timezone.utc)


def test_with_a_base_url_exports_link_to_the_meeting_pages(hosted_site):
    fifth = next(e for e in timeline(hosted_site)["events"] if e["unique_id"] == "ncg-5")
    assert 'href="https://example.org/ncg-digest/meetings/ncg-5.html"' in fifth["text"]["text"]
    events = {str(e["UID"]): e for e in calendar(hosted_site).walk("VEVENT")}
    assert str(events["ncg-meeting-5@ncg-digest"]["URL"]) == "https://example.org/ncg-digest/meetings/ncg-5.html"


def test_without_a_base_url_the_calendar_has_no_page_links(bundled_site):
    assert all("URL" not in e for e in calendar(bundled_site).walk("VEVENT"))
