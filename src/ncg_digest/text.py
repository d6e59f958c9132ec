"""Small pure helpers on English news text: lines, sentences, slugs, phrases."""

from __future__ import annotations

import re
import unicodedata

# Words that end with a full stop without ending the sentence.
ABBREVIATIONS = frozenset(
    """
    u.s. u.n. u.k. d.c. r.o.k. mr. ms. mrs. dr. prof. gen. lt. col. maj. capt. adm. sgt.
    sen. rep. gov. amb. st. jr. sr. no. vol. co. corp. inc. ltd. vs. etc. e.g. i.e. approx.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    mon. tue. tues. wed. thu. thur. thurs. fri. sat. sun.
    """.split()
)

_BOUNDARY = re.compile(r"[.!?][\"”’')\]]*\s+")
_OPENING = re.compile(r"[\"“‘'(\[]?[A-Z0-9]")


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_space(text: str) -> str:
    """Fold runs of white space (including no-break spaces) into one space."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences, keeping "U.S.", "Dec. 15" and "Dr. Cho" whole."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        if not _OPENING.match(paragraph, end):
            continue
        stop = paragraph[start : match.start() + 1]
        last_word = stop.rsplit(None, 1)[-1].lstrip("\"“‘'(").casefold() if stop.strip() else ""
        if last_word in ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+", last_word):
            continue
        sentences.append(paragraph[start:end].strip())
        start = end
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def slugify(text: str, max_length: int = 60) -> str:
    """An ASCII, lower-case, hyphenated slug, cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "item"


def phrase_pattern(phrase: str) -> str:
    """A regex for `phrase` that tolerates hyphens or spaces between its words.

    So "conventional-nuclear integration" also finds "conventional nuclear
    integration", and "Kim Hong-cheol" finds "Kim Hong Cheol".
    """
    parts = re.split(r"[\s\-‐‑–]+", phrase.strip())
    body = r"[\s\-‐‑–]*".join(re.escape(p) for p in parts if p)
    return rf"(?<![\w-]){body}(?![\w-])"


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def shorten(text: str, limit: int) -> str:
    """Cut `text` at a word boundary to at most `limit` characters, marking the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;: ")
    return cut + "…"
