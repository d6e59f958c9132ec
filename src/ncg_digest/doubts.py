"""What the content leaves uncertain: warnings, which fail a run only with ``--strict``.

Ingest leaves a field blank when the article's text does not settle it, and
says so. The build repeats that warning for as long as the field stays
blank, so a missing date or outlet is not forgotten once ingest's output
has scrolled away; ``--strict`` turns these warnings into a failure (for CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .errors import NcgError, Problem
from .model import Item

# The fields ingest fills from the text and warns about when it cannot.
EXTRACTED_FIELDS = ("outlet", "published", "meeting", "place")


def blank_fields(item: Item) -> list[str]:
    return [name for name in EXTRACTED_FIELDS if getattr(item, name) is None]


def item_doubts(item: Item) -> list[Problem]:
    """A warning for an ingested item whose text-derived fields are still blank."""
    if item.seed is None:
        return []  # written by hand: a blank field is the author's choice
    blank = blank_fields(item)
    if not blank:
        return []
    # The first blank field's line; where none is written at all, the frontmatter's start.
    line = min((item.lines[name] for name in blank if name in item.lines), default=1)
    return [
        Problem(
            f"left blank because the article's text did not say: {', '.join(blank)}",
            Path(item.source) if item.source else None,
            line,
            hint="fill in what you can confirm from the original",
            severity="warning",
        )
    ]


def doubts(items: Iterable[Item]) -> list[Problem]:
    return [problem for item in items for problem in item_doubts(item)]


class StrictFailure(NcgError):
    """Warnings, raised as a failure because --strict was given."""

    def __init__(self, warnings: list[Problem]):
        count = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
        super().__init__(list(warnings) + [Problem(f"{count}, and --strict treats warnings as errors")])
