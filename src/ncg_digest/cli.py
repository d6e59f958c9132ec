"""The command line: ``ncg-digest add``, ``build``, ``ingest``, ``serve`` and ``evaluate``.

Each command loads the configuration and calls one function. Problems are
printed as ``path:line: error: message`` and end with exit status 1; a
Python traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Sequence, TextIO

from . import __version__
from .errors import NcgError
from .progress import Progress
from .read import load_config

if TYPE_CHECKING:
    from .build import BuildReport
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
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--out", type=Path, default=None, help="the output folder (default: _site in the project folder)")
    strict = argparse.ArgumentParser(add_help=False)
    strict.add_argument("--strict", action="store_true", help="treat warnings (fields the text does not settle) as errors: exit status 1")

    top = argparse.ArgumentParser(
        prog="ncg-digest",
        description="Build a static timeline website of the U.S.-ROK Nuclear Consultative Group from news articles.",
    )
    top.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build",
        parents=[common, output, strict],
        help="build the site into _site/",
        description="Read content/ and templates/ and write the static site. The previous site is replaced only when the build succeeds.",
    )
    build.add_argument("--clean", action="store_true", help="ignore the cache in .cache/ and build everything anew (the result is the same)")

    serve = commands.add_parser(
        "serve",
        parents=[common, output],
        help="build the site and preview it on 127.0.0.1",
        description=(
            "Build the site and serve it on 127.0.0.1 until interrupted. Changes to content/, seeds/ and templates/ "
            "rebuild it (new seeds are ingested first) and reload open pages; a failed build is shown in the terminal "
            "and on the page, and the last good site stays online. Unknown paths get the site's 404 page."
        ),
    )
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--prefix", default="/", help="serve the site under this sub-path, as a project page would be (e.g. /ncg-digest/)")

    add = commands.add_parser(
        "add",
        parents=[common, output],
        help="add articles (text files, saved web pages, or '-' for pasted text), ingest them and rebuild",
        description=(
            "Store each article in seeds/ as given (never replacing a different file of the same name), "
            "ingest it into content/articles/, rebuild the site, and print what was found and which pages changed."
        ),
    )
    add.add_argument("paths", nargs="+", metavar="PATH", help="a .txt file, a saved .html page, or - to read pasted text from standard input")

    commands.add_parser(
        "ingest",
        parents=[common, strict],
        help="turn new raw articles in seeds/ into content/articles/*.md",
        description=(
            "Read each seed not yet ingested and write a frontmatter-tagged article to content/articles/, "
            "printing the fields found and the text each came from. Existing content files are never changed."
        ),
    )
    evaluate = commands.add_parser(
        "evaluate",
        parents=[common],
        help="measure the loader on a folder of articles with expected values",
        description=(
            "Read each article in FOLDER (.txt, .md, .html) as ingest would, compare its fields with "
            "NAME.expected.yml beside it, and print the accuracy per field."
        ),
    )
    evaluate.add_argument("folder", type=Path, metavar="FOLDER", help="the folder of articles and their .expected.yml files")
    evaluate.add_argument("--show-misses", action="store_true", help="also list every field that differs from its expected value")
    evaluate.add_argument(
        "--fail-under",
        type=float,
        default=None,
        metavar="PERCENT",
        help="exit with status 1 when overall accuracy is below PERCENT or any meeting number is wrong",
    )
    return top


def print_ingested(result: "Ingested", out: TextIO) -> None:
    reading = result.reading
    print(f"{display(result.seed)} -> {display(result.written)}", file=out)
    for ev in reading.evidence:
        snippet = ev.snippet if len(ev.snippet) <= 100 else ev.snippet[:99] + "…"
        print(f"  {ev.field}: {ev.value}    [{snippet}]" + (f" ({ev.note})" if ev.note else ""), file=out)
    for note in reading.extraction.notes:
        print(f"{display(result.written)}: warning: {note}", file=out)
    for name in reading.missing:
        print(f"{display(result.written)}: warning: could not determine {name!r} from the text; left blank", file=out)


def run_ingest(args: argparse.Namespace, out: TextIO) -> int:
    from .ingest import IngestIncomplete, ingest, seed_paths

    config = load_config(args.root)
    try:
        with Progress(sys.stderr).step("ingesting seeds", len(seed_paths(config))) as tick:
            results = ingest(config, progress=tick, strict=args.strict)
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
    report = build_site(config, progress=Progress(sys.stderr), leave=_left_for_exit)
    print_warnings(report)
    print(report.summary().replace(report.output, display(report.output)), file=out)
    print_changes(report.written, report.removed, out)
    return 0


def print_warnings(report: "BuildReport") -> None:
    for warning in report.warnings:
        print(str(warning), file=sys.stderr)


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
    report = build_site(config, clean=args.clean, strict=args.strict, progress=Progress(sys.stderr), leave=_left_for_exit)
    print_warnings(report)
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


def run_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    from .evaluate import evaluate_folder, format_misses, format_table
    from .read import load_records, load_vocabulary

    config = load_config(args.root)
    vocabulary = load_vocabulary(config)
    evaluation = evaluate_folder(args.folder, vocabulary, load_records(config, vocabulary).meetings)
    print(format_table(evaluation), file=out)
    if args.show_misses and evaluation.misses:
        print("\n" + format_misses(evaluation), file=out)
    if args.fail_under is not None and (100 * evaluation.accuracy() < args.fail_under or evaluation.wrong_meetings):
        return 1
    return 0


COMMANDS = {"add": run_add, "build": run_build, "evaluate": run_evaluate, "ingest": run_ingest, "serve": run_serve}


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
    except BrokenPipeError:
        # Whoever read the output stopped reading (`ncg-digest build | head -1`): nothing is wrong with the
        # work. Python would report the pipe again while flushing at exit, so standard output goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # what the shell reports for a command stopped by a closed pipe
    except Exception as error:  # a bug: say so plainly, with the traceback only on request
        if args.debug or os.environ.get("NCG_DIGEST_DEBUG"):
            raise
        print(f"internal error: {type(error).__name__}: {error} (run again with --debug for details)", file=sys.stderr)
        return 2


# What a command's build held, when the process ends with the command (see `run` and build.build_site).
_left_for_exit: list[object] | None = None


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The program as a command: :func:`main`, then the process ends at once.

    A build holds millions of small objects until it ends. Python, shutting
    down, would walk and free every one of them: for ten thousand articles,
    nearly half a second after the work is done, and a sixth of an add-one
    rebuild. Everything the program writes is closed by then; standard output
    and standard error are flushed here. What a build held is not even freed
    when the build returns: it is left for the process's end.
    """
    global _left_for_exit
    _left_for_exit = []
    code = main(argv)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # as in `main`: the reader stopped reading
        code = 141
    os._exit(code)
