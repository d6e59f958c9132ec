"""A progress bar for long runs, drawn on a terminal only.

A run over many items (reading thousands of articles, rendering thousands of
pages, ingesting a folder of seeds) shows one line that is redrawn in place;
the line is cleared when the step is done, so what stays on screen is the
one-line summary. Off a terminal (a pipe, a log file, CI) nothing is drawn.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

# Fewer items than this finish too quickly for a bar to help.
MIN_ITEMS = 200
WIDTH = 30
REDRAW_SECONDS = 0.1

Tick = Callable[[int], None]  # called with how many items are done so far


def bar_line(label: str, done: int, total: int) -> str:
    """'rendering pages [#########-----] 4,200/10,000' (the bar WIDTH characters wide)."""
    filled = WIDTH * done // total if total else WIDTH
    return f"{label} [{'#' * filled}{'-' * (WIDTH - filled)}] {done:,}/{total:,}"


class Progress:
    """Draws bars on `stream` when it is a terminal; ``Progress(None)`` never draws."""

    def __init__(self, stream: TextIO | None, min_items: int = MIN_ITEMS):
        self.stream = stream if stream is not None and stream.isatty() else None
        self.min_items = min_items

    @contextmanager
    def step(self, label: str, total: int) -> Iterator[Tick]:
        stream = self.stream
        if stream is None or total < self.min_items:
            yield _ignore
            return
        last = 0.0

        def tick(done: int) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= REDRAW_SECONDS or done >= total:
                last = now
                stream.write("\r" + bar_line(label, done, total))
                stream.flush()

        try:
            yield tick
        finally:
            stream.write("\r\033[K")  # clear the line for the summary
            stream.flush()


def _ignore(done: int) -> None:
    pass


QUIET = Progress(None)
