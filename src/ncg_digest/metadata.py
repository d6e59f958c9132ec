"""What a page tells search engines and link previews: canonical address, OpenGraph, JSON-LD.

JSON-LD (schema.org) describes an article page as a ``NewsArticle``, a meeting
page as an ``Event`` and the timeline as an ``ItemList``. Absolute addresses
(canonical link, ``og:url``, ``url`` in JSON-LD) appear only when
``base_url`` is set; without it they are left out rather than made wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from . import urls
from .chronology import planned_period
from .config import SiteConfig
from .digest import ArticleDigest, Digest, MeetingDigest, MeetingRef, TimelineEntry

SCHEMA = "https://schema.org"
SIDE_COUNTRIES = {"US": "United States", "ROK": "Republic of Korea"}


@dataclass(frozen=True)
class HeadMeta:
    canonical: str | None
    og_type: str
    json_ld: Markup | None


def script_json(data: dict[str, Any]) -> Markup:
    """JSON safe inside ``<script>``: no "<" can close the element early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def with_url(data: dict[str, Any], path: str, site: SiteConfig) -> dict[str, Any]:
    if site.base_url:
        data["url"] = urls.absolute(site.base_url, path)
    return data


def country(name: str) -> dict[str, str]:
    return {"@type": "Country", "name": name}


def person(name: str, side: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Person", "name": name}
    if side in SIDE_COUNTRIES:
        data["nationality"] = country(SIDE_COUNTRIES[side])
    return data


def news_article(article: ArticleDigest, site: SiteConfig) -> dict[str, Any]:
    item = article.item
    data: dict[str, Any] = {"@context": SCHEMA, "@type": "NewsArticle", "headline": item.title[:110]}
    if item.published:
        data["datePublished"] = item.published.isoformat()
    if item.outlet:
        data["publisher"] = {"@type": "Organization", "name": item.outlet}
    if item.author:
        data["author"] = {"@type": "Person", "name": item.author}
    if item.summary:
        data["description"] = item.summary
    if item.url:
        data["sameAs"] = item.url
    if article.topics:
        data["keywords"] = [t.name for t in article.topics]
    if article.meeting:
        data["about"] = event(article.meeting, site, brief=True)
    return with_url(data, article.path, site)


def event(meeting: MeetingDigest | MeetingRef, site: SiteConfig, brief: bool = False) -> dict[str, Any]:
    record = meeting.meeting
    data: dict[str, Any] = {"@type": "Event", "name": f"{record.title} (U.S.–ROK Nuclear Consultative Group)"}
    period = planned_period(meeting)
    if record.date:
        data["startDate"] = record.date.isoformat()
    elif period:
        # Only the announced period is known ("first half of 2026"): its months, as ISO 8601 allows.
        data["startDate"] = period[0].strftime("%Y-%m")
        data["endDate"] = period[1].strftime("%Y-%m")
    if record.status == "planned":
        data["eventStatus"] = f"{SCHEMA}/EventScheduled"
    if brief:
        return with_url(data, meeting.path, site)
    data["@context"] = SCHEMA
    data["eventAttendanceMode"] = f"{SCHEMA}/OfflineEventAttendanceMode"
    if record.city:
        data["location"] = {"@type": "Place", "name": record.city, "address": record.city}
    if record.outcomes:
        data["description"] = " ".join(record.outcomes)
    if meeting.co_chairs:
        data["performer"] = [person(o.name, o.side) for o in meeting.co_chairs]
    data["organizer"] = [country(name) for name in SIDE_COUNTRIES.values()]
    if record.sources:
        data["sameAs"] = list(record.sources)
    return with_url(data, meeting.path, site)


def list_item(position: int, entry: TimelineEntry, site: SiteConfig) -> dict[str, Any]:
    if entry.meeting:
        thing = event(entry.meeting, site, brief=True)
    else:
        assert entry.event is not None
        thing = {"@type": "Event", "name": entry.event.name, "startDate": entry.event.date.isoformat()}
        if site.base_url:
            thing["url"] = urls.absolute(site.base_url, urls.INDEX) + "#" + entry.anchor
    return {"@type": "ListItem", "position": position, "item": thing}


def item_list(digest: Digest, site: SiteConfig) -> dict[str, Any]:
    data = {
        "@context": SCHEMA,
        "@type": "ItemList",
        "name": f"{site.title}: timeline",
        "itemListOrder": f"{SCHEMA}/ItemListOrderAscending",
        "numberOfItems": len(digest.timeline),
        "itemListElement": [list_item(n, e, site) for n, e in enumerate(digest.timeline, 1)],
    }
    return with_url(data, urls.INDEX, site)


def structured_data(path: str, context: dict[str, Any], site: SiteConfig) -> dict[str, Any] | None:
    """The JSON-LD for a page, chosen by what the page shows."""
    if isinstance(context.get("a"), ArticleDigest):
        return news_article(context["a"], site)
    if isinstance(context.get("m"), MeetingDigest):
        return event(context["m"], site)
    if path == urls.INDEX and isinstance(context.get("digest"), Digest):
        return item_list(context["digest"], site)
    return None


def head_meta(path: str, context: dict[str, Any], site: SiteConfig) -> HeadMeta:
    data = structured_data(path, context, site)
    canonical = urls.absolute(site.base_url, path) if site.base_url and path != urls.NOT_FOUND else None
    og_type = "article" if isinstance(context.get("a"), ArticleDigest) else "website"
    return HeadMeta(canonical, og_type, script_json(data) if data else None)
