"""Full-text search: a static index of the rendered pages, made at build time.

A page takes part when its template marks one element ``data-search-body``
(the article, meeting and topic pages); its ``data-search-kind``,
``data-search-date`` and ``data-search-outlet`` attributes give the line
shown under a result. From that element come the title (its ``<h1>``) and the
text; the navigation, the footer and everything outside it are left out, and
so are ``<script>``/``<style>`` elements and elements marked
``data-search-ignore``. The excerpt shown under a result is the page's
description (its ``<meta name="description">``), or else the start of its text.

Two steps, so a rebuild does little:

* :func:`page_record` is a pure function of one page's bytes. The build cache
  keeps each page's record by the SHA-256 of those bytes, so only pages whose
  bytes changed are read again.
* :func:`search_files` assembles the index from the records. Each word's
  pages are found block by block (a block is a few hundred pages, its ends set
  by the pages' paths); the cache keeps each block's postings by its pages'
  words, so a new page makes one block again and the rest are joined as kept.

The index (under ``search/``, read by ``templates/static/search.js``):

* ``search/index.json`` — the manifest: page count, where each chunk of page
  records starts, the term shards' names.
* ``search/terms/<n>.json`` — ``{term: [page, weight, page, weight, …]}``,
  pages as differences from the previous one. The terms, in order, are cut
  into shards of at most ``SHARD_BYTES``, each named by the shortest beginning
  of its first term that comes after the previous shard's last term. A query
  word needs the last shard whose name is not after it, and the shards whose
  names it begins.
* ``search/pages/<n>.json`` — ``[path, title, kind, date, outlet, excerpt]``
  of about ``CHUNK`` pages each, fetched only for the results shown. Where a
  chunk ends depends only on its last page's path, so a new page rewrites its
  own chunk's file alone.

Words: runs of Unicode letters and digits, lower-cased, with the diacritics
taken off (``Sŏul`` is ``soul``) and one final ``s`` dropped from words of
more than three letters not ending in ``ss`` (``talks`` is ``talk``). Words
of one character are not indexed (and not searched for). search.js applies the
same rules to what the reader types; a query word matches every indexed word it
begins. A weight says how often the word is in the page's text and whether it
is in the title. Files are compact JSON with sorted keys: the same pages give
the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import json
import operator
import re
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
from functools import lru_cache, partial
from typing import Callable, Iterable, MutableMapping, NamedTuple, Sequence

from . import urls
from .parallel import forked_map

FOLDER = urls.SEARCH_BUNDLE.rstrip("/")
CHUNK = 200  # page records per file, on average
SHARD_BYTES = 64_000  # the most a shard of terms holds (unless one term's pages alone take more)
EXCERPT = 240  # characters of a page's text kept to show under its result
MOST = 255  # a page's count of one word is capped here (the weight stays a small number)
# A word's weight in a page: 2 × its count in the text (capped at MOST) + 1 if it is in the title.
FORMAT = 2

# Combining diacritical marks (the Latin, Greek and Cyrillic accents), taken off after NFKD; search.js removes the same ranges.
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WORD = re.compile(r"[^\W_]+")
# Characters that only ever separate words, common in English text (replaced by spaces the quickest way).
_COMMON_PUNCTUATION = ("\u2019", "\u2018", "\u201c", "\u201d", "\u2013", "\u2014", "\u2026", "\u00a0", "\u00b7", "\u2022")
# Runs of characters beyond ASCII: mostly punctuation (→ ©), which also only separates words.
_NON_ASCII = re.compile("[^\x00-\x7f]+")
_ASCII_SEPARATORS = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
# `fold` for every word of a text at once: an "s" ending a word of four or more characters, not after another "s".
_PLURAL_S = re.compile(r"s(?<=[^\W_]{3}s)(?<!ss)(?![^\W_])")

_REGION_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*\bdata-search-body\b[^>]*)>")
_ATTRIBUTE = re.compile(r'\b(data-search-[a-z]+)="([^"]*)"')
_DROPPED = re.compile(r"<!--.*?-->|<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
_IGNORED_START = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*\bdata-search-ignore\b[^>]*>")
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S | re.I)
_HEADER_END = re.compile(r"</header\s*>", re.I)
# In titles and excerpts, inline elements vanish without a trace (a word split by <em> stays one word) and any
# other tag separates words; in the indexed text every tag separates words (faster, and rarely different).
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


class SearchDoc(NamedTuple):
    """What the index keeps of one page."""

    path: str
    kind: str
    title: str
    date: str
    outlet: str
    excerpt: str
    # The page's words, sorted, joined by spaces, and each one's weight (unsigned 16-bit numbers, in the
    # same order): two objects rather than a tuple per word, so the cache of ten thousand loads in an instant.
    words: str
    weights: bytes

    def terms(self) -> dict[str, int]:
        """Each word's weight."""
        return dict(zip(self.words.split(" "), memoryview(self.weights).cast("H"))) if self.words else {}


# --------------------------------------------------------------------------
# Words


def fold(word: str) -> str:
    """The light plural fold: ``talks`` → ``talk``, ``process`` stays."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def normal(text: str) -> str:
    """Lower case, without diacritics."""
    text = text.lower()
    return text if text.isascii() else _MARKS.sub("", unicodedata.normalize("NFKD", text))


def _all_words(text: str) -> list[str]:
    """Every word of `text`, one-character words too, with `fold` applied."""
    text = text.lower()
    if not text.isascii():
        for mark in _COMMON_PUNCTUATION:
            text = text.replace(mark, " ")
        if not text.isascii():
            text = _NON_ASCII.sub(_separators_as_spaces, text)
    if text.isascii():  # the same words, found several times faster
        return _PLURAL_S.sub("", text).translate(_ASCII_SEPARATORS).split()
    return _WORD.findall(_PLURAL_S.sub("", normal(text)))


def _separators_as_spaces(run: re.Match[str]) -> str:
    """A run of characters beyond ASCII, each character that only separates words (see `_separates`) a space."""
    return "".join([" " if _separates(c) else c for c in run.group()])


@lru_cache(maxsize=4096)
def _separates(c: str) -> bool:
    """Whether `c` does nothing but separate words, so a space in its place would leave the same words.

    So it is when what `normal` makes of it holds no letter or digit, and no diacritic (which `normal` takes
    off, joining what is either side). Then a meeting page, all ASCII but for an arrow or two, has its words
    found the quick way.
    """
    decomposed = unicodedata.normalize("NFKD", c)
    return not _MARKS.search(decomposed) and not any(d.isalnum() for d in decomposed)


def words(text: str) -> list[str]:
    """The indexed words of `text`, in order (repeats kept)."""
    return [w for w in _all_words(text) if len(w) > 1]


def word_counts(text: str) -> Counter[str]:
    """How often each indexed word is in `text`."""
    counts = Counter(_all_words(text))
    for short in [w for w in counts if len(w) < 2]:
        del counts[short]
    return counts


# --------------------------------------------------------------------------
# One page


def _element_end(text: str, tag: str, start: int) -> int:
    """Where the element whose start tag ends at `start` closes (its end tag's start), nesting counted."""
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>", re.I)
    depth = 1
    for m in pattern.finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(text)


def _without_ignored(text: str) -> str:
    """`text` without the elements marked ``data-search-ignore`` (each becomes a space), in one pass."""
    kept: list[str] = []
    position = 0
    while (marker := text.find("data-search-ignore", position)) >= 0:
        start = text.rfind("<", position, marker)
        m = _IGNORED_START.match(text, start) if start >= 0 else None
        if m is None:  # the words in text, not in a start tag
            kept.append(text[position : marker + 1])
            position = marker + 1
            continue
        end = _element_end(text, m.group(1), m.end())
        closing = text.find(">", end)
        kept += [text[position : m.start()], " "]
        position = closing + 1 if closing >= 0 else len(text)
    kept.append(text[position:])
    return "".join(kept)


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, entities decoded, white space collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", _INLINE_TAG.sub("", fragment)))).strip()


def excerpt_of(text: str) -> str:
    if len(text) <= EXCERPT:
        return text
    cut = text.rfind(" ", 0, EXCERPT)
    return text[: cut if cut > EXCERPT // 2 else EXCERPT].rstrip(" ,;:") + " …"


def _description(page: str) -> str:
    m = _DESCRIPTION.search(page)
    return _SPACE.sub(" ", html.unescape(m.group(1))).strip() if m else ""


def page_record(path: str, data: bytes) -> SearchDoc | None:
    """What the index keeps of the page `path` with these bytes; None for a page not marked for search."""
    page = data.decode("utf-8", "replace")
    marker = page.find(" data-search-body")
    start = _REGION_START.match(page, page.rfind("<", 0, marker)) if marker >= 0 else None
    if start is None:
        return None
    attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(start.group(2))}
    region = page[start.end() : _element_end(page, start.group(1), start.end())]
    if "<!--" in region or "<script" in region or "<style" in region or "<template" in region:
        region = _DROPPED.sub(" ", region)
    if "data-search-ignore" in region:
        region = _without_ignored(region)
    heading = _H1.search(region)
    title = plain_text(heading.group(1)) if heading else ""
    if heading:
        region = region[: heading.start()] + " " + region[heading.end() :]
    in_title = set(words(title))
    counts = word_counts(html.unescape(_TAG.sub(" ", region)))
    counts.update(dict.fromkeys(in_title - counts.keys(), 0))
    if max(counts.values(), default=0) > MOST:
        counts = Counter({w: min(n, MOST) for w, n in counts.items()})
    ordered = sorted(counts)
    weights = array("H", [2 * counts[w] + (w in in_title) for w in ordered]).tobytes()
    excerpt = _description(page)
    if not excerpt:
        header_end = _HEADER_END.search(region)
        excerpt = plain_text(region[header_end.end() if header_end else 0 :])
    return SearchDoc(
        path,
        attributes.get("data-search-kind", ""),
        title,
        attributes.get("data-search-date", ""),
        attributes.get("data-search-outlet", ""),
        excerpt_of(excerpt),
        " ".join(ordered),
        weights,
    )


# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 500

def page_records(paths: Sequence[str], bytes_of: Callable[[str], bytes]) -> list[SearchDoc | None]:
    """`page_record` of each page (its bytes from `bytes_of`), on every core when there are many."""
    return list(forked_map(partial(_record_of, bytes_of=bytes_of), paths, parallel=len(paths) >= PARALLEL_FROM))


def _record_of(path: str, bytes_of: Callable[[str], bytes]) -> SearchDoc | None:
    return page_record(path, bytes_of(path))


# --------------------------------------------------------------------------
# The index


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


# The postings are made in blocks of pages, each numbered from its own first page, then joined. A block ends
# after a page whose path hashes to a multiple of BLOCK, so where blocks end depends only on each page's own
# path: a new page changes its own block, and the other blocks' postings are kept from the last build.
BLOCK = 256  # pages in a block, on average
# Below this many pages to index afresh, the blocks are made in this process; above, on every core.
POSTINGS_PARALLEL_FROM = 2000

# A block's postings: each word's text (as in the index, numbered from the block's first page), first page and last.
BlockPostings = dict[str, tuple[str, int, int]]


def _postings(docs: list[SearchDoc], memo: MutableMapping[str, BlockPostings], contents: Sequence[str] | None = None) -> dict[str, str]:
    """Each word's pages and weights, as the text of a JSON array: pages as differences from the previous one.

    `memo` holds blocks' postings by their content: those found there are not
    made again, and it is left holding exactly this index's blocks. `contents`,
    when given, names what determines each page's words and weights (the hash of
    its bytes): a block is then known by those names rather than by its words.
    """
    spans = _blocks(docs)
    keys = [_block_key(docs, span) if contents is None else _block_key_of(contents, span) for span in spans]
    missing = {key: span for key, span in zip(keys, spans) if key not in memo}
    afresh = sum(end - start for start, end in missing.values())
    made = forked_map(partial(_block_postings, docs), list(missing.values()), parallel=afresh >= POSTINGS_PARALLEL_FROM)
    memo.update(zip(missing, made))
    for key in set(memo).difference(keys):
        del memo[key]
    return _joined_postings((start, memo[key]) for key, (start, _) in zip(keys, spans))


def _blocks(docs: Sequence[SearchDoc]) -> list[tuple[int, int]]:
    """The blocks' spans of page numbers (from, to)."""
    ends = [n + 1 for n, doc in enumerate(docs) if zlib.crc32(doc.path.encode("utf-8", "surrogatepass")) % BLOCK == 0]
    if not ends or ends[-1] != len(docs):
        ends.append(len(docs))
    return list(zip([0, *ends[:-1]], ends)) if docs else []


def _block_key(docs: Sequence[SearchDoc], span: tuple[int, int]) -> str:
    """What a block's postings depend on: its pages' words and weights, in order."""
    digest = hashlib.blake2b(digest_size=20)
    for number in range(*span):
        words = docs[number].words.encode("utf-8", "surrogatepass")
        weights = docs[number].weights
        digest.update(b"%d %d\n" % (len(words), len(weights)))
        digest.update(words)
        digest.update(weights)
    return digest.hexdigest()


def _block_key_of(contents: Sequence[str], span: tuple[int, int]) -> str:
    """`_block_key`, from what determines each page's words (a few bytes a page rather than all its words)."""
    return hashlib.blake2b("\n".join(["contents", *contents[span[0] : span[1]]]).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _block_postings(docs: Sequence[SearchDoc], span: tuple[int, int]) -> BlockPostings:
    """The postings of the pages numbered `span` (from, to), numbered from its first page."""
    start, end = span
    found: defaultdict[str, list[int]] = defaultdict(list)
    for number in range(start, end):
        doc = docs[number]
        if doc.words:
            for word, value in zip(doc.words.split(" "), memoryview(doc.weights).cast("H")):
                found[word] += (number - start, value)
    # Every number written is below this; looking its text up is faster than making it.
    text = [str(n) for n in range(max(end - start, 2 * MOST + 2))]
    encoded = {}
    for word, values in found.items():
        pages = values[0::2]
        values[0::2] = map(operator.sub, pages, [0, *pages[:-1]])
        encoded[word] = (",".join(map(text.__getitem__, values)), pages[0], pages[-1])
    return encoded


def _joined_postings(blocks: Iterable[tuple[int, BlockPostings]]) -> dict[str, str]:
    """The postings of consecutive blocks, each given with its first page's number, as one.

    A block's first page of a word becomes a difference from the word's last page before the block.
    """
    pieces: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for start, block in blocks:
        for word, (encoded, first, final) in block.items():
            found = pieces.get(word)
            if found is None:
                pieces[word] = [encoded if start == 0 else f"{start + first},{encoded.partition(',')[2]}"]
            else:
                found.append(f"{start + first - last[word]},{encoded.partition(',')[2]}")
            last[word] = start + final
    return {word: ",".join(parts) for word, parts in pieces.items()}


_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def in_script_order(word: str) -> bytes:
    """The key that sorts words as search.js compares strings (by UTF-16 code units)."""
    return word.encode("utf-16-be", "surrogatepass")


def _shards(encoded: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(name, words) of each shard, in order: the words in order, cut into runs of at most SHARD_BYTES.

    A shard is named by the shortest beginning of its first word that comes
    after the previous shard's last word. So a shard holds exactly the words
    from its name up to the next shard's name, and the words a query word
    begins are in the last shard whose name is not after it and in the shards
    whose names it begins (see `shards_for`). A word larger than SHARD_BYTES
    has a shard of its own.
    """
    runs: list[list[str]] = []
    size = 0
    # Below U+10000, code points sort as UTF-16 code units do: the words are sorted as they are, unless one is beyond.
    beyond = _BEYOND_BMP.search("".join(encoded)) is not None
    for word in sorted(encoded, key=in_script_order) if beyond else sorted(encoded):
        cost = len(word) + len(encoded[word]) + 6  # as written: "word":[…],
        if runs and size + cost <= SHARD_BYTES:
            runs[-1].append(word)
            size += cost
        else:
            runs.append([word])
            size = cost
    shards = []
    last = b""
    for run in runs:
        first = run[0]
        name = next(first[:n] for n in range(1, len(first) + 1) if in_script_order(first[:n]) > last)
        shards.append((name, run))
        last = in_script_order(run[-1])
    return shards


def shards_for(word: str, names: Sequence[str]) -> list[int]:
    """The numbers of the shards that hold the words `word` begins, given the shards' names in order (as search.js finds them)."""
    key = in_script_order(word)
    holding = [n for n, name in enumerate(names) if in_script_order(name) <= key][-1:]
    return holding + [n for n, name in enumerate(names) if name.startswith(word) and n not in holding]


def _chunks(pages: Sequence[SearchDoc]) -> list[int]:
    """The first page number of each chunk of page records.

    A chunk ends after a page whose path hashes to a multiple of CHUNK (or once
    it holds 4 × CHUNK pages), so a new page changes its own chunk's file and no
    other: the manifest says where each chunk starts.
    """
    starts = [0] if pages else []
    for number, doc in enumerate(pages[:-1]):
        if zlib.crc32(doc.path.encode("utf-8", "surrogatepass")) % CHUNK == 0 or number + 1 - starts[-1] >= 4 * CHUNK:
            starts.append(number + 1)
    return starts


def search_files(
    docs: Iterable[SearchDoc | None],
    language: str,
    memo: MutableMapping[str, BlockPostings] | None = None,
    contents: Sequence[str] | None = None,
    chunk_memo: MutableMapping[str, bytes] | None = None,
) -> dict[str, bytes]:
    """The search index of these pages (in this order), as ``{site path: bytes}`` under ``search/``.

    `memo` keeps blocks of postings between builds, and `contents` names what determines each page's
    record (the hash of its bytes), in the same order as `docs` (see `_postings`). With `contents`,
    `chunk_memo` keeps the files of page records between builds, by their pages' paths and contents:
    it is left holding exactly this index's.
    """
    if contents is None:
        pages = [d for d in docs if d is not None]
        named = None
    else:
        pairs = [(d, c) for d, c in zip(docs, contents, strict=True) if d is not None]
        pages, named = [d for d, _ in pairs], [c for _, c in pairs]
    encoded = _postings(pages, {} if memo is None else memo, named)
    shards = _shards(encoded)
    files: dict[str, bytes] = {}
    for number, (_, group) in enumerate(shards):
        body = ",".join(f'"{w}":[{encoded[w]}]' for w in group)  # a word is letters and digits: nothing to escape
        files[f"{FOLDER}/terms/{number}.json"] = ("{" + body + "}").encode("utf-8")
    starts = _chunks(pages)
    kept: dict[str, bytes] = {}
    for number, (first, end) in enumerate(zip(starts, [*starts[1:], len(pages)])):
        key = data = None
        if named is not None and chunk_memo is not None:
            key = hashlib.blake2b("\n".join(f"{d.path} {c}" for d, c in zip(pages[first:end], named[first:end])).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
            data = chunk_memo.get(key)
        if data is None:
            data = _json([[d.path, d.title, d.kind, d.date, d.outlet, d.excerpt] for d in pages[first:end]])
        if key is not None:
            kept[key] = data
        files[f"{FOLDER}/pages/{number}.json"] = data
    if named is not None and chunk_memo is not None:
        chunk_memo.clear()
        chunk_memo.update(kept)
    manifest = {"chunks": starts, "format": FORMAT, "language": language, "pages": len(pages), "shards": [name for name, _ in shards]}
    files[f"{FOLDER}/index.json"] = _json(manifest)
    return dict(sorted(files.items()))
