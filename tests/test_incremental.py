"""Incremental builds: after any sequence of changes, the site equals a clean build, file for file.

Each step edits the project, rebuilds it in place (with its .cache/), then
builds a copy of the same inputs from nothing and compares the two output
folders byte for byte. Files whose bytes did not change must keep their
modification time; pages of deleted articles must disappear.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from ncg_digest import build, parallel, render
from ncg_digest import cache as cache_module
from ncg_digest.build import build_site
from ncg_digest.read import load_config

from sitekit import Project

REPUBLISHED = """---
title: Fact sheet on the fifth meeting
outlet: U.S. Department of Defense
published: 2025-12-12
meeting: 5
topics: [nuclear-planning]
republish: true
summary: The Department of Defense describes the fifth meeting.
---

The allies met in **Washington** for the fifth time.

- guidelines
- exercises
"""


# Another title for a co-chair: the meeting page shows both, with their sources.
CO_CHAIR = """republish: true
people:
- name: Kim Tae-Hyo
  side: ROK
  role: co-chair
  title: Deputy National Security Adviser"""


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def clean_build_of(project: Project, scratch: Path) -> dict[str, bytes]:
    """A build of a copy of the project's inputs, with no cache and no previous site."""
    if scratch.exists():
        shutil.rmtree(scratch)
    for name in ("content", "templates"):
        shutil.copytree(project.root / name, scratch / name)
    build_site(load_config(scratch))
    return tree(scratch / "_site")


def assert_same_as_clean(project: Project, scratch: Path) -> None:
    project.build()
    incremental, clean = tree(project.out), clean_build_of(project, scratch)
    assert sorted(incremental) == sorted(clean)
    different = [path for path in clean if incremental[path] != clean[path]]
    assert different == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


STEPS = [
    ("add a republished article", lambda p: p.write("content/articles/fact-sheet.md", REPUBLISHED)),
    ("edit its title", lambda p: edit(p.root / "content/articles/fact-sheet.md", "title: Fact sheet", "title: The fact sheet")),
    ("edit its Markdown body", lambda p: edit(p.root / "content/articles/fact-sheet.md", "**Washington**", "*Washington, D.C.*")),
    ("move it to another meeting", lambda p: edit(p.root / "content/articles/fact-sheet.md", "meeting: 5", "meeting: 4")),
    ("change a page template", lambda p: edit(p.root / "templates/article.html", "<h2 id=\"summary\">Summary</h2>", "<h2 id=\"summary\">In brief</h2>")),
    ("change a shared macro", lambda p: edit(p.root / "templates/_macros.html", "date not stated", "no date given")),
    ("change the base layout", lambda p: edit(p.root / "templates/base.html", "Skip to content", "Skip to the content")),
    ("change the site settings", lambda p: p.write("content/site.yml", "title: Alliance Digest\ndescription: A test.\n")),
    ("change a curated meeting", lambda p: edit(p.root / "content/meetings.yml", "city: Seoul", "city: Seoul, Yongsan")),
    # The meeting's record now says it dealt with a topic: the topic's steps and the matrix of topics cite it.
    ("give a curated meeting a topic", lambda p: edit(p.root / "content/meetings.yml", "city: Seoul, Yongsan\n", "city: Seoul, Yongsan\n    topics: [risk-reduction]\n")),
    ("name a co-chair in an article", lambda p: edit(p.root / "content/articles/fact-sheet.md", "republish: true", CO_CHAIR)),
    ("add a spelling of a person", lambda p: edit(p.root / "content/people.yml", "variants: [Kim Tae Hyo, Kim Taehyo]", "variants: [Kim Tae Hyo, Kim Taehyo, Kim Tae-Hyo]")),
    ("rename a topic", lambda p: edit(p.root / "content/topics.yml", "name: ", "name: Renamed ")),
    ("change the stylesheet", lambda p: p.write("templates/style.css", (p.root / "templates/style.css").read_text() + "\nmain { color: #111; }\n")),
    ("add a static file", lambda p: p.write("templates/static/robots.txt", "User-agent: *\n")),
    ("remove the static file", lambda p: (p.root / "templates/static/robots.txt").unlink()),
    ("rename an article file", lambda p: (p.root / "content/articles/fact-sheet.md").rename(p.root / "content/articles/dod-fact-sheet.md")),
    ("delete an article", lambda p: (p.root / "content/articles/dod-fact-sheet.md").unlink()),
    ("delete an ingested article", lambda p: sorted((p.root / "content/articles").glob("undated-*.md"))[0].unlink()),
]


@pytest.mark.parametrize(
    "way", ["saved after writing", "saved while writing", "pages staged by workers", "pages shared with a second process", "bodies made ahead", "on one core"]
)
def test_incremental_builds_equal_clean_builds_through_a_sequence_of_changes(seeded, tmp_path, monkeypatch, way):
    """Whether the cache is saved after the site is written or, as for a large site, by a second process
    meanwhile; whether the changed input files are hashed here or, as for a first build of a large site,
    on every core, and the pages rendered in this process or, as for a large site, by workers that write
    them into the staging folder, or, as for a few large pages, shared with a second process; whether the Markdown bodies are rendered with the pages or, as for a
    large site, by a second process while the digest is made; and whether a rebuild's search index is
    made by its helper process or, on one core, in this one."""
    if way == "on one core":
        monkeypatch.setattr(parallel, "workers", lambda: 1)
    monkeypatch.setattr(build, "SAVE_IN_BACKGROUND_FROM", 0 if way == "saved while writing" else 10**9)
    monkeypatch.setattr(build, "BODIES_AHEAD_FROM", 1 if way == "bodies made ahead" else 10**9)
    if way in ("pages staged by workers", "pages shared with a second process", "bodies made ahead") and parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    if way == "pages staged by workers":
        monkeypatch.setattr(render, "PARALLEL_FROM", 1)
        monkeypatch.setattr(cache_module, "HASH_PARALLEL_FROM", 1)  # and the changed inputs hashed by workers
    monkeypatch.setattr(render, "SHARE_FROM_BYTES", 0 if way == "pages shared with a second process" else 10**12)
    seeded.ingest()
    assert_same_as_clean(seeded, tmp_path / "clean")
    for name, change in STEPS:
        change(seeded)
        try:
            assert_same_as_clean(seeded, tmp_path / "clean")
        except AssertionError as error:
            raise AssertionError(f"after step {name!r}: {error}") from None


def test_pages_of_a_deleted_article_disappear(seeded):
    seeded.write("content/articles/fact-sheet.md", REPUBLISHED)
    seeded.build()
    assert (seeded.out / "articles/fact-sheet.html").is_file()
    (seeded.root / "content/articles/fact-sheet.md").unlink()
    report = seeded.build()
    assert not (seeded.out / "articles/fact-sheet.html").exists()
    assert "articles/fact-sheet.html" in report.removed
    assert "fact-sheet" not in (seeded.out / "meetings/ncg-5.html").read_text()


def test_a_rebuild_with_no_change_writes_nothing(seeded):
    seeded.ingest()
    seeded.build()
    before = stats(seeded.out)
    report = seeded.build()
    assert report.written == () and report.removed == ()
    assert "none changed" in report.summary()
    assert stats(seeded.out) == before


@pytest.mark.parametrize("staged", [False, True])
def test_the_record_of_a_build_matches_its_files_so_the_next_build_has_nothing_to_do(seeded, monkeypatch, staged):
    """Whether the pages were written by this process or, as for a large site, staged by render workers
    (which tell the size and time each page was written with)."""
    from ncg_digest.cache import BuildCache

    if staged and parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    monkeypatch.setattr(render, "PARALLEL_FROM", 1 if staged else 10**9)
    seeded.ingest()
    seeded.build()
    cache = BuildCache(seeded.config())
    for path, entry in cache.record.files.items():
        status = (seeded.out / path).stat()
        assert (entry.size, entry.mtime_ns) == (status.st_size, status.st_mtime_ns), path
    assert cache.site_is_current()


def test_only_files_whose_bytes_changed_are_rewritten(seeded):
    seeded.ingest()
    seeded.build()
    before = stats(seeded.out)
    meeting_4 = next(p for p in (seeded.root / "content/articles").glob("undated-*fourth*.md"))
    edit(meeting_4, "summary: ", "summary: Updated. ")
    report = seeded.build()
    after = stats(seeded.out)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed == sorted(report.written)
    article = f"articles/{meeting_4.stem}.html"
    assert article in changed and "meetings/ncg-4.html" in changed
    # Pages that do not show the summary, and the unrelated meeting, keep their file and its mtime.
    for untouched in ("meetings/ncg-5.html", "meetings/ncg-1.html", "style.css", "404.html"):
        assert after[untouched] == before[untouched], untouched


@pytest.mark.parametrize("way", ["in this process", "by workers into the staging folder", "shared with a second process"])
def test_pages_rendered_again_to_the_same_bytes_keep_their_files(seeded, monkeypatch, way):
    """A template change that changes no page's bytes renders every page again; only the pages an edited
    article changes are rewritten, the others keep their file and its modification time."""
    monkeypatch.setattr(render, "SHARE_FROM_BYTES", 0 if way == "shared with a second process" else 10**12)
    if way != "in this process":
        if parallel.workers() < 2:
            pytest.skip("needs fork and two cores")
        monkeypatch.setattr(render, "PARALLEL_FROM", 1 if way == "by workers into the staging folder" else 10**9)
    seeded.ingest()
    seeded.build()
    before = stats(seeded.out)
    edit(seeded.root / "templates/base.html", "</body>", "{# a note for the template's authors #}</body>")
    report = seeded.build()
    assert report.written == () and report.removed == ()
    assert stats(seeded.out) == before
    meeting_4 = next(p for p in (seeded.root / "content/articles").glob("undated-*fourth*.md"))
    edit(meeting_4, "summary: ", "summary: Updated. ")
    edit(seeded.root / "templates/base.html", "{# a note for", "{# another note for")
    report = seeded.build()
    after = stats(seeded.out)
    assert f"articles/{meeting_4.stem}.html" in report.written and len(report.written) < len(after) / 2
    assert sorted(path for path in after if after[path] != before[path]) == sorted(report.written)
    assert sorted(p.name for p in seeded.root.iterdir() if p.name.startswith("._site.") and not p.name.endswith(".lock")) == []


def test_a_small_change_is_made_inside_the_site_folder_and_a_large_one_swaps_it(crowded_site, tmp_path):
    """A server or shell using _site keeps seeing the live site after a small rebuild; nothing is left beside it."""
    p = Project(tmp_path / "project")
    shutil.copytree(crowded_site.root, p.root, ignore=shutil.ignore_patterns("_site", ".cache"))
    p.build()
    folder = os.stat(p.out).st_ino
    before = stats(p.out)
    edit(p.root / "content/articles/2025-01-crowd-03.md", "summary: ", "summary: Updated. ")
    report = p.build()
    assert 0 < len(report.written) < len(before) / 4
    assert os.stat(p.out).st_ino == folder
    after = stats(p.out)
    assert sorted(path for path in after if after[path] != before[path]) == sorted(report.written)
    build_site(p.config(), clean=True)  # every file written again: staged whole and swapped in
    assert os.stat(p.out).st_ino != folder
    assert stats(p.out).keys() == after.keys()
    assert sorted(x.name for x in p.root.iterdir() if x.name.startswith("._site.") and not x.name.endswith(".lock")) == []


def test_a_file_changed_in_the_output_is_restored(seeded):
    seeded.ingest()
    seeded.build()
    page = seeded.out / "meetings/ncg-5.html"
    good = page.read_bytes()
    page.write_bytes(b"tampered")
    (seeded.out / "stray.html").write_text("not ours")
    seeded.build()
    assert page.read_bytes() == good
    assert not (seeded.out / "stray.html").exists()


def test_a_failed_build_keeps_the_site_and_the_next_good_build_catches_up(seeded, tmp_path):
    seeded.ingest()
    seeded.build()
    before = tree(seeded.out)
    template = seeded.root / "templates/meeting.html"
    good = template.read_text()
    seeded.write("content/articles/fact-sheet.md", REPUBLISHED)
    template.write_text(good.replace("{% block main %}", "{% block main %}{{ m.no_such_field }}"))
    with pytest.raises(Exception, match="no_such_field"):
        seeded.build()
    assert tree(seeded.out) == before
    template.write_text(good)
    assert_same_as_clean(seeded, tmp_path / "clean")
    assert (seeded.out / "articles/fact-sheet.html").is_file()


def test_a_clean_build_ignores_the_cache_and_gives_the_same_site(seeded, tmp_path):
    seeded.ingest()
    seeded.build()
    incremental = tree(seeded.out)
    for store in (seeded.root / ".cache").iterdir():
        store.write_bytes(b"garbage")  # a damaged cache is never trusted
    seeded.build()
    assert tree(seeded.out) == incremental
    report = build_site(seeded.config(), clean=True)
    assert tree(seeded.out) == incremental
    assert len(report.written) == report.files  # everything rendered and written anew


def test_the_cache_lives_in_the_project_and_never_in_the_site(seeded):
    seeded.ingest()
    seeded.build()
    assert (seeded.root / ".cache").is_dir()
    assert not any(".cache" in p.parts or p.suffix == ".pickle" for p in seeded.out.rglob("*"))
    assert os.listdir(seeded.root / ".cache")


def test_a_new_report_works_out_only_its_meeting_again(seeded):
    """The digest keeps each meeting's facts by its record and its reports: a new report redoes one meeting."""
    from ncg_digest.cache import BuildCache
    from ncg_digest.digest import digest
    from ncg_digest.read import load_project

    seeded.ingest()
    seeded.build()
    seeded.write("content/articles/fact-sheet.md", REPUBLISHED)
    config = seeded.config()
    cache = BuildCache(config)
    project = load_project(config, cache.articles)
    memo = cache.digest_memo(project.items)
    before = set(memo.facts)
    kept = digest(project.records, project.items, memo)
    assert len(set(memo.facts) - before) == 1
    assert kept == digest(project.records, project.items)  # what a digest from nothing makes
    fifth = next(m for m in kept.meetings if m.number == 5)
    assert "U.S. Department of Defense" in fifth.outlets


def test_a_value_keyed_by_what_determines_it_is_the_same_whenever_its_key_is(seeded, monkeypatch):
    """A page is rendered again only when its key changes. The build keys some values by what determines them
    (an item by its file, a meeting's facts, key points and sources by the memo's key) instead of taking them
    apart. Through the changes above, a value given such a key is, taken apart, the same value every time."""
    from ncg_digest.digest import digest
    from ncg_digest.read import load_project
    from ncg_digest.render import pages_of

    given: list[dict[int, str]] = []

    class Recording(cache_module.Fingerprinter):
        def __init__(self, known: dict[int, str]):
            given.append(known)
            super().__init__(known)

    monkeypatch.setattr(cache_module, "Fingerprinter", Recording)
    seeded.ingest()
    seen: dict[str, tuple[str, str]] = {}  # a key given by the build → (the value taken apart, the step)
    for name, change in STEPS:
        build_site(seeded.config())  # the cache, as the rebuild after this change finds it
        change(seeded)
        config = seeded.config()
        cache = cache_module.BuildCache(config)
        project = load_project(config, cache.articles)
        result = digest(project.records, project.items, cache.digest_memo(project.items))
        pages = pages_of(result)
        given.clear()
        cache.page_keys(pages, result, project.records)
        values = reachable([p.context for p in pages])
        apart = cache_module.Fingerprinter({}).of
        for ident, key in given[0].items():
            if ident in values:
                value = apart(values[ident])
                first = seen.setdefault(key, (value, name))
                assert first[0] == value, f"{key!r} stands for another value after {name!r} than after {first[1]!r}"
    assert len(seen) > 1000


def reachable(value: object) -> dict[int, object]:
    """Every dataclass, tuple, list and mapping reachable from `value`, by id."""
    import dataclasses

    found: dict[int, object] = {}
    stack = [value]
    while stack:
        item = stack.pop()
        if id(item) in found:
            continue
        if dataclasses.is_dataclass(item):
            stack += [getattr(item, f.name) for f in dataclasses.fields(item)]
        elif isinstance(item, (tuple, list)):
            stack += item
        elif isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        else:
            continue
        found[id(item)] = item
    return found


def test_articles_read_from_the_cache_keep_their_source_paths(seeded):
    """An item read back from the cache names the very file it came from."""
    from ncg_digest.cache import BuildCache
    from ncg_digest.read import article_paths

    seeded.ingest()
    seeded.build()
    cache = BuildCache(seeded.config())
    paths = article_paths(seeded.config())
    assert paths
    for path in paths:
        parsed = cache.articles.get(path)
        assert parsed is not None and parsed.item.source == str(path)


def test_a_cache_saved_while_the_site_is_written_serves_the_next_build(seeded, monkeypatch):
    """As for a large site: a second process saves the stores, and the next build finds them all."""
    from ncg_digest.cache import BuildCache
    from ncg_digest.read import article_paths

    monkeypatch.setattr(build, "SAVE_IN_BACKGROUND_FROM", 0)
    seeded.ingest()
    seeded.build()
    cache = BuildCache(seeded.config())
    paths = article_paths(seeded.config())
    assert paths and all(cache.articles.get(path) is not None for path in paths)
    assert cache.memo.facts and cache.compiled_templates and cache.search_postings and cache.data_files.stored
    assert sum(len(shard) for shard in cache.search_docs.shards) > len(paths)
    assert seeded.build().written == ()


def test_data_files_are_read_again_only_when_their_bytes_change(seeded):
    """The YAML of meetings.yml and the vocabularies is kept by the hash of its bytes: an edit is always seen,
    and the cache keeps only the versions the last build read."""
    from ncg_digest.cache import BuildCache

    seeded.ingest()
    seeded.build()
    kept = dict(BuildCache(seeded.config()).data_files.stored)
    assert len(kept) >= 2  # meetings.yml and at least one vocabulary
    edit(seeded.root / "content/meetings.yml", "city: Seoul", "city: Busan")
    seeded.build()
    assert "Busan" in (seeded.out / "index.html").read_text(encoding="utf-8")
    now = BuildCache(seeded.config()).data_files.stored
    assert len(now) == len(kept) and len(set(now) - set(kept)) == 1  # the edited file's new version only


def test_an_added_article_rewrites_only_the_cache_files_whose_entries_changed(seeded):
    """The stores kept by content key (the digest's memo, rendered bodies, the search index's blocks) are kept
    in shards: an added report changes a few entries, and only the shards holding them are written again."""
    import pickle

    from sitekit import crowd_article

    seeded.ingest()
    for n in range(40):  # enough entries for every shard of every store to hold some
        seeded.write(f"content/articles/crowd-{n:02d}.md", crowd_article(n, meeting=1 + n % 5).replace("republish: false", "republish: true"))
    seeded.build()
    cache = seeded.root / ".cache"

    def keyed() -> dict[str, tuple[int, frozenset[str]]]:
        return {p.name: (p.stat().st_mtime_ns, frozenset(pickle.loads(p.read_bytes())[1])) for p in cache.glob("*-k*.pickle")}

    before = keyed()
    assert {name.rsplit("-k", 1)[0] for name in before} >= {"digest", "bodies"}
    seeded.write("content/articles/crowd-new.md", crowd_article(99, meeting=4).replace("republish: false", "republish: true"))
    seeded.build()
    after = keyed()
    rewritten = {name for name in after if after[name][0] != before.get(name, (None,))[0]}
    changed = {name for name in after if after[name][1] != before.get(name, (None, frozenset()))[1]}
    assert rewritten == changed and 0 < len(rewritten) < len(after) / 2, sorted(rewritten)
    # Each meeting's key points stay kept along with its facts: one meeting's changed, the others' as they were.
    plans = lambda found: {k for name, (_, keys) in found.items() if name.startswith("digest-") for k in keys if k.startswith("plans:")}  # noqa: E731
    assert len(plans(after)) == len(plans(before)) and len(plans(after) - plans(before)) == 1
    assert_same_as_clean(seeded, seeded.root.parent / "clean")


def test_stores_an_earlier_version_kept_in_single_files_are_removed(seeded):
    seeded.ingest()
    seeded.build()
    cache = seeded.root / ".cache"
    postings = next(cache.glob("search-postings-*-k*.pickle")).name.rsplit("-k", 1)[0]
    legacy = [cache / "digest.pickle", cache / "bodies.pickle", cache / f"{postings}.pickle"]
    for path in legacy:
        path.write_bytes(b"from an earlier version")
    edit(next((seeded.root / "content/articles").glob("undated-*fourth*.md")), "summary: ", "summary: Updated. ")
    seeded.build()
    assert [path.name for path in legacy if path.exists()] == []


@pytest.mark.parametrize("readers", ["this process", "parse workers"])
def test_a_first_build_hashes_each_article_as_it_reads_it_and_the_next_build_has_nothing_to_do(seeded, monkeypatch, readers):
    """With no parsed article kept, the article files are hashed as they are parsed rather than before. What
    the build records of them is still the SHA-256 of each file's bytes, and the next build finds the site
    current without reading any article again."""
    import hashlib

    from ncg_digest import read
    from ncg_digest.cache import BuildCache

    monkeypatch.setattr(read, "PARALLEL_FROM", 1 if readers == "parse workers" else 10**9)
    if readers == "parse workers" and parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    seeded.ingest()
    assert not (seeded.root / ".cache").exists()  # a first build
    (seeded.root / "content/articles/notes.txt").write_text("not an article, still an input\n", encoding="utf-8")
    hashed: list[str] = []
    hash_of_file = cache_module.hash_of_file
    monkeypatch.setattr(cache_module, "hash_of_file", lambda path: hashed.append(path) or hash_of_file(path))
    seeded.build()
    assert [Path(p).name for p in hashed if "/content/articles/" in p] == ["notes.txt"]  # the articles: as they were read
    cache = BuildCache(seeded.config())
    inputs = cache._known_inputs
    articles = sorted((seeded.root / "content/articles").iterdir())
    assert len(articles) > 3
    for path in articles:
        assert inputs[str(path)][3] == hashlib.sha256(path.read_bytes()).hexdigest(), path.name
    assert cache.site_is_current()

    def no_reading(*args, **kwargs):
        raise AssertionError("an article was read again")

    monkeypatch.setattr(read, "read_article", no_reading)
    report = seeded.build()
    assert report.written == () and report.removed == ()


def test_a_site_record_without_kept_articles_still_knows_the_site_is_current(seeded):
    """Parsed articles gone from the cache but the site's record kept: the files are hashed to compare, and a
    build with no changed input has nothing to write."""
    seeded.ingest()
    seeded.build()
    for shard in (seeded.root / ".cache").glob("articles-*.pickle"):
        shard.unlink()
    before = stats(seeded.out)
    report = seeded.build()
    assert report.written == () and report.removed == ()
    assert stats(seeded.out) == before


def test_templates_compiled_ahead_are_not_compiled_again(seeded, monkeypatch):
    """When a second process makes a start on the Markdown bodies during the digest, it compiles the templates
    too, and the render uses what it compiled."""
    import jinja2

    if parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    monkeypatch.setattr(build, "BODIES_AHEAD_FROM", 1)
    seeded.ingest()
    seeded.write("content/articles/fact-sheet.md", REPUBLISHED)
    compiled: list[str] = []
    here = os.getpid()
    compile_source = jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        if os.getpid() == here:
            compiled.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    pages_of = render.pages_of

    def slow_pages_of(digest):  # the time a large site's digest gives the second process
        time.sleep(2)
        return pages_of(digest)

    monkeypatch.setattr(render, "pages_of", slow_pages_of)
    seeded.build()
    assert compiled == []
    assert (seeded.out / "articles/fact-sheet.html").is_file()
    monkeypatch.setattr(build, "BODIES_AHEAD_FROM", 10**9)  # and when no second process starts, this one compiles them
    (seeded.root / "templates/base.html").write_text((seeded.root / "templates/base.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    seeded.build()
    assert "base.html" in compiled


def test_new_reports_of_one_meeting_then_another_find_no_outcomes_topics_again(seeded, monkeypatch):
    """Finding the topics a meeting's outcomes mention compiles a pattern for every synonym: the memo keeps them
    for every meeting, so the builds after new reports find none again, whichever meeting each report is of."""
    from ncg_digest import digest as digest_module

    seeded.ingest()
    seeded.build()
    looked: list[tuple[str, ...]] = []
    find = digest_module.outcome_topics
    monkeypatch.setattr(digest_module, "outcome_topics", lambda outcomes, vocabulary: looked.append(outcomes) or find(outcomes, vocabulary))
    for number in (5, 3, 4):
        seeded.write(f"content/articles/report-{number}.md", REPUBLISHED.replace("meeting: 5", f"meeting: {number}"))
        seeded.build()
    assert looked == []
