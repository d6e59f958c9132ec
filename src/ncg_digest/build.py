"""The build: read → digest → render → write, and a one-line summary.

The cache (``cache.py``) lets each stage skip what did not change: unchanged
article files are not parsed again, pages whose inputs are unchanged are not
rendered again, and files whose bytes are unchanged are not written again.
The result is the same, byte for byte, as a build from nothing.
"""

from __future__ import annotations

import functools
import gc
import operator
import time
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from .cache import BuildCache, OutputSurvey
from .config import Config
from .doubts import StrictFailure
from .errors import Problem
from .parallel import Helper, helper, in_background, meanwhile
from .progress import QUIET, Progress
from .write import Staged, Staging, output_lock

if TYPE_CHECKING:
    from .digest import Digest
    from .search import SearchDoc


@dataclass(frozen=True)
class BuildReport:
    items: int
    meetings: int
    pages: int
    files: int
    seconds: float
    output: str
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    written: tuple[str, ...] = ()  # site paths whose bytes changed (new or different)
    removed: tuple[str, ...] = ()  # site paths that are gone

    def summary(self) -> str:
        if self.written or self.removed:
            changed = f"{len(self.written)} written, {len(self.removed)} removed"
        else:
            changed = "none changed"
        return (
            f"Built {self.items} items and {self.meetings} meetings: {self.pages} pages "
            f"({self.files} files, {changed}) in {self.output} in {self.seconds:.2f} s"
        )


def build_digest(config: Config) -> "Digest":
    from .digest import digest
    from .read import load_project

    project = load_project(config)
    return digest(project.records, project.items)


def build_site(
    config: Config, *, clean: bool = False, strict: bool = False, progress: Progress = QUIET, leave: list[object] | None = None
) -> BuildReport:
    """Gather everything in memory first; only then write what changed, all at once.

    With `clean`, the cache is ignored (and rebuilt). Warnings come back in the
    report; with `strict` they fail the build before anything is written. A
    caller whose process ends with the build passes `leave`, a list that is
    given what the build held (its cache, its digest, its pages): those are then
    left for the process's end, which takes them back all at once, rather than
    freed object by object (0.06 to 0.1 s after adding one of ten thousand).
    """
    started = time.perf_counter()
    # Held from the start: another build's half-made cache or site is never read, and never written over.
    with output_lock(config.output), rare_collections():
        return _build(config, clean, strict, progress, started, [] if leave is None else leave)


# A build holds millions of small objects (the items, the digest, the cache) until it ends. Python's cycle
# collector, at its usual pace, would walk all of them again and again as more are made: a quarter of an
# add-one rebuild of ten thousand articles. At this pace it runs a few times a build; the garbage cycles
# it finds are few.
BUILD_GC_THRESHOLD = (100_000, 20, 100)

# From this many pages rendered, the cache is saved by second processes while the site is written. For fewer,
# little of it changed, and saving it here costs less than forking a process the size of a large site's build:
# after the fork, every memory page either process writes to is copied (an add-one rebuild of ten thousand
# articles took 0.09 s longer with forked savers).
SAVE_IN_BACKGROUND_FROM = 500

# From this many Markdown bodies to render, a second process makes a start on them during the digest (each
# takes about a millisecond; starting the process, a few).
BODIES_AHEAD_FROM = 50


@contextmanager
def rare_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.unfreeze()  # what the cache loaded was frozen for the build (see cache.gc_paused)
        gc.set_threshold(*before)


def _build(config: Config, clean: bool, strict: bool, progress: Progress, started: float, leave: list[object]) -> BuildReport:
    cache = BuildCache(config, clean=clean)
    leave.append(cache)
    if cache.site_is_current():
        warnings = cache.record.warnings
        if strict and warnings:
            raise StrictFailure(list(warnings))
        items, meetings, pages = cache.record.counts
        return BuildReport(items, meetings, pages, len(cache.record.files), time.perf_counter() - started, str(config.output), warnings)
    # A rebuild has a helper process, forked now while this one is small. While this one reads and digests, it
    # looks over the output folder and loads the search index's stores; once the pages are rendered, it makes
    # the search index (unless a large render made the pages' records already) while this one makes the
    # feeds, and saves the index's stores while this one writes the site.
    with helper(_helper_jobs(cache), parallel=bool(cache.record.files)) as helping:
        survey = helping.give("survey")
        helping.give("load search")
        return _build_with(cache, helping, survey, strict, progress, started, leave)


def _helper_jobs(cache: BuildCache) -> dict[str, Callable[..., Any]]:
    return {
        "survey": cache.survey_output,
        "load search": cache.load_search_stores,
        "search": functools.partial(search_index, cache),
        "save search": cache.save_search_stores,
    }


def _build_with(
    cache: BuildCache, helping: Helper, survey: Callable[[], OutputSurvey], strict: bool, progress: Progress, started: float, leave: list[object]
) -> BuildReport:
    config = cache.config
    # Imported here, not above: a rebuild with nothing to do never loads Jinja2 or Markdown.
    from .digest import digest
    from .doubts import doubts
    from .read import load_project
    from .render import body_html, compiled_templates, in_parallel, pages_of, reader_files, render_pages, static_files
    from .write import staging_for, write_site

    article_count = len(cache.inputs.under(config.articles))
    with progress.step("reading articles", article_count) as tick:
        project = load_project(config, cache.articles, tick, cache.data_files)
    warnings = tuple(doubts(project.items))
    if strict and warnings:
        raise StrictFailure(list(warnings))
    # While this process makes the digest, the other core makes a start on the articles' Markdown bodies, then
    # compiles the templates (which this process would otherwise do before rendering, with the other core idle).
    missing = cache.bodies_to_make(project.items)
    ahead = [functools.partial(body_html, text) for text in missing.values()]
    ahead.append(functools.partial(compiled_templates, config.templates, dict(cache.compiled_templates)))
    with meanwhile(operator.call, ahead, parallel=len(missing) >= BODIES_AHEAD_FROM) as made_ahead:
        result = digest(project.records, project.items, cache.digest_memo(project.items))
        pages = pages_of(result)
        keys = cache.page_keys(pages, result, project.records)
        cache.use_survey(survey())
        stale = cache.stale(pages, keys)
        made = made_ahead()  # as much as there was time for
        cache.bodies.update(zip(missing, made[: len(missing)]))
        if len(made) > len(missing):
            cache.compiled_templates.update(made[-1])
    records: dict[str, SearchDoc | None] = {}  # search records made along with the pages, when that pays
    # A large render writes its pages straight into the staging folder (see render.render_pages).
    with staging_for(config.output, in_parallel(len(stale))) as staging:
        with progress.step("rendering pages", len(stale)) as tick:
            rendered = render_pages(stale, config, cache.bodies, tick, cache.compiled_templates, records, staging, cache.last_sizes(stale))
        # After a large render, this process makes the search index from the records the render made, and the
        # cache's stores are saved by second processes while it works on (see SAVE_IN_BACKGROUND_FROM); after a
        # small one, the helper makes the index while this process makes the other files.
        large = len(stale) >= SAVE_IN_BACKGROUND_FROM
        shas = cache.page_shas(pages, rendered)
        index: Callable[[], dict[str, bytes]] | None = None
        if cache.search_is_stale(shas):
            if large:
                index = functools.partial(search_index, cache, list(shas), list(shas.values()), rendered, records, staging)
            else:
                index = helping.give("search", list(shas), list(shas.values()), rendered, records, staging)
        files = {**static_files(config), **reader_files(result, config, [p.path for p in pages], None)}
        if large:
            saving: AbstractContextManager[None] = in_background(functools.partial(cache.save_stores, project.items))
        else:
            cache.save_stores(project.items)  # while the helper makes the search index
            saving = nullcontext()
        with saving:
            files.update(index() if index is not None else cache.kept_search_files())
            update = cache.update(keys, rendered, files)
            # The index's stores are saved where the index was made, while the site is written.
            index_saving: AbstractContextManager[None] = nullcontext()
            if index is not None and large:
                index_saving = in_background(cache.save_search_stores)
            elif index is not None:
                helping.give("save search")  # the helper is waited for at the end of the build
            with index_saving:
                if update.changes:
                    write_site(update.write, config.output, keep=update.keep, lock=False, staged=staging)
    counts = (len(result.articles), len(result.meetings), len(pages))
    cache.save_record(update, counts, warnings)
    leave += [project, result, pages, keys, rendered, records, files, update]
    return BuildReport(
        *counts,
        files=len(update.record),
        seconds=time.perf_counter() - started,
        output=str(config.output),
        warnings=warnings,
        written=tuple(sorted(update.write)),
        removed=update.removed,
    )


def search_index(
    cache: BuildCache,
    paths: Sequence[str],
    shas: Sequence[str],
    rendered: Mapping[str, bytes | Staged],
    made: Mapping[str, SearchDoc | None] | None = None,
    staging: Staging | None = None,
) -> dict[str, bytes]:
    """The search index of the pages at `paths` (whose bytes have the SHA-256 `shas`), as its files' bytes.

    Each page's record is kept from the last build while its bytes are unchanged; else it is taken from `made`
    (records made along with the pages), else made from the page's bytes: those `rendered` (or staged in
    `staging`, see ``render.render_pages``), or as the last build wrote them.
    """
    from .search import search_files

    def page_bytes(path: str) -> bytes:
        data = rendered.get(path)
        if data is None:  # not rendered again: as the last build wrote it (see BuildCache.stale)
            return (cache.config.output / path).read_bytes()
        if isinstance(data, Staged):
            assert staging is not None
            return staging.read(path)
        return data

    docs = cache.search_docs.records(paths, shas, page_bytes, made)
    # A page's record is made from its bytes alone: blocks of postings are known by their pages' hashes.
    return search_files(docs, cache.config.site.language, cache.search_postings, list(shas), cache.search_chunks)
