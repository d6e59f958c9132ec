"""Work shared out between forked worker processes, for the stages that handle thousands of things.

The workers are forked after the job is set, so they inherit the function and
its inputs (the site's data) instead of receiving them pickled; only the
results travel back. Results come in input order, so output does not depend
on which worker finished first. Where the platform cannot fork, or there is
too little work to pay for starting workers, the work is done in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 4  # at least, so a worker that finishes early takes more
LARGEST_CHUNK = 256  # at most, so results (and progress) come back steadily

# What the workers run: set in the main process just before they are forked.
_job: tuple[Callable, Sequence] | None = None


def workers() -> int:
    """How many worker processes to use (one per core, at most eight); 1 where forking is impossible."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


def forked_map(function: Callable[[T], R], items: Sequence[T], *, parallel: bool = True) -> Iterator[R]:
    """``function(item)`` for each item, in order; in forked workers when `parallel` and there are two cores."""
    count = min(workers(), len(items))
    if not parallel or count < 2:
        yield from map(function, items)
        return
    global _job
    step = min(-(-len(items) // (count * CHUNKS_PER_WORKER)), LARGEST_CHUNK)
    chunks = [range(start, min(start + step, len(items))) for start in range(0, len(items), step)]
    _job = (function, items)
    # Frozen objects are skipped by the cycle collector, which would otherwise walk the
    # inherited data in each worker and copy every memory page it touches.
    gc.freeze()
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            for results in pool.map(_run_chunk, chunks):
                yield from results
    finally:
        gc.unfreeze()
        _job = None


def _run_chunk(which: range) -> list:
    assert _job is not None
    function, items = _job
    return [function(items[n]) for n in which]
