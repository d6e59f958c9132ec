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
        pid = _fork(lambda: _run_and_report(function, writer), parents_ends=(reader,))
        os.close(writer)
        try:
            yield
        finally:
            failure = _collect(pid, reader)
    finally:
        gc.unfreeze()
    if failure is not None:
        raise failure


def _fork(child: Callable[[], NoReturn], parents_ends: tuple[int, ...]) -> int:
    """Start a process that closes the parent's ends of their pipes and runs `child` (which never returns)."""
    pid = os.fork()
    if pid == 0:
        for end in parents_ends:
            os.close(end)
        child()
    return pid


def _run_and_report(function: Callable[[], None], writer: int) -> NoReturn:
    status = 0
    try:
        function()
    except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
        status = 1
        report = pickle.dumps(_picklable(error))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(report)
    finally:
        os._exit(status)


def _picklable(error: BaseException) -> BaseException:
    """`error`, or where it cannot be pickled (to go back to the parent), an error telling its text."""
    try:
        pickle.dumps(error)
        return error
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")


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


@contextmanager
def meanwhile(function: Callable[[T], R], items: Sequence[T], *, parallel: bool = True) -> Iterator[Callable[[], list[R]]]:
    """Make a start on ``function(item)`` for the items, in order, in a forked process while the block runs.

    It yields `done`: called in the block, it stops the process at its next item and returns what it had
    made, in order: the results of the first items, as many as there was time for (perhaps all, perhaps
    none). The rest are left to the caller, and so is a failure: the process stops at the item that fails,
    and that item is left out. For work that saves later work (a cache to fill), done on a core that would
    otherwise wait. Without `parallel`, where the platform cannot fork, or with one core, nothing is done.
    """
    if not parallel or workers() < 2 or not items:
        yield lambda: []
        return
    results, child_end = os.pipe()
    stop, stop_end = os.pipe()
    gc.freeze()  # as in forked_map: the child's cycle collector leaves the inherited objects alone
    try:
        pid = _fork(lambda: _make_until_stopped(function, items, stop, child_end), parents_ends=(results, stop_end))
        os.close(child_end)
        os.close(stop)
        collected: list[list[R]] = []

        def done() -> list[R]:
            if not collected:
                collected.append(_stop_and_collect(pid, stop_end, results))
            return collected[0]

        try:
            yield done
        finally:
            done()  # the process is stopped and waited for, whether or not its results were wanted
    finally:
        gc.unfreeze()


def _make_until_stopped(function: Callable[[T], R], items: Sequence[T], stop: int, writer: int) -> NoReturn:
    import select

    made = []
    try:
        for item in items:
            if select.select([stop], [], [], 0)[0]:  # told to stop (or the parent is gone)
                break
            try:
                made.append(function(item))
            except BaseException:  # noqa: BLE001 - left for the caller to meet, and report, itself
                break
        with os.fdopen(writer, "wb") as pipe:
            pickle.dump(made, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


def _stop_and_collect(pid: int, stop: int, reader: int) -> list:
    try:
        os.write(stop, b"x")
    except OSError:  # the child has finished and closed its end
        pass
    os.close(stop)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        return pickle.loads(data) if data else []
    except Exception:  # noqa: BLE001 - a child killed while writing: as if it had made nothing
        return []


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
