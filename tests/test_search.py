"""The search page and the static search index built with the site (search/)."""

from __future__ import annotations

import json
from array import array
import re
import shutil
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ncg_digest import parallel, render, search
from ncg_digest.build import build_site
from ncg_digest.search import SearchDoc, page_record, search_files, shards_for, words

from sitekit import REPO, new_project


def load_index(out) -> tuple[dict, dict[str, list[int]], list[list[str]]]:
    """The manifest, every word's postings (absolute page numbers and weights), and the page records."""
    folder = out / "search"
    manifest = json.loads((folder / "index.json").read_text())
    postings: dict[str, list[int]] = {}
    for number in range(len(manifest["shards"])):
        for word, values in json.loads((folder / "terms" / f"{number}.json").read_text()).items():
            assert word not in postings, word
            page, absolute = 0, []
            for delta, weight in zip(values[::2], values[1::2]):
                page += delta
                absolute += [page, weight]
            postings[word] = absolute
    pages = []
    for n, start in enumerate(manifest["chunks"]):
        assert start == len(pages)  # the manifest says where each chunk starts
        pages += json.loads((folder / "pages" / f"{n}.json").read_text())
    assert len(pages) == manifest["pages"]
    assert sorted(p.name for p in (folder / "terms").iterdir()) == sorted(f"{n}.json" for n in range(len(manifest["shards"])))
    assert sorted(p.name for p in (folder / "pages").iterdir()) == sorted(f"{n}.json" for n in range(len(manifest["chunks"])))
    return manifest, postings, pages


def pages_with(word: str, postings, pages) -> set[str]:
    return {pages[n][0] for n in postings.get(word, [])[::2]}


def content_pages(project) -> set[str]:
    """Article, meeting and topic pages (not the topics index, nor the lists of a topic's articles from one meeting)."""
    return {
        p
        for p in project.pages()
        if p.startswith(("articles/", "meetings/", "topics/")) and p != "topics/index.html" and p.count("/") == 1
    }


def test_only_articles_meetings_and_topics_are_indexed(bundled_site):
    manifest, postings, pages = load_index(bundled_site.out)
    assert {p[0] for p in pages} == content_pages(bundled_site)
    assert manifest["pages"] == len(content_pages(bundled_site))
    kinds = {p[0].split("/")[0]: p[2] for p in pages}
    assert kinds == {"articles": "Article", "meetings": "Meeting", "topics": "Topic"}


def test_a_word_of_a_meeting_page_finds_it(bundled_site):
    _, postings, pages = load_index(bundled_site.out)
    assert "meetings/ncg-5.html" in pages_with("soofer", postings, pages)
    record = next(p for p in pages if p[0] == "meetings/ncg-5.html")
    assert record[1:4] == ["Fifth NCG meeting", "Meeting", bundled_site.html("meetings/ncg-5.html").find("h1").find_next("time").get_text()]
    # In the title, the weight's lowest bit is set.
    title_word = postings["fifth"]
    at = title_word[::2].index(pages.index(record))
    assert title_word[2 * at + 1] & 1


def test_the_navigation_and_footer_are_not_indexed(bundled_site):
    _, postings, _ = load_index(bundled_site.out)
    page = (bundled_site.out / "meetings" / "ncg-5.html").read_bytes()
    record = page_record("meetings/ncg-5.html", page)
    indexed = set(record.terms())
    outside = bundled_site.html("meetings/ncg-5.html")
    for region in (outside.find("nav"), outside.find("footer")):
        only_there = set(words(region.get_text(" "))) - set(words(outside.find("article").get_text(" ")))
        assert only_there, region.name
        assert not only_there & indexed, region.name


def test_the_index_is_byte_identical_across_clean_builds(bundled_site, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(bundled_site.root, again, ignore=shutil.ignore_patterns("_site", ".cache"))
    from sitekit import Project

    Project(again).build()
    first = {p.relative_to(bundled_site.out): p.read_bytes() for p in (bundled_site.out / "search").rglob("*") if p.is_file()}
    second = {p.relative_to(again / "_site"): p.read_bytes() for p in (again / "_site" / "search").rglob("*") if p.is_file()}
    assert first and first == second


def test_a_rebuild_reads_only_the_pages_that_changed(project, monkeypatch):
    for n in range(3):
        project.write(f"content/articles/2025-12-1{n}-report-{n}.md", f"---\ntitle: Report {n}\nmeeting: 5\nsummary: Report number {n}.\n---\nText {n}.\n")
    project.build()
    log = project.root / "records.log"  # the index is made by the build's helper process: it tells by file
    real = search.page_record

    def watched(path, data):
        with open(log, "a") as handle:
            handle.write(path + "\n")
        return real(path, data)

    monkeypatch.setattr(search, "page_record", watched)
    project.write("content/articles/2025-12-19-kimchi.md", "---\ntitle: Kimchi diplomacy\nsummary: Fermented words.\n---\nText.\n")
    project.build()
    read = log.read_text().split()
    assert "articles/2025-12-19-kimchi.html" in read
    assert not any(p.startswith("articles/2025-12-1") and "kimchi" not in p for p in read), read
    _, postings, pages = load_index(project.out)
    assert "articles/2025-12-19-kimchi.html" in pages_with("kimchi", postings, pages)
    assert pages_with("ferment", postings, pages) == set()  # whole words are indexed; prefixes match in the browser
    assert pages_with("fermented", postings, pages) == {"articles/2025-12-19-kimchi.html"}


def test_words_are_folded_for_case_accents_and_plurals():
    text = "Talks_on SŎUL's allies, 1990s boss bus abcs talkss"
    assert words(text) == [search.fold(w) for w in re.findall(r"[^\W_]{2,}", search.normal(text))]
    assert words("Talks in SŎUL, Café-process; the 2nd NCG's") == ["talk", "in", "soul", "cafe", "process", "the", "2nd", "ncg"]
    assert words("naïve Übung x") == ["naive", "ubung"]
    assert words("서울에서") == words("서울에서") != []


PAGE = """<!doctype html><html><head><title>T</title><meta name="description" content="A &amp; B talk."></head>
<body><nav>Skipnav Menu</nav><main><article data-search-body data-search-kind="Article" data-search-date="1 May 2025" data-search-outlet="Q&amp;A">
<header><p>Yonhap</p><h1>The <em>Sŏul</em> &lt;script&gt; meeting</h1></header>
<p>Deterrence <em>talks</em> <a href="x">linked</a></p><script>var hidden = 1;</script><style>.styled {}</style>
<div data-search-ignore><p>Ignored <article>nested</article> words</p></div><article class="card">Card text</article>
</article></main><footer>Footnote</footer></body></html>"""


def test_a_page_record_holds_the_marked_region_only():
    record = page_record("articles/x.html", PAGE.encode())
    assert record.title == "The Sŏul <script> meeting"
    assert (record.kind, record.date, record.outlet, record.excerpt) == ("Article", "1 May 2025", "Q&A", "A & B talk.")
    terms = record.terms()
    assert {"deterrence", "talk", "linked", "yonhap", "card", "text"} <= set(terms)
    for absent in ("skipnav", "menu", "footnote", "hidden", "var", "styled", "ignored", "nested"):
        assert absent not in terms, absent
    assert terms["soul"] == 1 and terms["talk"] == 2  # in the title only; once in the text
    assert page_record("index.html", b"<html><body><main>No marker</main></body></html>") is None


def test_shards_hold_runs_of_words_and_every_beginning_finds_its_word(monkeypatch):
    monkeypatch.setattr(search, "SHARD_BYTES", 400)
    vocabulary = [f"nu{chr(97 + a)}{chr(97 + b)}x" for a in range(6) for b in range(6)] + ["nu", "nub", "other", "zz" * 300]
    docs = []
    for n in range(30):
        chosen = sorted(vocabulary[n % 7 :: 3])
        docs.append(SearchDoc(f"p{n}.html", "Article", "", "", "", "", " ".join(chosen), array("H", [2] * len(chosen)).tobytes()))
    files = search_files(docs, "en")
    names = json.loads(files["search/index.json"])["shards"]
    assert len(names) > 5 and names == sorted(names)
    shards = [json.loads(files[f"search/terms/{n}.json"]) for n in range(len(names))]
    for n, shard in enumerate(shards):
        assert all(names[n] <= word and (n + 1 == len(names) or word < names[n + 1]) for word in shard)
        assert len(files[f"search/terms/{n}.json"]) <= 400 or len(shard) == 1  # a word too large alone has a shard of its own
    assert sum(len(shard) for shard in shards) == len(vocabulary)
    for word in vocabulary:
        for length in range(2, len(word) + 1):
            typed = word[:length]
            assert word in [w for n in shards_for(typed, names) for w in shards[n]], (word, typed)


@given(st.lists(st.text(st.characters(categories=["Ll", "Lo", "Nd"]), min_size=2, max_size=6), min_size=1, max_size=60, unique=True))
def test_every_beginning_of_every_word_finds_its_shard(vocabulary):
    """Whatever the words (any script, letters beyond the first 65,536 included), search.js's way of
    choosing shards finds each word from any beginning of it."""
    with patch.object(search, "SHARD_BYTES", 60):
        files = search_files([SearchDoc("p.html", "Article", "", "", "", "", " ".join(vocabulary), array("H", [2] * len(vocabulary)).tobytes())], "en")
    names = json.loads(files["search/index.json"])["shards"]
    shards = [json.loads(files[f"search/terms/{n}.json"]) for n in range(len(names))]
    for word in vocabulary:
        for length in range(1, len(word) + 1):
            assert word in [w for n in shards_for(word[:length], names) for w in shards[n]], (word, length)


def test_a_new_page_changes_one_chunk_of_page_records():
    def record(n: int) -> SearchDoc:
        return SearchDoc(f"articles/{n:05d}.html", "Article", f"Title {n}", "", "", "", "word", array("H", [2]).tobytes())

    before = search_files([record(n) for n in range(0, 2000, 2)], "en")
    after = search_files(sorted([record(n) for n in range(0, 2000, 2)] + [record(1001)], key=lambda d: d.path), "en")
    chunks = lambda files: {p: d for p, d in files.items() if p.startswith("search/pages/")}  # noqa: E731
    assert len(chunks(before)) > 3
    assert [p for p in chunks(after) if chunks(before).get(p) != chunks(after)[p]] == [
        p for p, d in chunks(after).items() if b"Title 1001" in d
    ]


def test_search_script_reads_the_layout_the_index_is_written_in():
    script = (REPO / "templates" / "static" / "search.js").read_text(encoding="utf-8")
    assert re.search(r"var FORMAT = (\d+);", script).group(1) == str(search.FORMAT)


def test_search_page_is_a_labelled_search_form_with_a_fallback(bundled_site):
    soup = bundled_site.html("search.html")
    form = soup.find("form", role="search")
    field = form.find("input", type="search")
    assert soup.find("label", attrs={"for": field["id"]})
    assert soup.find(attrs={"aria-live": "polite"})
    notice = soup.find(id="search-unavailable")
    assert notice.find("a", href="topics/index.html")
    scripts = soup.find_all("script")
    assert [s["src"] for s in scripts if s.get("src")] == ["search.js"]
    assert not soup.find("link", rel="stylesheet", href=lambda h: h != "style.css")
    assert (bundled_site.out / "search.js").is_file()
    for page in bundled_site.pages():
        assert bundled_site.html(page).find("nav").find("a", string="Search"), page


def _without_ignored_slowly(text: str) -> str:
    """The plain definition: remove the first marked element, then look again from the start."""
    while m := search._IGNORED_START.search(text):
        end = search._element_end(text, m.group(1), m.end())
        closing = text.find(">", end)
        text = text[: m.start()] + " " + text[closing + 1 if closing >= 0 else len(text) :]
    return text


# Rendered pages escape "<" everywhere but in tags, so the fragments never hold a stray one.
_FRAGMENT = st.lists(
    st.sampled_from(["<div data-search-ignore>", "<div>", "</div>", "<p data-search-ignore class=x>", "</p>", "data-search-ignore", ">", "word ", "<span>", "</span>"]),
    max_size=30,
).map("".join)


@given(text=_FRAGMENT)
def test_ignored_elements_are_removed_as_by_the_plain_definition(text):
    assert search._without_ignored(text) == _without_ignored_slowly(text)


_TERMS = st.lists(st.dictionaries(st.sampled_from(["ab", "cd", "ef", "gh", "ij"]), st.integers(1, 511), max_size=4), max_size=12)


def _docs(pages: list[dict[str, int]], names: list[str] | None = None) -> list[SearchDoc]:
    return [
        SearchDoc(name, "", "", "", "", " ".join(sorted(terms)), " ".join(sorted(terms)), array("H", [terms[w] for w in sorted(terms)]).tobytes())
        for name, terms in zip(names or [f"p{n}.html" for n in range(len(pages))], pages)
    ]


@given(_TERMS, st.lists(st.integers(0, 12), max_size=5))
def test_postings_made_in_blocks_and_joined_are_those_made_at_once(pages, cuts):
    """Each word's pages and weights, whichever blocks the pages are put in."""
    docs = _docs(pages)
    bounds = sorted({0, len(docs), *(c for c in cuts if c <= len(docs))})
    joined = search._joined_postings((a, search._block_postings(docs, (a, b))) for a, b in zip(bounds, bounds[1:]))
    assert joined == search._joined_postings([(0, search._block_postings(docs, (0, len(docs))))])
    for word, encoded in joined.items():
        numbers = [int(x) for x in encoded.split(",")]
        pages_with = [n for n, terms in enumerate(pages) if word in terms]
        assert numbers[0::2] == [b - a for a, b in zip([0, *pages_with], pages_with)]
        assert numbers[1::2] == [pages[n][word] for n in pages_with]


@given(_TERMS, _TERMS, st.integers(1, 4), st.booleans())
def test_an_index_made_with_kept_blocks_is_the_index_made_afresh(before, after, block, named):
    """Blocks kept from the last index (the pages before) give the same files as none; the memo keeps this
    index's blocks. Blocks are known by their words, or (`named`) by what determines each page's words,
    as a build knows them by the hash of each page's bytes."""
    # Pages named so that each of the before pages ends a block or not; the after pages are a mix of both.
    with patch.object(search, "BLOCK", block), patch.object(search, "CHUNK", block):
        old = _docs(before, [f"a{n}.html" for n in range(len(before))])
        new = _docs(after, [f"a{n}.html" for n in range(len(after))])
        old_contents, new_contents = ([repr(sorted(t.items())) for t in terms] if named else None for terms in (before, after))
        memo: dict = {}
        chunks: dict = {}  # the files of page records, kept too when the pages are named
        search.search_files(old, "en", memo, old_contents, chunks)
        kept = search.search_files(new, "en", memo, new_contents, chunks)
        assert kept == search.search_files(new, "en")
        if named:
            assert set(memo) == {search._block_key_of([repr(sorted(t.items())) for t in after], span) for span in search._blocks(new)}
            assert sorted(chunks.values()) == sorted(data for path, data in kept.items() if path.startswith("search/pages/"))
        else:
            assert set(memo) == {search._block_key(new, span) for span in search._blocks(new)}


def test_search_records_made_while_rendering_on_every_core_give_the_same_index(tmp_path, monkeypatch):
    """A large site's pages are rendered by worker processes, which make each page's search record from the
    bytes at hand; the index must be the one made by reading the pages afterwards."""
    if parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    made: list[dict] = []
    real = render.render_in_parallel

    def watched(pages, config, env, bodies, workers, progress, records=None, staging=None):
        made.append(records)
        return real(pages, config, env, bodies, workers, progress, records, staging)

    sites = {}
    for way, first in [("afterwards", 10**9), ("while rendering", 1)]:
        p = new_project(tmp_path / way.replace(" ", "-"), with_articles=True)
        monkeypatch.setattr(render, "PARALLEL_FROM", first)
        monkeypatch.setattr(render, "render_in_parallel", watched)
        build_site(p.config())
        sites[way] = {f.relative_to(p.out).as_posix(): f.read_bytes() for f in sorted(p.out.rglob("*")) if f.is_file()}
    assert len(made) == 1 and made[0]  # the second build made the records as it rendered
    records = made[0]
    assert records == {path: page_record(path, sites["while rendering"][path]) for path in records}
    assert sites["while rendering"] == sites["afterwards"]
    assert any(path.startswith("search/terms/") for path in sites["afterwards"])


def _words_character_by_character(text: str) -> list[str]:
    """The plain definition of a text's words (see the module's docstring), with no quick way for ASCII."""
    return search._WORD.findall(search._PLURAL_S.sub("", search.normal(text.lower())))


# Letters, digits and separators of every kind that pages hold, and the characters that normalization treats
# specially: diacritics alone and composed, ligatures, circled and fractional numbers, a soft hyphen, letters whose
# lower case is two characters, Hangul, and combining marks of classes other than the diacritics'.
_MIXED = st.text(
    st.sampled_from(list("as sS_-'.1") + list("’“”–—…\u00a0·•→←©®™") + list("éŏÜßẞİıﬁ①½²\u00ad\u0301\u0308\u05b0\u0591\u20dd서울Ωω"))
)


@given(text=_MIXED)
def test_words_found_the_quick_way_are_those_found_character_by_character(text):
    assert search._all_words(text) == _words_character_by_character(text)


@given(text=st.text())
def test_words_of_any_text_are_those_found_character_by_character(text):
    assert search._all_words(text) == _words_character_by_character(text)
