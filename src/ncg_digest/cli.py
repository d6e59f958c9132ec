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

from . import __version__
from .build import build_site
from .errors import NcgError
from .ingest import Ingested, IngestIncomplete, ingest
from .evaluate import evaluate_folder, format_misses, format_table
from .read import load_config, load_records, load_vocabulary
from .serve import make_server, url_of


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
        parents=[common, strict],
        help="build the site into _site/",
        description="Read content/ and templates/ and write the static site. The previous site is replaced only when the build succeeds.",
    )
    build.add_argument("--out", type=Path, default=None, help="the output folder (default: _site in the project folder)")

    serve = commands.add_parser(
        "serve",
        parents=[common],
        help="build the site and preview it on 127.0.0.1",
        description="Build the site, then serve it on 127.0.0.1 until interrupted. Unknown paths get the site's 404 page.",
    )
    serve.add_argument("--out", type=Path, default=None, help="the output folder (default: _site in the project folder)")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--prefix", default="/", help="serve the site under this sub-path, as a project page would be (e.g. /ncg-digest/)")

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


def print_ingested(result: Ingested, out: TextIO) -> None:
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
    config = load_config(args.root)
    try:
        results = ingest(config, strict=args.strict)
    except IngestIncomplete as error:
        for result in error.done:
            print_ingested(result, out)
        raise
    for result in results:
        print_ingested(result, out)
    print(f"Ingested {len(results)} new article{'s' if len(results) != 1 else ''} into {display(config.articles)}", file=out)
    return 0


def run_build(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config(args.root, args.out)
    report = build_site(config, strict=args.strict)
    for warning in report.warnings:
        print(str(warning), file=sys.stderr)
    summary = report.summary().replace(report.output, display(report.output))
    print(summary, file=out)
    print(f"Open {display(Path(report.output) / 'index.html')} in a browser.", file=out)
    return 0


def run_serve(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config(args.root, args.out)
    print(build_site(config).summary().replace(str(config.output), display(config.output)), file=out)
    try:
        server = make_server(config.output, args.prefix, port=args.port)
    except OSError as error:
        raise NcgError(f"cannot listen on 127.0.0.1:{args.port}: {error.strerror or error}") from None
    print(f"Serving {display(config.output)} at {url_of(server, args.prefix)} (Ctrl-C to stop)", file=out, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def run_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config(args.root)
    vocabulary = load_vocabulary(config)
    evaluation = evaluate_folder(args.folder, vocabulary, load_records(config, vocabulary).meetings)
    print(format_table(evaluation), file=out)
    if args.show_misses and evaluation.misses:
        print("\n" + format_misses(evaluation), file=out)
    if args.fail_under is not None and (100 * evaluation.accuracy() < args.fail_under or evaluation.wrong_meetings):
        return 1
    return 0


COMMANDS = {"build": run_build, "evaluate": run_evaluate, "ingest": run_ingest, "serve": run_serve}


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
