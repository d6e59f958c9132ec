"""Work shared out between forked worker processes, for the stages that handle thousands of things.

The workers are forked after the job is set, so they inherit the function and
its inputs (the site's data) instead of receiving them pickled; only the
results travel back. Results come in input order, so output does not depend
on which worker finished first. Where the platform cannot fork, or there is
too little work to pay for starting workers, the work is done in this process.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Iterator, NoReturn, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

CHUNKS_PER_WORKER = 4  # at least, so a worker that finishes early takes more
LARGEST_CHUNK = 256  # at most, so results (and progress) come back steadily

# What the workers run: set in the main process just before they are forked.
_job: tuple[Callable, Sequence] | None = None


def workers() -> int:
    """How many worker processes to use (one per core, at most eight); 1 where forking is impossible."""
    if not hasattr(os, "fork"):
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
    # Loaded only here: a small rebuild never starts a worker, and need not import multiprocessing.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

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


@contextmanager
def in_background(function: Callable[[], None], *, parallel: bool = True) -> Iterator[None]:
    """Run `function` in a forked process while the body of the `with` runs; wait for it before leaving.

    What `function` changes in memory stays in its process: it is for work whose
    result is written to files (the build cache, written while the site is).
    What it raises is raised here once the body is done. Without `parallel`,
    where the platform cannot fork, or with one core, `function` runs after
    the body instead.
    """
    if not parallel or workers() < 2:
        yield
        function()
        return
    reader, writer = os.pipe()
    gc.freeze()  # as in forked_map: the child's cycle collector leaves the inherited objects alone
    try:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(reader)
            _run_and_report(function, writer)
        os.close(writer)
        try:
            yield
        finally:
            failure = _collect(pid, reader)
    finally:
        gc.unfreeze()
    if failure is not None:
        raise failure


def _run_and_report(function: Callable[[], None], writer: int) -> NoReturn:
    status = 0
    try:
        function()
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        status = 1
        try:
            report = pickle.dumps(error)
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled is told by its text
            report = pickle.dumps(RuntimeError(f"{type(error).__name__}: {error}"))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(report)
    finally:
        os._exit(status)


def _collect(pid: int, reader: int) -> BaseException | None:
    """Wait for the child `pid`; what it raised, if anything."""
    with os.fdopen(reader, "rb") as pipe:
        report = pipe.read()  # until the child is gone: its end of the pipe closes when it exits
    _, status = os.waitpid(pid, 0)
    if report:
        return pickle.loads(report)
    if status != 0:
        return RuntimeError(f"a background process of the build stopped (status {status})")
    return None


# From this many items, on_threads shares them between threads.
THREADED_FROM = 64


def on_threads(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function(item)` for every item, in order: on one thread per core (at most eight) when there are many.

    For work done mostly outside Python, which lets other threads run meanwhile: making, reading and
    removing files is mostly the kernel's work, which runs on every core at once (writing ten thousand
    pages took half as long on two threads as on one). What a call raises is raised here, once every
    thread has stopped; the other threads stop at their next item.
    """
    threads = min(os.cpu_count() or 1, 8)
    if len(items) < THREADED_FROM or threads < 2:
        return [function(item) for item in items]
    failed = threading.Event()

    def run(share: Sequence[T]) -> list[R]:
        done = []
        for item in share:
            if failed.is_set():
                break
            try:
                done.append(function(item))
            except BaseException:
                failed.set()
                raise
        return done

    with ThreadPoolExecutor(threads) as pool:
        shares = list(pool.map(run, [items[n::threads] for n in range(threads)]))
    results: list[R] = [None] * len(items)  # type: ignore[list-item]
    for n, share in enumerate(shares):
        results[n::threads] = share
    return results
