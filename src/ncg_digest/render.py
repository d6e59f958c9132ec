"""From the digest to page bytes, through the Jinja2 templates.

Rendering writes nothing: it returns every output file as ``{path: bytes}``
for the writer. Templates see plain data and two helpers, ``url()`` for a
relative link from the current page and the ``date`` filter.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import gc
import posixpath
from dataclasses import dataclass
from pathlib import Path
from types import FunctionType
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, MutableMapping, Sequence

import jinja2
import nh3

from . import parallel, svg_timeline, urls
from .cache import body_key, sha256
from .config import Config
from .digest import Digest, MeetingRef, record_source
from .errors import NcgError, Problem, RenderError
from .exports import export_files
from .feeds import atom_feed
from .hosting import hosting_files
from .metadata import head_meta
from .model import ordinal_word
from .search import SearchDoc, page_record, search_files
from .write import Staged, Staging, stage_files

if TYPE_CHECKING:
    import markdown

MONTH_NAMES = "January February March April May June July August September October November December".split()

# What survives in a republished article body: basic formatting and links.
ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark", "q", "cite",
    "abbr", "code", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h2", "h3", "h4", "h5",
    "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: dict[str, Any]


def human_date(value: dt.date | None) -> str:
    """"11 December 2025", or "12 December 2025, 09:16" for a moment."""
    if value is None:
        return ""
    text = f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        text += f", {value.hour:02d}:{value.minute:02d}"
    return text


def machine_date(value: dt.date | None) -> str:
    """The value for ``<time datetime>``."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="minutes")
    return value.isoformat() if value else ""


@functools.lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    import markdown  # loaded with the first body: most rebuilds render none

    return markdown.Markdown(output_format="html")


def body_html(text: str) -> str:
    """A Markdown body as HTML, with anything beyond basic formatting removed.

    One converter serves every body (made once per process, reset after each);
    building one is a fifth of the cost of converting a short article. A
    conversion that fails may leave it half-way through a document, so it is
    then thrown away.
    """
    converter = _markdown()
    try:
        html = converter.convert(text)
    except BaseException:
        _markdown.cache_clear()
        raise
    converter.reset()
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


class CachedBodies:
    """``body_html`` remembered by ``body_key``, in a mapping the build cache keeps."""

    def __init__(self, store: MutableMapping[str, str]):
        self.store = store
        self.added: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        key = body_key(text)
        html = self.store.get(key)
        if html is None:
            html = self.store[key] = self.added[key] = body_html(text)
        return html


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in a mapping the build cache saves, so a rebuild need not compile them again.

    Jinja2 keys each by the template's name and checks it against a checksum of
    the template's source, so an edited template is compiled afresh.
    """

    def __init__(self, store: MutableMapping[str, bytes]):
        self.store = store

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class _Context(jinja2.runtime.Context):
    """Jinja2's template context, with a shorter way for the calls templates make most.

    Jinja2 sends every call in a template (``url(...)``, a macro) through
    ``Context.call``, which asks each callable whether it wants the context
    passed in: a few microseconds, dozens of times a page, a tenth of the
    time it takes to render a site. A macro, or a plain function that was not
    marked to receive the context, is called directly here, with the same
    result; anything else goes the usual way.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja2's own signature
        kind = type(__obj)
        if kind is not jinja2.runtime.Macro and (kind is not FunctionType or hasattr(__obj, "jinja_pass_arg")):
            return super().call(__obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja2 does: a template cannot catch it
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


def environment(
    templates: Path, bodies: Callable[[str], str] = body_html, compiled: MutableMapping[str, bytes] | None = None
) -> jinja2.Environment:
    env = jinja2.Environment(
        bytecode_cache=CompiledTemplates(compiled) if compiled is not None else None,
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no need to check each file per page
    )
    env.context_class = _Context
    env.filters["date"] = human_date
    env.filters["isodate"] = machine_date
    env.filters["ordinal"] = ordinal_word
    env.filters["body_html"] = bodies
    env.globals["urls"] = urls
    env.globals["url"] = page_url
    return env


# The `url()` of the page being rendered (see `link_maker`), for the templates' macros. A macro file imported
# `with context` is run again, with a copy of the page's context, for every page that imports it (a fifth of the
# time an article page takes); imported without, it is run once per build and sees only the globals. So `url`
# is a global too, one that links from whichever page is being rendered.
_PAGE_URL: contextvars.ContextVar[Callable[[str], str]] = contextvars.ContextVar("page_url")


def page_url(target: str) -> str:
    """``url()`` as a global: a link to `target` from the page being rendered."""
    try:
        make = _PAGE_URL.get()
    except LookupError:
        raise RenderError(Problem("url() was called while no page was being rendered")) from None
    return make(target)


def link_maker(page_path: str, base_url: str | None = None) -> Callable[[str], str]:
    """``url()`` for the templates: relative links, or absolute ones under `base_url` when given."""

    folder = posixpath.dirname(page_path) or "."

    def url(target: str) -> str:
        if base_url:
            path, hash_mark, fragment = target.partition("#")
            return urls.absolute(base_url, path) + hash_mark + fragment
        if "#" in target:
            return urls.relative(page_path, target)
        return urls.relative_from_folder(folder, target)  # `urls.relative`, with the page's folder worked out once

    return url


def links_base(page_path: str, site: Any) -> str | None:
    """The 404 page is served at whatever address was asked for, so relative links would break on a host:
    with a known base URL its links are absolute."""
    return site.base_url if page_path == urls.NOT_FOUND else None


def pages_of(digest: Digest) -> list[Page]:
    pages = [Page(urls.INDEX, "timeline.html", {"digest": digest, "figure": svg_timeline.figure(digest)})]
    meetings = digest.meetings
    # Neighbours are only linked to: their reports are not part of this page.
    links = [MeetingRef(m.meeting, m.path) for m in meetings]
    for i, m in enumerate(meetings):
        context = {
            "m": m,
            "record": record_source(m.meeting),
            "previous": links[i - 1] if i > 0 else None,
            "next": links[i + 1] if i + 1 < len(meetings) else None,
        }
        pages.append(Page(m.path, "meeting.html", context))
    # An article page sees only its own data (and its people's pages), so editing one article re-renders few pages.
    # Articles naming the same people share one mapping, so the build cache fingerprints it once.
    person_pages: dict[tuple[str, ...], dict[str, str | None]] = {}
    for a in digest.articles:
        names = tuple(p.name for p in a.item.people)
        if names not in person_pages:
            person_pages[names] = {name: digest.person_path(name) for name in names}
        pages.append(Page(a.path, "article.html", {"a": a, "person_pages": person_pages[names]}))
    for t in digest.topics:
        pages.append(Page(t.path, "topic.html", {"t": t}))
        # A group's page sees its own articles only: a new report re-renders the page of its meeting alone.
        pages += [Page(g.path, "topic_group.html", {"topic": t.topic, "topic_path": t.path, "g": g}) for g in t.groups if g.path]
    pages.append(Page(urls.TOPICS_INDEX, "topics.html", {"digest": digest}))
    pages += [Page(p.path, "person.html", {"p": p}) for p in digest.people]
    pages.append(Page(urls.PEOPLE_INDEX, "people.html", {"digest": digest}))
    pages.append(Page(urls.SEARCH, "search.html", {}))
    pages.append(Page(urls.NOT_FOUND, "404.html", {}))
    return pages


def render_page(env: jinja2.Environment, page: Page, config: Config) -> bytes:
    try:
        template = env.get_template(page.template)
        head = head_meta(page.path, page.context, config.site)
        url = link_maker(page.path, links_base(page.path, config.site))
        current = _PAGE_URL.set(url)
        try:
            html = template.render(page=page.path, url=url, site=config.site, head=head, **page.context)
        finally:
            _PAGE_URL.reset(current)
    except jinja2.TemplateSyntaxError as error:
        raise RenderError(Problem(f"template error: {error.message}", Path(error.filename or page.template), error.lineno)) from None
    except jinja2.TemplateNotFound as error:
        raise RenderError(Problem(f"template {error.name!r} not found", config.templates)) from None
    except jinja2.UndefinedError as error:
        raise RenderError(Problem(f"template error while rendering {page.path}: {error.message}", config.templates / page.template)) from None
    except RecursionError:  # e.g. Markdown lists nested hundreds deep in an article body
        article = page.context.get("a")
        source = Path(article.item.source) if article is not None and article.item.source else config.templates / page.template
        raise RenderError(Problem("the text is nested too deeply to render (lists or quotes inside each other, hundreds deep)", source)) from None
    return html.encode("utf-8")


def static_files(config: Config) -> dict[str, bytes]:
    """Files copied as they are: the stylesheet and anything under templates/static/."""
    files: dict[str, bytes] = {}
    stylesheet = config.templates / urls.STYLESHEET
    if not stylesheet.is_file():
        raise RenderError(Problem("the stylesheet is missing", stylesheet))
    files[urls.STYLESHEET] = stylesheet.read_bytes()
    static = config.templates / "static"
    if static.is_dir():
        for path in sorted(static.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(static).as_posix()] = path.read_bytes()
    return files


def render_site(digest: Digest, config: Config) -> dict[str, bytes]:
    """Every file of the site, keyed by its path inside the output folder (no cache: see build.py)."""
    pages = render_pages(pages_of(digest), config)
    return {**static_files(config), **pages, **reader_files(digest, config, list(pages), pages)}


# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_FROM = 300
CHUNKS_PER_WORKER = 8


def in_parallel(count: int) -> bool:
    """Whether `count` pages are rendered in worker processes."""
    return count >= PARALLEL_FROM and parallel.workers() >= 2


# Fewer pages than that, but large ones (this many bytes in all as last written, some 40 ms of rendering),
# are shared with one forked process, on the core that is otherwise idle then. After a new article among ten
# thousand, its topics' and its meeting's pages (some 200 KB each) took 0.20 s rather than 0.26 s (median of
# 10 rebuilds each): less than half, as each process copies the memory pages it writes to after the fork.
SHARE_FROM_BYTES = 400_000


def two_shares(costs: Sequence[int]) -> tuple[list[int], list[int]]:
    """The indexes of `costs` in two shares of about equal total, each in order: the costliest first,
    each to the share with the smaller total so far (the first, on a tie)."""
    shares: tuple[list[int], list[int]] = ([], [])
    totals = [0, 0]
    for index in sorted(range(len(costs)), key=lambda n: (-costs[n], n)):
        lighter = 0 if totals[0] <= totals[1] else 1
        shares[lighter].append(index)
        totals[lighter] += costs[index]
    return sorted(shares[0]), sorted(shares[1])


def render_pages(
    pages: Sequence[Page],
    config: Config,
    bodies: MutableMapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    compiled: MutableMapping[str, bytes] | None = None,
    records: dict[str, SearchDoc | None] | None = None,
    staging: Staging | None = None,
    costs: Sequence[int] | None = None,
) -> dict[str, bytes | Staged]:
    """The given pages as bytes, on every core when there are many (or large); all template problems raised together.

    `bodies` remembers rendered Markdown bodies between builds (new ones are added to it), and `compiled`
    the compiled templates. When the pages are rendered on every core, each page's search record
    (``search.page_record``) is made there too, from the bytes at hand, and put in `records`; and given a
    `staging` folder, the workers write each page into it and send back only its hash (`Staged`), so a large
    site's pages never pass through the main process. `costs`, the size of each page as last written (0 for
    a new page), tells whether a few pages are worth sharing with a second process, and how to share them.
    """
    store = {} if bodies is None else bodies
    count = parallel.workers()
    cached = CachedBodies(store)
    env = environment(config.templates, cached, compiled)
    files: Mapping[str, bytes | Staged]
    if in_parallel(len(pages)):
        files, problems = render_in_parallel(pages, config, env, cached, count, progress, records, staging)
    elif costs is not None and len(pages) >= 2 and sum(costs) >= SHARE_FROM_BYTES and count >= 2:
        files, problems = render_shared(pages, config, env, cached, costs, progress)
    else:
        files, problems = render_chunk(env, pages, range(len(pages)), config, progress)
    if problems:
        raise RenderError(problems)
    return dict(files)


def compile_all(env: jinja2.Environment) -> None:
    """Load every template now (a template with an error is left for the page that uses it to report)."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


def compiled_templates(templates: Path, known: Mapping[str, bytes]) -> dict[str, bytes]:
    """Every template compiled, as the entries (Jinja2's bytecode by its key) to add to the store `known`.

    For a process that makes a start on the render's work: the render then loads the templates from
    the store instead of compiling them (a fifth of a second for a first build).
    """
    store = dict(known)
    compile_all(environment(templates, compiled=store))
    return {key: data for key, data in store.items() if known.get(key) != data}


def render_chunk(
    env: jinja2.Environment, pages: Sequence[Page], which: Iterable[int], config: Config, progress: Callable[[int], None] | None = None
) -> tuple[dict[str, bytes], list[Problem]]:
    files, found = render_each(env, pages, which, config, progress)
    return files, unique_problems(found)


def render_each(
    env: jinja2.Environment, pages: Sequence[Page], which: Iterable[int], config: Config, progress: Callable[[int], None] | None = None
) -> tuple[dict[str, bytes], list[tuple[int, Problem]]]:
    """The pages at the indexes `which`, and each problem met with the index of the page that met it."""
    files: dict[str, bytes] = {}
    problems: list[tuple[int, Problem]] = []
    for done, index in enumerate(which, 1):
        page = pages[index]
        try:
            files[page.path] = render_page(env, page, config)
        except NcgError as error:
            problems += [(index, p) for p in error.problems]
        if progress is not None:
            progress(done)
    return files, problems


def unique_problems(found: Iterable[tuple[int, Problem]]) -> list[Problem]:
    """The problems found, each once (many pages meet the same broken template), in the order first met."""
    problems: list[Problem] = []
    for _, problem in found:
        if problem not in problems:
            problems.append(problem)
    return problems


def render_shared(
    pages: Sequence[Page],
    config: Config,
    env: jinja2.Environment,
    bodies: CachedBodies,
    costs: Sequence[int],
    progress: Callable[[int], None] | None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """Render on two cores: a forked process renders one share of the pages (`two_shares` of their `costs`),
    this one the other. The pages and problems come back in page order, as from `render_chunk`."""
    theirs, ours = two_shares(costs)

    def their_share() -> tuple[dict[str, bytes], list[tuple[int, Problem]], dict[str, str]]:
        bodies.added = {}
        return (*render_each(env, pages, theirs, config), bodies.added)

    with parallel.alongside(their_share) as result:
        files, problems = render_each(env, pages, ours, config, progress)
        their_files, their_problems, added = result()
    bodies.store.update(added)
    if progress is not None:
        progress(len(pages))
    files.update(their_files)
    in_order = {page.path: files[page.path] for page in pages if page.path in files}
    return in_order, unique_problems(sorted(problems + their_problems, key=lambda found: found[0]))


def render_in_parallel(
    pages: Sequence[Page],
    config: Config,
    env: jinja2.Environment,
    bodies: CachedBodies,
    workers: int,
    progress: Callable[[int], None] | None,
    records: dict[str, SearchDoc | None] | None = None,
    staging: Staging | None = None,
) -> tuple[dict[str, bytes | Staged], list[Problem]]:
    """Render in forked worker processes, which inherit the pages instead of receiving them pickled.

    Templates are compiled here first, once, rather than in each worker. With a `staging` folder the
    workers write the pages into it (see ``render_pages``).
    """
    compile_all(env)
    count = workers * CHUNKS_PER_WORKER
    chunks = [range(start, len(pages), count) for start in range(count)]
    files: dict[str, bytes | Staged] = {}
    problems: list[Problem] = []
    done = 0
    folder = str(staging.folder) if staging is not None else None
    import multiprocessing  # loaded only when there are workers to start
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    # Frozen objects are skipped by the cycle collector, which would otherwise walk the
    # whole inherited digest in each worker and copy every memory page it touches.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(pages, config, bodies, env, records is not None, folder)) as pool:
            futures = {pool.submit(_render_in_worker, chunk): len(chunk) for chunk in chunks if len(chunk)}
            for future in futures:  # in order, so problems are reported in the same order every time
                chunk_files, chunk_problems, added, chunk_records = future.result()
                files.update(chunk_files)
                if staging is not None:
                    staging.paths.update(chunk_files)
                if records is not None:
                    records.update(chunk_records)
                problems += [p for p in chunk_problems if p not in problems]
                bodies.store.update(added)
                done += futures[future]
                if progress is not None:
                    progress(min(done, len(pages)))
    finally:
        gc.unfreeze()
    return files, problems


# What a worker process renders from, whether it makes search records, and the staging folder it writes the
# pages into (if any): set once in each worker, never in the main process.
_worker_job: tuple[Sequence[Page], Config, CachedBodies, jinja2.Environment, bool, str | None] | None = None


def _start_worker(pages: Sequence[Page], config: Config, bodies: CachedBodies, env: jinja2.Environment, records: bool, staging: str | None) -> None:
    global _worker_job
    _worker_job = (pages, config, bodies, env, records, staging)


def _render_in_worker(which: range) -> tuple[dict[str, bytes | Staged], list[Problem], dict[str, str], dict[str, SearchDoc | None]]:
    assert _worker_job is not None
    pages, config, bodies, env, records, staging = _worker_job
    bodies.added = {}
    files, problems = render_chunk(env, pages, which, config)
    made = {path: page_record(path, data) for path, data in files.items()} if records else {}
    if staging is None:
        return dict(files), problems, bodies.added, made
    written = stage_files(staging, files)
    return {path: Staged(sha256(data), written[path].st_size, written[path].st_mtime_ns) for path, data in files.items()}, problems, bodies.added, made


def reader_files(
    digest: Digest, config: Config, page_paths: Iterable[str], html_pages: Mapping[str, bytes] | None
) -> dict[str, bytes]:
    """Files beside the pages: the feed, the exports, files for hosts, and (given every page's bytes) the search index."""
    files = {urls.FEED: atom_feed(digest, config.site)}
    files.update(export_files(digest, config.site))
    files.update(hosting_files(page_paths, config.site))
    if html_pages is not None:
        files.update(search_files((page_record(p, data) for p, data in html_pages.items()), config.site.language))
    return files
