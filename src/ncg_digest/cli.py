"""The command line: ``ncg-digest build`` and ``ncg-digest ingest``.

Each command loads the configuration and calls one function. Problems are
printed as ``path:line: error: message`` and end with exit status 1; a
Python traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence, TextIO

from typing import TYPE_CHECKING

from . import __version__
from .errors import NcgError
from .progress import Progress
from .read import load_config

if TYPE_CHECKING:
    from .extract import Extraction
    from .ingest import Ingested

# Each command imports the stages it needs when it runs: a rebuild with nothing
# to do should not pay for loading the templating and Markdown libraries.


def display(path: Path | str) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    path = Path(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="the project folder holding content/, seeds/ and templates/ (default: the current folder)")
    common.add_argument("--debug", action="store_true", help="show the Python traceback of an unexpected error")

    top = argparse.ArgumentParser(
        prog="ncg-digest",
        description="Build a static timeline website of the U.S.-ROK Nuclear Consultative Group from news articles.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        parents=[common],
        help="build the site into _site/",
        description="Read content/ and templates/ and write the static site. The previous site is replaced only when the build succeeds.",
    )
    build.add_argument("--out", type=Path, default=None, help="the output folder (default: _site in the project folder)")
    build.add_argument("--clean", action="store_true", help="ignore the cache in .cache/ and build everything anew (the result is the same)")

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="build the site and preview it on 127.0.0.1",
        description=(
            "Build the site and serve it on 127.0.0.1 until interrupted. Changes to content/, seeds/ and templates/ "
            "rebuild it (new seeds are ingested first) and reload open pages; a failed build is shown in the terminal "
            "and on the page, and the last good site stays online. Unknown paths get the site's 404 page."
        ),
    )
    serve.add_argument("--out", type=Path, default=None, help="the output folder (default: _site in the project folder)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--prefix", default="/", help="serve the site under this sub-path, as a project page would be (e.g. /ncg-digest/)")

    add = commands.add_parser(
        "add",
        parents=[common],
        help="add articles (text files, saved web pages, or '-' for pasted text), ingest them and rebuild",
        description=(
            "Store each article's raw text in seeds/ (never replacing a different file of the same name), "
            "ingest it into content/articles/, rebuild the site, and print what was found and which pages changed."
        ),
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="a .txt file, a saved .html page, or - to read pasted text from standard input")
    add.add_argument("--out", type=Path, default=None, help="the output folder (default: _site in the project folder)")

    commands.add_parser(
        "ingest",
        parents=[common],
        help="turn new raw articles in seeds/ into content/articles/*.md",
        description=(
            "Read each seed not yet ingested and write a frontmatter-tagged article to content/articles/, "
            "printing the fields found and the text each came from. Existing content files are never changed."
        ),
    )
    return top


def print_ingested(result: "Ingested", out: TextIO) -> None:
    e: "Extraction" = result.extraction
    print(f"{display(result.seed)} -> {display(result.written)}", file=out)
    for ev in e.evidence:
        snippet = ev.snippet if len(ev.snippet) <= 100 else ev.snippet[:99] + "…"
        print(f"  {ev.field}: {ev.value}    [{snippet}]", file=out)
    for name in e.missing:
        print(f"{display(result.written)}: warning: could not determine {name!r} from the text; left blank", file=out)


def run_ingest(args: argparse.Namespace, out: TextIO) -> int:
    from .ingest import IngestIncomplete, ingest, seed_paths

    config = load_config(args.root)
    try:
        with Progress(sys.stderr).step("ingesting seeds", len(seed_paths(config))) as tick:
            results = ingest(config, progress=tick)
    except IngestIncomplete as error:
        for result in error.done:
            print_ingested(result, out)
        raise
    for result in results:
        print_ingested(result, out)
    print(f"Ingested {len(results)} new article{'s' if len(results) != 1 else ''} into {display(config.articles)}", file=out)
    return 0


def run_add(args: argparse.Namespace, out: TextIO) -> int:
    from .add import add
    from .build import build_site
    from .ingest import IngestIncomplete

    config = load_config(args.root, args.out)
    if "-" in args.paths and sys.stdin.isatty():
        print("Paste the article, then press Ctrl-D on a line of its own.", file=sys.stderr, flush=True)
    try:
        added = add(config, args.paths, sys.stdin.buffer)
    except IngestIncomplete as error:
        for result in error.done:
            print_ingested(result, out)
        raise
    ingested = {i.seed for i in added.ingested}
    for stored in added.stored:
        if stored.seed not in ingested:
            where = "already in" if not stored.new else "stored in"
            print(f"{stored.given.label}: {where} {display(stored.seed)}, already ingested; nothing new", file=out)
    for result in added.ingested:
        print_ingested(result, out)
    report = build_site(config, progress=Progress(sys.stderr))
    print(report.summary().replace(report.output, display(report.output)), file=out)
    print_changes(report.written, report.removed, out)
    return 0


def print_changes(written: Sequence[str], removed: Sequence[str], out: TextIO, limit: int = 40) -> None:
    """The pages a build changed, a few dozen at most."""
    lines = [f"  changed: {p}" for p in written] + [f"  removed: {p}" for p in removed]
    for line in lines[:limit]:
        print(line, file=out)
    if len(lines) > limit:
        print(f"  … and {len(lines) - limit} more", file=out)


def run_build(args: argparse.Namespace, out: TextIO) -> int:
    from .build import build_site

    config = load_config(args.root, args.out)
    report = build_site(config, clean=args.clean, progress=Progress(sys.stderr))
    summary = report.summary().replace(report.output, display(report.output))
    print(summary, file=out)
    print(f"Open {display(Path(report.output) / 'index.html')} in a browser.", file=out)
    return 0


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    import threading

    from .build import build_site
    from .config import OUTPUT_DIR
    from .ingest import ingest
    from .serve import Preview, make_server, url_of

    root = args.root.resolve()

    def rebuild(seeds_changed: bool) -> list[str]:
        config = load_config(root, args.out)  # read again: site.yml may have changed
        lines = []
        if seeds_changed:
            lines += [f"ingested {display(r.seed)} -> {display(r.written)}" for r in ingest(config)]
        report = build_site(config)
        return lines + [report.summary().replace(report.output, display(report.output))]

    preview = Preview(root, rebuild, out, sys.stderr)
    preview.run_build()
    output = (args.out or root / OUTPUT_DIR).resolve()
    try:
        server = make_server(output, args.prefix, port=args.port, live=preview.live)
    except OSError as error:
        raise NcgError(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}") from None
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    print(f"Serving {display(output)} at {url_of(server, args.prefix)} (Ctrl-C to stop)", file=out, flush=True)
    print("Watching content/, seeds/ and templates/: pages reload after each rebuild.", file=out, flush=True)
    try:
        preview.watch()
    finally:
        server.shutdown()
        server.server_close()
    return 0


COMMANDS = {"add": run_add, "build": run_build, "ingest": run_ingest, "serve": run_serve}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, sys.stdout)
    except NcgError as error:
        if args.debug:
            raise
        for problem in error.problems:
            print(str(problem), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: say so plainly, with the traceback only on request
        if args.debug or os.environ.get("NCG_DIGEST_DEBUG"):
            raise
        print(f"internal error: {type(error).__name__}: {error} (run again with --debug for details)", file=sys.stderr)
        return 2
