"""The Atom feed (RFC 4287) of articles and meetings: ``feed.xml``.

Ids are ``urn:uuid:`` values derived from keys that do not change when the
site is rebuilt or moved: a meeting's number, an ingested article's seed
hash (or its slug when written by hand). Dates come from the content
(:mod:`~ncg_digest.chronology`), never the clock, as whole days in UTC because
the sources state no time zone.

With ``base_url`` set, every link is absolute and the feed links to itself.
Without it, each entry's link is relative to the feed's own address (the
feed sits at the site root, so a reader resolves it correctly wherever the
site is hosted), there is no self link, and entry content is plain text, so
no relative link hides inside HTML.

The feed holds the :data:`FEED_LIMIT` most recently updated entries.
"""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from . import urls
from .chronology import article_date, meeting_updated
from .config import SiteConfig
from .digest import ArticleDigest, Digest, MeetingDigest

ATOM = "http://www.w3.org/2005/Atom"
# Fixed for ever: changing it would change every id and make readers show old entries as new.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ncg-digest")


# A feed carries what is new, not the archive: readers fetch it often, and the
# site's pages and timeline.json hold everything.
FEED_LIMIT = 100


def stable_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def article_key(article: ArticleDigest) -> str:
    item = article.item
    return f"article/sha256/{item.seed_sha256}" if item.seed_sha256 else f"article/slug/{item.slug}"


def meeting_key(meeting: MeetingDigest) -> str:
    return f"meeting/{meeting.number}"


def rfc3339(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


@dataclass(frozen=True)
class Entry:
    key: str
    title: str
    path: str  # the page on the site
    updated: dt.date
    text: str  # plain-text content
    published: dt.date | None = None
    category: str = ""


def sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def article_entry(article: ArticleDigest) -> Entry | None:
    day = article_date(article)
    if day is None:
        return None  # an undated article that reports no dated meeting has no honest date
    item = article.item
    lines = [item.summary or item.title]
    source = " · ".join(x for x in (item.outlet, item.published_text) if x)
    if source:
        lines.append(f"Source: {source}")
    if article.meeting:
        lines.append(f"Reports the {article.meeting.meeting.title}.")
    if item.url:
        lines.append(f"Original: {item.url}")
    return Entry(article_key(article), item.title, article.path, day, "\n".join(lines), item.day, "Article")


def meeting_entry(meeting: MeetingDigest, digest: Digest) -> Entry | None:
    updated = meeting_updated(meeting, digest)
    if updated is None:
        return None
    record = meeting.meeting
    when = record.date.isoformat() if record.date else f"planned for {record.planned or 'a date not yet announced'}"
    lines = [sentence(f"{record.title}: {when}" + (f", {record.city}" if record.city else ""))]
    if meeting.co_chairs:
        lines.append("Co-chairs: " + "; ".join(o.name for o in meeting.co_chairs) + ".")
    lines += [f"- {outcome}" for outcome in record.outcomes]
    if meeting.articles:
        count = len(meeting.articles)
        lines.append(sentence(f"{count} article{'s' if count != 1 else ''}: " + ", ".join(meeting.outlets)))
    title = record.title + (" (planned)" if record.status == "planned" else "")
    return Entry(meeting_key(meeting), title, meeting.path, updated, "\n".join(lines), record.date, "Meeting")


def feed_entries(digest: Digest, limit: int = FEED_LIMIT) -> list[Entry]:
    """The `limit` most recently updated of the dated articles and meetings, newest first."""
    meetings = [e for e in (meeting_entry(m, digest) for m in digest.meetings) if e is not None]
    # Only the articles that can make the cut are written up: on a large site, a few of many thousands.
    dated = [(day, article_key(a), a) for a in digest.articles if (day := article_date(a)) is not None]
    newest = sorted(dated, key=lambda d: (d[0], d[1]), reverse=True)[:limit]
    entries = [*meetings, *(e for _, _, a in newest if (e := article_entry(a)) is not None)]
    return sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)[:limit]


def link_to(path: str, site: SiteConfig) -> str:
    return urls.absolute(site.base_url, path) if site.base_url else path


def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(digest: Digest, site: SiteConfig) -> bytes:
    entries = feed_entries(digest)
    # Names are written unqualified under a default namespace, as feed readers expect.
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.language})
    sub(feed, "id", stable_id("feed"))
    sub(feed, "title", site.title)
    if site.description:
        sub(feed, "subtitle", site.description)
    sub(feed, "updated", rfc3339(entries[0].updated if entries else dt.date(1970, 1, 1)))
    author = sub(feed, "author")
    sub(author, "name", site.title)
    sub(feed, "link", rel="alternate", type="text/html", href=link_to(urls.INDEX, site))
    if site.base_url:
        sub(feed, "link", rel="self", type="application/atom+xml", href=urls.absolute(site.base_url, urls.FEED))
    sub(feed, "icon", link_to(urls.FAVICON, site))
    for entry in entries:
        element = sub(feed, "entry")
        sub(element, "id", stable_id(entry.key))
        sub(element, "title", entry.title)
        sub(element, "updated", rfc3339(entry.updated))
        if entry.published:
            sub(element, "published", rfc3339(entry.published))
        sub(element, "link", rel="alternate", type="text/html", href=link_to(entry.path, site))
        sub(element, "category", term=entry.category.casefold(), label=entry.category)
        sub(element, "content", entry.text, type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"
