"""Key points: the sentences of every report on a meeting, grouped by meaning.

Several outlets report the same joint statement in different words ("utilizing
the full range of U.S. defense capabilities" / "leveraging all categories of
U.S. military capabilities"). Each sentence becomes a bag of normalised terms:

1. lower case, possessives and punctuation dropped, Markdown reduced to text;
2. phrases of the topic vocabulary (and its acronyms) become one term per
   topic, so "CNI" and "conventional and nuclear integration" are equal;
3. a short list of newswire paraphrases ("reaffirm" / "reiterate", "pledge" /
   "commitment", "defense" / "military") map to one term;
4. a light suffix-stripping stemmer ("providing", "provided" → "provid");
5. stop words and attribution words ("said", "according", "statement") drop out.

Two sentences say the same thing when the TF-IDF cosine of their terms reaches
:data:`SAME_POINT`, and they do not contradict each other on the details that
tell events apart: meeting ordinals and other numbers, years, and the officials
they name. Sentences are grouped from the most similar pair down; a group
holds at most one sentence from each article, so an article that repeats
itself does not count twice.

Pure: items and the vocabulary go in, :class:`KeyPoint` values come out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial

from .model import ORDINAL_WORDS, Item, Vocabulary
from .parallel import forked_map
from .text import clean_space, split_sentences

SAME_POINT = 0.40  # cosine from which two sentences count as one point (tuned on the seeds, see tests)
MIN_CONTENT_WORDS = 5  # fewer content words than this is a near-empty sentence
# Articles whose terms forbid republishing are quoted one sentence at a time,
# and only so many of an article's sentences are quoted on the site.
QUOTE_SHARE = 0.5
QUOTE_CAP = 8
# Grouping compares sentences pairwise. A meeting reported more widely than
# this is summarised from its earliest reports' opening sentences, where news
# reports put what happened; every report is still listed under Coverage.
MAX_GROUPED_REPORTS = 20
LEDE_SENTENCES = 6

STOP_WORDS = frozenset(
    """
    a an the and or but nor so yet for of to in on at by with from into onto over under about as than then
    that this these those there here it its it's they them their he him his she her we our us you your
    i me my is are was were be been being has have had do does did will would shall should can could may
    might must also too very just only not no such both each either neither all any some more most other
    which who whom whose what when where while how why if because though although after before during
    since until again further once up down out off own same per via meanwhile however part
    mr ms mrs dr
    """.split()
)
# Words of attribution: who said a thing is provenance, not the point itself.
ATTRIBUTION_WORDS = frozenset(
    """
    said say says saying told tell according statement statements press release announced announce
    reported report reports showed show noted note added add stated state briefing officials official
    spokesperson spokesman spokeswoman ministry
    """.split()
)
# Phrases that newswires use interchangeably, each folded into one term.
PHRASE_SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("us", ("united states", "u.s.", "america", "washington's", "american")),
    ("rok", ("south korea", "republic of korea", "rok", "seoul's", "south korean", "korea's", "the south")),
    ("dprk", ("north korea", "democratic people's republic of korea", "dprk", "pyongyang", "north korean")),
    ("fullrange", ("full range", "all categories", "full spectrum", "all kinds", "every category", "full suite")),
    ("peninsula", ("korean peninsula",)),
    ("ncg", ("nuclear consultative group", "ncg")),
)
WORD_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("reaffirm", "reiterat", "renew", "reconfirm", "restat", "recommit"),
    ("pledg", "commitment", "commit", "promis", "vow", "assuranc"),
    ("utiliz", "leverag", "us", "using", "employ", "draw"),
    ("defens", "military"),
    ("stress", "emphasiz", "underscor", "highlight"),
    ("assum", "play", "tak", "took"),
    ("lead", "led", "head", "headed", "chair", "chaired", "co-chair"),
    ("enhanc", "strengthen", "bolster", "boost", "improv", "reinforc"),
    ("meet", "session", "talk", "round"),
    ("held", "hold", "convene", "convened"),
    ("ally", "alli", "both", "sid", "two"),
    ("contingency", "scenario"),
    ("delegation", "team"),
    ("administr", "term", "government"),  # "Trump's second term" / "the second Trump administration"
)
MONTHS = "january february march april may june july august september october november december".split()
_ORDINALS = {w: n for n, w in enumerate(ORDINAL_WORDS) if n} | {"inaugural": 1}
# "the fifth NCG meeting", "its 4th session": the ordinal of a meeting. "First" and
# "second" count only right before the NCG's name, since "the first such talks"
# and "Trump's second term" are no meeting numbers.
_MEETING_ORDINAL = re.compile(
    r"\b((?:" + "|".join(w for w in _ORDINALS if w not in ("first", "second")) + r")|\d{1,2}(?:st|nd|rd|th))"
    r"(?=\s+(?:[\w-]+\s+){0,2}?(?:ncg|nuclear consultative group|meeting|session|plenary|round)\b)"
    r"|\b(first|second|inaugural)(?=\s+(?:ncg|nuclear consultative group)\b)"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(?<!\w)[*_`]+|[*_`]+(?!\w)")
_GLOSS = re.compile(r"\b(?:is|are) (?:the )?(?:acronym|abbreviation|short) (?:of|for)\b|\bstands for\b", re.I)
_FURNITURE = re.compile(r"^(?:copyright\b|©|\(c\)\s|photo\b|editor\s*:|reporting by\b|\[?ⓒ)|all rights reserved", re.I)


@dataclass(frozen=True)
class Sentence:
    """One sentence of one article, where it stands, and its normalised terms."""

    text: str
    item: Item
    path: str
    position: int  # index among the article's candidate sentences
    terms: Counter = field(compare=False, repr=False)
    details: dict = field(compare=False, repr=False)  # kind → values: meeting ordinals, numbers, years, months, people
    topics: frozenset = field(compare=False, repr=False)


@dataclass(frozen=True)
class Wording:
    """How one source put a key point, and whether the site may quote it."""

    text: str
    item: Item
    path: str
    position: int
    quoted: bool

    @property
    def outlet(self) -> str:
        return self.item.outlet or self.item.title


@dataclass(frozen=True)
class KeyPoint:
    """A point made by one or more sources, each wording kept with its source."""

    wordings: tuple[Wording, ...]  # one per source, in the order of the meeting's articles
    lead: Wording  # the wording shown as the point
    total_sources: int  # M in "reported by N of M sources"
    topics: tuple[str, ...]  # topic slugs the point mentions
    anchor: str

    @property
    def count(self) -> int:
        return len(self.wordings)

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(w.outlet for w in self.wordings)


@dataclass(frozen=True)
class KeyPoints:
    """A meeting's key points, and how many further single-source points are not quoted."""

    points: tuple[KeyPoint, ...]
    unquoted: int = 0
    drawn_from: int = 0  # when reports were left out of the grouping: how many were grouped

    def __bool__(self) -> bool:
        return bool(self.points)

    def __iter__(self):
        return iter(self.points)

    def __len__(self) -> int:
        return len(self.points)


# --------------------------------------------------------------------------
# Sentences and their terms


def plain_text(markdown: str) -> list[str]:
    """The prose paragraphs of a Markdown body: headings, rules and tables dropped, marks removed."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        lines = [line for line in lines if not re.match(r"^(?:#{1,6}\s|[-*_]{3,}$|\|)", line)]
        lines = [re.sub(r"^(?:>\s*|[-*+]\s+|\d+[.)]\s+)", "", line) for line in lines]
        text = clean_space(_MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", " ".join(lines))))
        if text:
            paragraphs.append(text)
    return paragraphs


@lru_cache(maxsize=None)
def stem(word: str) -> str:
    """A light stemmer: enough to make "providing", "provided" and "provides" one term."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                base += "y"
            elif len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "planned" → "plan"
            return base.rstrip("e") if len(base) > 3 else base
    return word.rstrip("e") if len(word) > 4 else word


def _word_table() -> dict[str, str]:
    table = {}
    for group in WORD_SYNONYMS:
        for word in group:
            table[word] = group[0]
    return table


WORD_TABLE = _word_table()


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’.][A-Za-z0-9]+)*")


def tokens_of(text: str) -> list[str]:
    """Words as written: "U.S." is one token, hyphens and spaces separate ("Hong-cheol" → "Hong", "cheol")."""
    return _TOKEN.findall(text)


def phrase_key(text: str) -> tuple[str, ...]:
    """Spellings of one phrase that differ in case, hyphens or spaces share a key."""
    return tuple(t.casefold() for t in tokens_of(text))


def longest_matches(tokens: list[str], table: dict[tuple[str, ...], str], longest: int, firsts: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, value) of the longest phrases of `table` found in `tokens`, left to right, not overlapping."""
    found, i = [], 0
    while i < len(tokens):
        if tokens[i] not in firsts:
            i += 1
            continue
        for n in range(min(longest, len(tokens) - i), 0, -1):
            value = table.get(tuple(tokens[i : i + n]))
            if value is not None:
                found.append((i, i + n, value))
                i += n
                break
        else:
            i += 1
    return found


@dataclass(frozen=True)
class PhraseTable:
    """Phrases to find in a sentence's tokens, in any case or exactly as written."""

    table: dict[tuple[str, ...], str]
    exact: bool = False

    longest: int = field(init=False)
    firsts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "longest", max((len(k) for k in self.table), default=0))
        object.__setattr__(self, "firsts", frozenset(k[0] for k in self.table if k))

    def find(self, tokens: list[str], folded: list[str]) -> list[tuple[int, int, str]]:
        return longest_matches(tokens if self.exact else folded, self.table, self.longest, self.firsts)


@dataclass(frozen=True)
class Lexicon:
    """The vocabulary compiled for reading sentences: topic phrases, paraphrases and officials' names."""

    phrases: PhraseTable  # topic synonyms and newswire paraphrases, any case
    acronyms: PhraseTable  # topic acronyms, exact case ("CNI")
    names: PhraseTable  # officials' spellings, any case
    surnames: PhraseTable  # U.S. officials' surnames alone, exact case ("Soofer")

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> "Lexicon":
        terms: dict[tuple[str, ...], str] = {}
        acronyms: dict[tuple[str, ...], str] = {}
        for topic in vocabulary.topics:
            terms |= {phrase_key(s): f"topic:{topic.slug}" for s in topic.synonyms}
            acronyms |= {tuple(tokens_of(a)): f"topic:{topic.slug}" for a in topic.acronyms}
        for term, spellings in PHRASE_SYNONYMS:
            terms |= {phrase_key(s): f"syn:{term}" for s in spellings}
        names: dict[tuple[str, ...], str] = {}
        surnames: dict[tuple[str, ...], str] = {}
        for person in vocabulary.people:
            names |= {phrase_key(s): person.name for s in person.spellings}
            # Korean surnames ("Kim", "Cho") are shared by too many people to stand alone.
            if person.side == "US":
                surnames[(person.name.split()[-1],)] = person.name
        return cls(PhraseTable(terms), PhraseTable(acronyms, exact=True), PhraseTable(names), PhraseTable(surnames, exact=True))


def details_of(text: str, people: frozenset[str]) -> dict[str, frozenset]:
    """What must agree for two sentences to report the same thing, by kind."""
    found: dict[str, set] = {}
    if people:
        found["person"] = set(people)
    lowered = text.casefold()
    for m in _MEETING_ORDINAL.finditer(lowered):
        word = m.group(1) or m.group(2)
        found.setdefault("ordinal", set()).add(_ORDINALS[word] if word in _ORDINALS else int(word[:-2]))
    for m in re.finditer(r"\b(1[89]\d\d|20\d\d)\b", lowered):
        found.setdefault("year", set()).add(int(m.group(1)))
    for m in re.finditer(r"\b(" + "|".join(MONTHS) + r")\b", lowered):
        found.setdefault("month", set()).add(m.group(1))
    for m in re.finditer(r"(?<![\w.])(\d+(?:[.,]\d+)?)(?![\w.]|st|nd|rd|th)", lowered):
        value = m.group(1).replace(",", "")
        if not re.fullmatch(r"1[89]\d\d|20\d\d", value):
            found.setdefault("number", set()).add(value)
    return {kind: frozenset(values) for kind, values in found.items()}


def terms_of(text: str, lexicon: Lexicon) -> tuple[Counter, dict[str, frozenset], frozenset]:
    """The normalised terms of a sentence, the details it states, and its topics."""
    tokens = tokens_of(text.replace("’", "'"))
    folded = [t.casefold() for t in tokens]
    people = frozenset(name for table in (lexicon.names, lexicon.surnames) for _, _, name in table.find(tokens, folded))
    details = details_of(text, people)
    terms: Counter = Counter()
    used = [False] * len(tokens)
    for table in (lexicon.acronyms, lexicon.phrases):
        for start, end, term in table.find(tokens, folded):
            if not any(used[start:end]):
                terms[term] += 1
                used[start:end] = [True] * (end - start)
    topics = frozenset(t.removeprefix("topic:") for t in terms if t.startswith("topic:"))
    for word, taken in zip(folded, used):
        if taken:
            continue
        if word.endswith("'s"):
            word = word[:-2]
        if not word or word in STOP_WORDS or word in ATTRIBUTION_WORDS or word.isdigit():
            continue
        stemmed = stem(word)
        terms[WORD_TABLE.get(stemmed, WORD_TABLE.get(word, stemmed))] += 1
    return terms, details, topics


def is_candidate(text: str, terms: Counter) -> bool:
    """A sentence worth a key point: not furniture, a gloss, a quotation (those are quotes) or near-empty."""
    if _FURNITURE.search(text) or _GLOSS.search(text):
        return False
    if sum(len(q) for q in _QUOTED.findall(text)) > len(text) / 2:
        return False
    return sum(terms.values()) >= MIN_CONTENT_WORDS


def sentences_of(item: Item, path: str, lexicon: Lexicon, limit: int | None = None) -> list[Sentence]:
    """The article's candidate sentences, in order (the first `limit` of them, when given)."""
    found: list[Sentence] = []
    for paragraph in plain_text(item.body):
        for text in split_sentences(paragraph):
            if limit is not None and len(found) >= limit:
                return found
            terms, details, topics = terms_of(text, lexicon)
            if is_candidate(text, terms):
                found.append(Sentence(text, item, path, len(found), terms, details, topics))
    return found


# --------------------------------------------------------------------------
# Similarity


def idf_of(documents: list[Counter]) -> dict[str, float]:
    frequency: Counter = Counter()
    for terms in documents:
        frequency.update(terms.keys())
    n = len(documents)
    return {term: math.log((1 + n) / (1 + df)) + 1 for term, df in frequency.items()}


def vector(terms: Counter, idf: dict[str, float]) -> dict[str, float]:
    weights = {t: (1 + math.log(c)) * idf.get(t, 1.0) for t, c in terms.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def agree(a: dict[str, frozenset], b: dict[str, frozenset]) -> bool:
    """Two sentences agree on details unless both state a kind of detail and share none of it."""
    return all(a[kind] & b[kind] for kind in a.keys() & b.keys())


def similar_pairs(sentences: list[Sentence], vectors: list[dict[str, float]]) -> list[tuple[float, int, int]]:
    """Every pair of sentences from different articles at or above :data:`SAME_POINT`, most similar first.

    Candidates come from an inverted index probed with each sentence's
    heaviest terms only: once what the remaining terms could add to a cosine
    is below the threshold (bounded both by their norm and by the largest
    weight each has in any sentence), a pair sharing none of the heavy terms
    cannot reach it.
    """
    postings: dict[str, list[int]] = {}
    heaviest: dict[str, float] = {}
    for i, v in enumerate(vectors):
        for term, weight in v.items():
            postings.setdefault(term, []).append(i)
            heaviest[term] = max(heaviest.get(term, 0.0), weight)
    pairs = []
    for i, v in enumerate(vectors):
        weights = sorted(v.items(), key=lambda tw: (-tw[1] * heaviest[tw[0]], tw[0]))
        norm_left = sum(w * w for _, w in weights)
        reach_left = sum(w * heaviest[t] for t, w in weights)
        candidates: set[int] = set()
        for term, weight in weights:
            if reach_left < SAME_POINT or norm_left < SAME_POINT * SAME_POINT:
                break
            candidates.update(j for j in postings[term] if j > i)
            norm_left -= weight * weight
            reach_left -= weight * heaviest[term]
        path = sentences[i].path
        for j in sorted(candidates):
            if sentences[j].path == path:
                continue
            other = vectors[j]
            score = sum(v[t] * other[t] for t in v.keys() & other.keys())
            if score >= SAME_POINT and agree(sentences[i].details, sentences[j].details):
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


def group(sentences: list[Sentence], pairs: list[tuple[float, int, int]]) -> list[list[int]]:
    """Merge groups from the most similar pair down.

    A group never holds two sentences of one article, and every two of its
    sentences agree on their details.
    """
    owner = list(range(len(sentences)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(sentences))}
    paths: dict[int, set[str]] = {i: {s.path} for i, s in enumerate(sentences)}
    detailed: dict[int, list[dict]] = {i: [s.details] if s.details else [] for i, s in enumerate(sentences)}
    for _, i, j in pairs:
        a, b = owner[i], owner[j]
        if a == b or paths[a] & paths[b]:
            continue
        if not all(agree(x, y) for x in detailed[a] for y in detailed[b]):
            continue
        for k in members[b]:
            owner[k] = a
        members[a] += members.pop(b)
        paths[a] |= paths.pop(b)
        detailed[a] += detailed.pop(b)
    return list(members.values())


# --------------------------------------------------------------------------
# Key points


def quote_budget(item: Item, candidates: int) -> int | None:
    """How many sentences of an article the site may quote; None when it may be republished."""
    if item.republish:
        return None
    return max(1, min(QUOTE_CAP, math.ceil(candidates * QUOTE_SHARE)))


def grouped(articles: list[tuple[Item, str]]) -> tuple[list[tuple[Item, str]], bool]:
    """The reports whose sentences are grouped, and whether others were left out."""
    capped = len(articles) > MAX_GROUPED_REPORTS
    return (articles[:MAX_GROUPED_REPORTS] if capped else articles), capped


def key_points(articles: list[tuple[Item, str]], vocabulary: Vocabulary, lexicon: Lexicon | None = None) -> KeyPoints:
    """The key points of a meeting's articles (earliest first), most widely reported first."""
    lexicon = lexicon or Lexicon.of(vocabulary)
    articles, capped = grouped(articles)
    order = {path: n for n, (_, path) in enumerate(articles)}
    per_article = [sentences_of(item, path, lexicon, LEDE_SENTENCES if capped else None) for item, path in articles]
    sentences = [s for found in per_article for s in found]
    if not sentences:
        return KeyPoints(())
    idf = idf_of([s.terms for s in sentences])
    vectors = [vector(s.terms, idf) for s in sentences]

    def rank(members: list[int]) -> tuple:
        first = min(members, key=lambda k: (sentences[k].position, order[sentences[k].path]))
        return (-len(members), sentences[first].position, order[sentences[first].path])

    groups = sorted(group(sentences, similar_pairs(sentences, vectors)), key=rank)
    for members in groups:
        members.sort(key=lambda k: order[sentences[k].path])
    budgets = {path: quote_budget(item, len(found)) for (item, path), found in zip(articles, per_article)}
    free = {k for k, sentence in enumerate(sentences) if shown_already(sentence)}
    shared = {g: members for g, members in enumerate(groups) if len(members) > 1}
    single = {g: members for g, members in enumerate(groups) if len(members) == 1}
    # Points several sources share come first: one wording each, then every
    # source's own wording; single-source points get what the budgets leave.
    leads = choose_leads(shared, sentences, vectors, budgets, free)
    quoted = set(leads.values())
    for members in shared.values():
        for k in members:
            if k not in quoted and (k in free or spend(budgets, sentences[k].path)):
                quoted.add(k)
    leads |= choose_leads(single, sentences, vectors, budgets, free)
    quoted |= set(leads.values())
    points = []
    for g, members in enumerate(groups):
        if g not in leads:
            continue
        wordings = tuple(Wording(sentences[k].text, sentences[k].item, sentences[k].path, sentences[k].position, k in quoted) for k in members)
        lead = wordings[members.index(leads[g])]
        topics = frozenset().union(*(sentences[k].topics for k in members))
        slugs = tuple(t.slug for t in vocabulary.topics if t.slug in topics)
        points.append(KeyPoint(wordings, lead, len(articles), slugs, f"point-{len(points) + 1}"))
    return KeyPoints(tuple(points), len(groups) - len(points), len(articles) if capped else 0)


def spend(budgets: dict[str, int | None], path: str) -> bool:
    """Use one quotation of an article's budget, if it has any left."""
    budget = budgets[path]
    if budget is None:
        return True
    if budget <= 0:
        return False
    budgets[path] = budget - 1
    return True


def shown_already(sentence: Sentence) -> bool:
    """A sentence the article page shows anyway, as part of the summary, costs no quotation."""
    return sentence.text in (sentence.item.summary or "")


def choose_leads(
    groups: dict[int, list[int]], sentences: list[Sentence], vectors: list[dict[str, float]], budgets: dict[str, int | None], free: set[int]
) -> dict[int, int]:
    """For each group (by its number), the wording that stands for the point: the most central one the budgets allow."""
    leads: dict[int, int] = {}
    for g, members in groups.items():
        centre = centroid(members, vectors)

        def preference(k: int) -> tuple:
            left = budgets[sentences[k].path]
            return (-round(centrality(k, centre, vectors), 3), k not in free, -(left if left is not None else 99), len(sentences[k].text))

        for k in sorted(members, key=preference):
            if k in free or spend(budgets, sentences[k].path):
                leads[g] = k
                break
    return leads


def centroid(members: list[int], vectors: list[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for k in members:
        for term, weight in vectors[k].items():
            total[term] = total.get(term, 0.0) + weight
    return total


def centrality(k: int, centre: dict[str, float], vectors: list[dict[str, float]]) -> float:
    """How close a wording is to the others of its point (its cosine with their sum)."""
    return sum(w * centre.get(t, 0.0) for t, w in vectors[k].items())


# --------------------------------------------------------------------------
# Kept between builds


# Key points with each wording's article given by its place among the grouped
# reports: (unquoted, drawn_from, ((wordings, lead, total_sources, topics, anchor), …)),
# a wording being (article number, text, position, quoted).
Plan = tuple[int, int, tuple[tuple[tuple[tuple[int, str, int, bool], ...], int, int, tuple[str, ...], str], ...]]


def plan_of(points: KeyPoints, articles: list[tuple[Item, str]]) -> Plan:
    """Key points as plain data that names no item: kept in the build cache, and joined to the items again."""
    number = {path: n for n, (_, path) in enumerate(articles)}
    return (
        points.unquoted,
        points.drawn_from,
        tuple(
            (
                tuple((number[w.path], w.text, w.position, w.quoted) for w in p.wordings),
                p.wordings.index(p.lead),
                p.total_sources,
                p.topics,
                p.anchor,
            )
            for p in points
        ),
    )


def points_of(plan: Plan, articles: list[tuple[Item, str]]) -> KeyPoints:
    """The key points a plan describes, with the articles they were drawn from."""
    unquoted, drawn_from, points = plan
    found = []
    for wordings, lead, total, topics, anchor in points:
        made = tuple(Wording(text, articles[n][0], articles[n][1], position, quoted) for n, text, position, quoted in wordings)
        found.append(KeyPoint(made, made[lead], total, topics, anchor))
    return KeyPoints(tuple(found), unquoted, drawn_from)


# Grouping this many reports or more, over several meetings, is shared out between worker processes.
PARALLEL_FROM = 200


def plans_for(
    meetings: list[list[tuple[Item, str]]], vocabulary: Vocabulary, lexicon: Lexicon, parallel_from: int = PARALLEL_FROM
) -> list[Plan]:
    """The key points of each meeting's reports, as plans; on every core when there are many reports."""
    reports = sum(len(grouped(articles)[0]) for articles in meetings)
    plan = partial(plan_for, vocabulary=vocabulary, lexicon=lexicon)
    return list(forked_map(plan, meetings, parallel=reports >= parallel_from))


def plan_for(articles: list[tuple[Item, str]], vocabulary: Vocabulary, lexicon: Lexicon) -> Plan:
    """The key points of one meeting's reports, as a plan."""
    return plan_of(key_points(articles, vocabulary, lexicon), grouped(articles)[0])
