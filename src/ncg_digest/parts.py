"""Sorting the lines of a raw article: headline, body, and the page around them.

Copied pages carry furniture (share buttons, captions, section labels,
copyright lines) and the marks that say who published what and when
(mastheads, datelines, bylines, date lines). This module takes them apart;
it decides nothing about meetings or people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import parse_date_line
from .model import Published, Vocabulary
from .text import clean_space, normalize_newlines, phrase_pattern, word_count

_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|ⓒ|\(c\)\s)|all rights reserved", re.I)
_EDITOR = re.compile(r"^\s*(?:editor|edited by|translated by|reporting by|writing by|additional reporting)\b\s*:?\s", re.I)
_FURNITURE_WORDS = frozenset(
    """print page small big font size share facebook tweet twitter x kakao kakaotalk email e-mail
    copy link url copied listen to this article text a+ a- increase decrease reset line band naver
    subscribe comments comment more sns whatsapp linkedin telegram""".split()
)
# Labels of the page section a text was copied from, alone on their line.
_SECTION_LABEL = re.compile(
    r"^(?:briefing room|briefings?|statements? and releases|press releases?|immediate release|for immediate release|"
    r"releases?|news|fact sheet|media note|readout|office of the spokesperson|home|national|politics|"
    r"north korea|defense|world|opinion|analysis|features?|diplomacy|military|security|asia|asia-pacific|"
    r"latest|breaking news|top stories|\(end\)|\(lead\)|\(news focus\)|\(2nd lead\))$",
    re.I,
)
_CAPTION = re.compile(
    r"\bfile photo\b|\bphoto by\b|\bphoto courtesy\b|/\s*source\s*:|\bphoto\s*[:=]|"
    r"\(photo\b|\[photo\b|\bgetty images\b|\(yonhap\)\s*$|\bphotos?\s+(?:provided|released)\s+by\b",
    re.I,
)
# "- MICHAEL LEE", "By Choi Ji-won", "BY SHIN JI-HOON [shin.jihoon@joongang.co.kr]"
_REPORTER = re.compile(
    r"^\s*(?:-|—|–|By|BY)\s+(?P<name>[A-Z][A-Za-z.'\- ]{3,40}?)\s*(?:,\s*(?P<org>[^,|\[]+))?\s*"
    r"(?:\[[^\]]*@(?P<domain>[^\]\s]+)\]|\S+@(?P<bare_domain>\S+))?\s*$"
)
# "April 26, 2023 | By Joseph Clark , DOD News"
_BYLINE = re.compile(r"\|\s*By\s+(?P<name>[^,|]+?)\s*,\s*(?P<org>[^|]+?)\s*$")
# "SEOUL, July 8 (Yonhap) --", "WASHINGTON (AP) —", "Washington, Dec 15 (Reuters) -"
DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Za-z.' ]{1,30}?)(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?\s*"
    r"\((?P<outlet>[^)]{2,40})\)\s*(?:--|[—–-])\s*"
)


@dataclass
class Parts:
    """The lines of one article, sorted."""

    headline: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    rights: str | None = None
    published: Published | None = None
    published_line: str | None = None
    author: str | None = None
    author_line: str | None = None
    byline_org: str | None = None
    masthead: str | None = None  # a line that is just the publisher's name ("The White House")
    dateline: re.Match[str] | None = None


def raw_lines(text: str) -> list[str]:
    return [clean_space(line) for line in normalize_newlines(text).split("\n") if line.strip()]


def is_furniture(line: str) -> bool:
    words = re.findall(r"[a-z][a-z+\-]*", line.casefold())
    if not words:
        return True
    if line.lstrip().startswith("#") and line.count("#") >= 2:
        return True  # a line of hashtags
    if _SECTION_LABEL.match(line.strip()):
        return True
    return len(line) < 80 and all(w in _FURNITURE_WORDS for w in words)


def is_caption(line: str) -> bool:
    return bool(_CAPTION.search(line))


def looks_like_headline(line: str) -> bool:
    return (
        len(line) <= 260
        and not line.rstrip().endswith((".", ":", ";", ","))
        and not DATELINE.match(line)
        and word_count(line) >= 3
    )


def is_outlet_name(line: str, vocabulary: Vocabulary) -> bool:
    """A line that is nothing but a known outlet's name: the masthead of a copied page."""
    return any(re.fullmatch(phrase_pattern(s), line.strip(), re.I) for o in vocabulary.outlets for s in o.spellings)


def is_short_label(line: str, following: list[str]) -> bool:
    """A name of one to three words above a headline: an outlet's masthead or a section label.

    Only when the next line is itself a headline, so that a short headline
    over the body stays the headline.
    """
    return (
        word_count(line) <= 3
        and not re.search(r"[.,:;!?\"“”]", line)
        and bool(following)
        and looks_like_headline(following[0])
        and not is_furniture(following[0])
    )


def person_name_case(name: str) -> str:
    """ "SHIN JI-HOON" -> "Shin Ji-hoon"; names already in mixed case stay as written."""
    name = clean_space(name)
    if name != name.upper():
        return name
    return " ".join(word[:1] + word[1:].lower() for word in name.split())


def split_parts(text: str, vocabulary: Vocabulary) -> Parts:
    """Sort the lines of a raw article into headline, body and page furniture."""
    parts = Parts()
    lines = raw_lines(text)
    for index, line in enumerate(lines):
        if _COPYRIGHT.search(line):
            parts.rights = parts.rights or line
            continue
        if take_date_line(parts, line):  # before furniture: "2023-07-14 15:02" has no words
            continue
        if _EDITOR.match(line) or is_furniture(line) or is_caption(line):
            continue
        if not parts.paragraphs and parts.headline is None and (
            is_outlet_name(line, vocabulary) or is_short_label(line, lines[index + 1 : index + 2])
        ):
            parts.masthead = parts.masthead or line  # a second label is the page's section
            continue
        if take_byline(parts, line) or take_reporter(parts, line):
            continue
        if not parts.paragraphs and parts.headline is None and looks_like_headline(line) and index + 1 < len(lines):
            parts.headline = line
            continue
        if not parts.paragraphs:
            parts.dateline = DATELINE.match(line)
            if parts.dateline:
                line = line[parts.dateline.end() :]
        parts.paragraphs.append(line)
    return parts


def take_byline(parts: Parts, line: str) -> bool:
    byline = _BYLINE.search(line)
    if not byline:
        return False
    if parts.author is None:
        parts.author, parts.author_line = clean_space(byline.group("name")), line
    parts.byline_org = parts.byline_org or clean_space(byline.group("org"))
    date = parse_date_line(line[: byline.start()])
    if date is not None and parts.published is None:
        parts.published, parts.published_line = date, line
    return True


def take_date_line(parts: Parts, line: str) -> bool:
    date = parse_date_line(line)
    if date is None:
        return False
    if parts.published is None:
        parts.published, parts.published_line = date, line
    return True


def take_reporter(parts: Parts, line: str) -> bool:
    reporter = _REPORTER.match(line)
    if not reporter or word_count(re.sub(r"\[.*?\]|\S+@\S+", "", line)) > 6:
        return False
    if parts.author is None:
        parts.author, parts.author_line = person_name_case(reporter.group("name")), line
    # "By JOHN HARPER, Stars and Stripes"; "[name@joongang.co.kr]" names the outlet by its domain.
    org = reporter.group("org") or reporter.group("domain") or reporter.group("bare_domain")
    parts.byline_org = parts.byline_org or (clean_space(org) if org else None)
    return True
