"""Who published an article: from its copyright line, masthead, dateline or byline.

Outlets appear under many spellings ("Thomson/Reuters", "AP", "KBS WORLD
Radio"); the outlet vocabulary (content/outlets.yml) maps them to one name.
An owner the vocabulary does not know is still taken from a copyright line.
"""

from __future__ import annotations

import re

from .model import Vocabulary
from .parts import Parts
from .text import phrase_pattern

_COPYRIGHT_OWNER = re.compile(
    r"(?:copyright|©|ⓒ)\s*(?:\(c\)|©)?\s*(?:by\s+)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?:by\s+)?"
    r"(?P<name>[A-Z][\w&.'/-]*(?:\s+(?:[A-Z][\w&.'/-]*|of|and|&))*)",
    re.I,
)
# The owner's name ends where the sentence's verb begins ("… exhibits its content").
_OWNER_END = re.compile(r"\s+(?:all|is|are|has|exhibits|forbids|prohibits|reserves)\b", re.I)


def known_outlet(text: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The first outlet from the vocabulary named in `text`: (name, spelling found)."""
    best: tuple[int, int, str, str] | None = None
    for outlet in vocabulary.outlets:
        for spelling in outlet.spellings:
            m = re.search(phrase_pattern(spelling), text, re.I)
            if m and (best is None or (m.start(), -len(spelling)) < (best[0], best[1])):
                best = (m.start(), -len(spelling), outlet.name, m.group(0))
    return (best[2], best[3]) if best else None


def copyright_owner(rights: str) -> str | None:
    m = _COPYRIGHT_OWNER.search(rights)
    if not m:
        return None
    name = _OWNER_END.split(m.group("name").strip(" .,"))[0].strip(" .,")
    return name or None


def outlet_from(parts: Parts, vocabulary: Vocabulary, site_name: str | None = None) -> tuple[str, str] | None:
    """(outlet, evidence): a known outlet from the strongest source that names one.

    The sources, strongest first: the copyright line, the page's site name
    (saved web pages), the masthead, the dateline, the byline. When none names
    a known outlet, the first of the copyright owner, the site name, the
    masthead, the dateline's agency and the byline's organisation is taken as
    written.
    """
    sources = [
        s
        for s in (
            parts.rights,
            site_name,
            parts.masthead,
            parts.dateline.group(0) if parts.dateline else None,
            parts.byline_org,
        )
        if s
    ]
    for source in sources:
        found = known_outlet(source, vocabulary)
        if found:
            return found[0], source
    owner = copyright_owner(parts.rights) if parts.rights else None
    if owner:
        return owner, parts.rights or ""
    if site_name:
        return site_name, site_name
    if parts.masthead:
        return parts.masthead, parts.masthead
    if parts.dateline:
        return parts.dateline.group("outlet").strip(), parts.dateline.group(0)
    if parts.byline_org:
        return parts.byline_org, parts.byline_org
    return None
