"""The build: read → digest → render → write, and a one-line summary.

The cache (``cache.py``) lets each stage skip what did not change: unchanged
article files are not parsed again, pages whose inputs are unchanged are not
rendered again, and files whose bytes are unchanged are not written again.
The result is the same, byte for byte, as a build from nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from typing import TYPE_CHECKING

from .cache import BuildCache
from .config import Config
from .progress import QUIET, Progress

if TYPE_CHECKING:
    from .digest import Digest


@dataclass(frozen=True)
class BuildReport:
    items: int
    meetings: int
    pages: int
    files: int
    seconds: float
    output: str
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


def build_site(config: Config, *, clean: bool = False, progress: Progress = QUIET) -> BuildReport:
    """Gather everything in memory first; only then write what changed, all at once.

    With `clean`, the cache is ignored (and rebuilt).
    """
    started = time.perf_counter()
    cache = BuildCache(config, clean=clean)
    if cache.site_is_current():
        items, meetings, pages = cache.record.counts
        return BuildReport(items, meetings, pages, len(cache.record.files), time.perf_counter() - started, str(config.output))

    # Imported here, not above: a rebuild with nothing to do never loads Jinja2 or Markdown.
    from .digest import digest
    from .read import load_project
    from .render import pages_of, render_pages, static_files
    from .write import write_site

    article_count = len(cache.inputs.under(config.articles))
    with progress.step("reading articles", article_count) as tick:
        project = load_project(config, cache.articles, tick)
    result = digest(project.records, project.items)
    pages = pages_of(result)
    keys = cache.page_keys(pages, result)
    stale = cache.stale(pages, keys)
    with progress.step("rendering pages", len(stale)) as tick:
        rendered = render_pages(stale, config, cache.bodies, tick)
    update = cache.update(keys, rendered, static_files(config))
    if update.changes:
        write_site(update.write, config.output, keep=update.keep)
    counts = (len(result.articles), len(result.meetings), len(pages))
    cache.save(update, project.items, counts)
    return BuildReport(
        *counts,
        files=len(update.record),
        seconds=time.perf_counter() - started,
        output=str(config.output),
        written=tuple(sorted(update.write)),
        removed=update.removed,
    )
