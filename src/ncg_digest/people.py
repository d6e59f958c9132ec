"""The officials an article names: who they are, which side, what role, what title.

Names are matched through the people vocabulary (content/people.yml), which
merges romanisation variants ("Cho Chang Lae" = "Cho Chang-rae") and knows
each person's side. A name the vocabulary does not know is taken only where
the text says the person led the meeting ("co-chaired by …"). Heads of state
and ministers mentioned in passing are never co-chairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .model import Person, Vocabulary, name_key
from .text import phrase_pattern, word_count

HONORIFIC = r"(?:(?:Mr|Ms|Mrs|Dr|Gen|Adm|Amb|Prof)\.?\s+)"
_HONORIFIC_BEFORE = re.compile(rf"{HONORIFIC}$")
_UNKNOWN_NAME = re.compile(rf"{HONORIFIC}?(?P<name>[A-Z][a-z]+(?:[\s-][A-Z][a-z]+){{1,2}}(?:-[a-z]+)?)\b")
# "co-chaired by", "convened by", "led by", "headed by", "chaired jointly by"
_TRIGGER = re.compile(
    r"\b(?P<what>(?:co-?chaired|(?:jointly\s+)?chaired(?:\s+jointly)?|convened|led|headed|hosted|presided\s+over)\s+by)\s+",
    re.I,
)
# "Kim Tae-hyo … and Maher Bitar … co-chaired the meeting", "X headed the South Korean
# delegation, while Y led the U.S. side", "X and Y will lead the talks"
_SUBJECT_VERB = re.compile(
    r"\b(?:will\s+)?(?:co-?chair(?:ed)?|chair(?:ed)?|lead|led|head(?:ed)?|convened)\s+the\s+(?:[\w.'’-]+\s+){0,2}?"
    r"(?:meeting|talks|session|plenary|NCG|delegations?|discussions|side)\b",
    re.I,
)
# "Discussions were led by …": they led the talks under the co-chairs, not the meeting.
_DISCUSSIONS = re.compile(r"\b(?:discussions?|working[\s-]level\s+talks)\s+(?:were|was)\s*$", re.I)
_STOP_WORDS = frozenset("the a an and while who which that with as but where when this these it its they he she".split())
TITLE_WORDS = re.compile(
    r"\b(?:President|Minister|Secretary|Adviser|Advisor|Director|Coordinator|Deputy|Ambassador|Chief|"
    r"Chairman|Chair|Commander|Spokesperson|Spokesman|Official|Envoy|Representative|Undersecretary)\b"
)
# Capitalised words that start a title or an institution, never a person's name.
_NOT_A_NAME = re.compile(
    r"\b(?:South|North|Korea|Korean|United|States|American|Acting|Assistant|Principal|Under|Defense|Defence|"
    r"National|Security|Council|Ministry|Department|Office|Policy|The|Pentagon|White|House|Seoul|Washington|"
    r"Allies|Both|Officials?|Arms|Control|Affairs|Plans|Operations|Strategy|Capabilities|Forces|Intelligence|"
    r"On|In|At|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|July|"
    r"August|September|October|November|December)\b"
)
US_CONTEXT = re.compile(r"\bU\.S\.|\bUS\b|\bAmerican\b|\bUnited States\b|\bWashington\b|\bPentagon\b|\bWhite House\b")
ROK_CONTEXT = re.compile(r"\bSouth Korea|\bROK\b|\bKorean\b|\bSeoul\b|\bMinistry of National Defense\b|\bRepublic of Korea\b")
_COUNTRY_POSSESSIVE = r"(?:South Korea|Korea|the U\.S\.|U\.S\.|America|the United States)['’]s\s+"


@dataclass
class _Mention:
    name: str
    written: str
    start: int
    end: int
    side: str | None
    kind: str


def known_people(sentence: str, vocabulary: Vocabulary) -> list[_Mention]:
    """People from the vocabulary named in `sentence`, under any of their spellings."""
    found: list[_Mention] = []
    for person in vocabulary.people:
        for spelling in sorted(person.spellings, key=len, reverse=True):
            m = re.search(phrase_pattern(spelling), sentence, re.I)
            if m and m.group(0)[:1].isupper():
                found.append(_Mention(person.name, m.group(0), m.start(), m.end(), person.side, person.kind))
                break
    return found


def title_after(sentence: str, end: int) -> str | None:
    """The appositive after a name: "Kim Hong-cheol, the deputy minister for …, and …"."""
    raw = appositive_after(sentence, end)
    if raw is None:
        return None
    title = re.sub(r"^(?:the|a|an)\s+", "", raw, flags=re.I)
    title = re.sub(rf"^{_COUNTRY_POSSESSIVE}", "", title)
    if not title or word_count(title) > 25 or word_count(title) < 2:
        return None
    return title


def appositive_after(sentence: str, end: int) -> str | None:
    """The words between commas after a name, as written ("South Korea's director general for …")."""
    rest = sentence[end:]
    if not rest.startswith(","):
        return None
    chunks = rest[1:].split(",")
    title_parts: list[str] = []
    for index, chunk in enumerate(chunks):
        words = chunk.strip().split()
        if not words:
            break
        first = words[0].strip("“”\"'").casefold()
        if index > 0 and (first in _STOP_WORDS or not words[0][:1].islower()):
            break
        title_parts.append(chunk.strip())
        if index == 0 and (first in _STOP_WORDS - {"the"} or re.match(r"[A-Z][a-z]+\s+(?:said|says)", chunk.strip())):
            return None
    return ", ".join(title_parts).rstrip(".;:") or None


def title_before(sentence: str, start: int) -> tuple[str | None, str]:
    """A title written before a name ("U.S. President Donald Trump"), and its context."""
    before = _HONORIFIC_BEFORE.sub("", sentence[:start])
    m = re.search(
        r"((?:(?:South\s+Korea|Korea|the\s+U\.S\.|U\.S\.|America)['’]s\s+)?"
        r"(?:(?:U\.S\.|South\s+Korean|American|ROK|former|acting|then-)\s+)*"
        r"(?:[A-Z][a-z]+\s+(?:(?:of|for|and)\s+)?){1,9})$",
        before,
    )
    if not m:
        return None, ""
    phrase = m.group(1).strip()
    if not TITLE_WORDS.search(phrase):
        return None, phrase
    context = phrase
    phrase = re.sub(rf"^{_COUNTRY_POSSESSIVE}", "", phrase)
    phrase = re.sub(r"^(?:U\.S\.|South Korean|American|ROK)\s+", "", phrase)
    return phrase.strip(), context


def side_from(text: str) -> str | None:
    us, rok = US_CONTEXT.search(text), ROK_CONTEXT.search(text)
    if us and not rok:
        return "US"
    if rok and not us:
        return "ROK"
    if us and rok:
        return "US" if us.start() > rok.start() else "ROK"
    return None


@dataclass(frozen=True)
class _Segment:
    """A stretch of a sentence naming the people who led the meeting."""

    start: int
    end: int
    lead_in: str  # the words before "led by" …, e.g. "the U.S. side was"


def leader_segments(sentence: str) -> list[_Segment]:
    """The stretches after "led by", "co-chaired by" …, and before "… co-chaired the meeting"."""
    triggers = list(_TRIGGER.finditer(sentence))
    segments = []
    for i, m in enumerate(triggers):
        end = triggers[i + 1].start() if i + 1 < len(triggers) else len(sentence)
        lead_start = triggers[i - 1].end() if i else 0
        segments.append(_Segment(m.end(), end, sentence[lead_start : m.start()]))
    if not triggers:
        start = 0
        for verb in _SUBJECT_VERB.finditer(sentence):
            segments.append(_Segment(start, verb.start(), verb.group(0)))
            start = verb.end()
    return segments


def unknown_leaders(sentence: str, segments: list[_Segment], mentions: list[_Mention]) -> list[_Mention]:
    """Names the vocabulary does not know, where the text says they led the meeting."""
    found: list[_Mention] = []
    for seg in segments:
        segment = sentence[seg.start : seg.end]
        for before in re.finditer(rf"(?:^|,?\s+and\s+(?:by\s+)?){HONORIFIC}?", segment):
            span = name_after_title(sentence, seg.start + before.end())
            if span is None or any(x.start <= span[0] < x.end for x in mentions + found):
                continue
            name = sentence[span[0] : span[1]]
            found.append(_Mention(name, name, span[0], span[1], None, "official"))
    return found


_CAPITALISED_RUN = re.compile(r"(?:[A-Z][\w'’-]*|of|for)(?:\s+(?:[A-Z][\w'’-]*|of|for))*")


def name_after_title(sentence: str, start: int) -> tuple[int, int] | None:
    """Where the name in "Deputy Assistant Secretary Jane Holloway" (or just "Jane Holloway") is."""
    run = _CAPITALISED_RUN.match(sentence, start)
    if not run:
        return None
    words = list(re.finditer(r"\S+", run.group(0)))
    first = 0
    for i, w in enumerate(words):
        if w.group(0) in ("of", "for") or TITLE_WORDS.search(w.group(0)) or _NOT_A_NAME.search(w.group(0)):
            first = i + 1
    if first and _HONORIFIC_BEFORE.match(" ".join(w.group(0) for w in words[first : first + 1]) + " "):
        first += 1
    name = words[first:]
    if not 2 <= len(name) <= 3:
        return None
    begin, end = start + name[0].start(), start + name[-1].end()
    return (begin, end) if _UNKNOWN_NAME.fullmatch(sentence[begin:end]) else None


def person_in(sentence: str, mention: _Mention, segment: _Segment | None) -> Person:
    role = "other"
    if segment and mention.kind == "official" and not _DISCUSSIONS.search(segment.lead_in):
        role = "co-chair"
    title = title_after(sentence, mention.end)
    context = appositive_after(sentence, mention.end) or ""
    if title is None:
        title, context = title_before(sentence, mention.start)
    side = mention.side or side_from(" ".join(filter(None, [title, context, segment.lead_in if segment else ""])))
    written = mention.written if name_key(mention.written) != name_key(mention.name) else None
    return Person(mention.name, side, role, title, written)


def merged(existing: Person, new: Person) -> Person:
    """One person named twice: what the first naming left open is filled from the second."""
    return Person(
        existing.name,
        existing.side or new.side,
        "co-chair" if "co-chair" in (existing.role, new.role) else "other",
        existing.title or new.title,
        existing.written or new.written,
    )


def people_from(sentences: Sequence[str], vocabulary: Vocabulary) -> tuple[list[Person], list[tuple[Person, str]]]:
    """Everyone the sentences name, and (person, sentence) for each first naming or first time as co-chair."""
    people: dict[str, Person] = {}
    said: list[tuple[Person, str]] = []
    for sentence in sentences:
        mentions = known_people(sentence, vocabulary)
        segments = leader_segments(sentence)
        mentions += unknown_leaders(sentence, segments, mentions)
        for mention in sorted(mentions, key=lambda x: x.start):
            segment = next((s for s in segments if s.start <= mention.start < s.end), None)
            person = person_in(sentence, mention, segment)
            key = name_key(mention.name)
            existing = people.get(key)
            people[key] = person if existing is None else merged(existing, person)
            if existing is None or (person.role == "co-chair" and existing.role != "co-chair"):
                said.append((people[key], sentence))
    return list(people.values()), said
