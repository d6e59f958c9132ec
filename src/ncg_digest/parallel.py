"""Work shared out between forked worker processes, for the stages that handle thousands of things.

The workers are forked after the job is set, so they inherit the function and
its inputs (the site's data) instead of receiving them pickled; only the
results travel back. Results come in input order, so output does not depend
on which worker finished first. Where the platform cannot fork, or there is
too little work to pay for starting workers, the work is done in this process.
"""

from __future__ import annotations

import functools
import gc
import os
import pickle
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping, NoReturn, Sequence, TypeVar

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
    gc.freeze()  # as in forked_map: the child's cycle collector leaves the inherited objects alone
    try:
        pid, reader = _fork_writing(lambda writer: _run_and_send(function, writer))
        try:
            yield
        finally:
            done, failure = _answer(pid, reader)
    finally:
        gc.unfreeze()
    if not done:
        raise failure


@contextmanager
def alongside(function: Callable[[], R], *, parallel: bool = True) -> Iterator[Callable[[], R]]:
    """Run `function` in a forked process while the block runs, for its result.

    It yields `result`: called in the block, it waits for the process and returns what `function` returned
    (pickled back), or raises what it raised. A block that leaves without asking stops the process. Without
    `parallel`, where the platform cannot fork, or with one core, `function` runs here when `result` is first
    called.
    """
    if not parallel or workers() < 2:
        yield functools.cache(function)
        return
    gc.freeze()  # as in forked_map: the child's cycle collector leaves the inherited objects alone
    try:
        pid, reader = _fork_writing(lambda writer: _run_and_send(function, writer))
        answer: list[tuple[bool, Any]] = []
        waited = False

        def result() -> R:
            nonlocal waited
            if not waited:
                waited = True
                answer.append(_answer(pid, reader))
            done, value = answer[0]
            if not done:
                raise value
            return value

        try:
            yield result
        finally:
            if not waited:  # not asked for: the block failed, or had no use for it
                os.kill(pid, signal.SIGKILL)
                os.close(reader)
                os.waitpid(pid, 0)
    finally:
        gc.unfreeze()


def _run_and_send(function: Callable[[], Any], writer: int) -> NoReturn:
    """In a forked process: run `function` and send the parent (True, what it returned) or (False, what it raised)."""
    try:
        try:
            answer: tuple[bool, Any] = (True, function())
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
            data = pickle.dumps((False, _picklable(error)), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)


def _fork_writing(child: Callable[[int], NoReturn]) -> tuple[int, int]:
    """Start a process that runs `child` on the writing end of a pipe; its pid, and the pipe's reading end."""
    reader, writer = os.pipe()
    pid = _fork(lambda: child(writer), parents_ends=(reader,))
    os.close(writer)
    return pid, reader


def _fork(child: Callable[[], NoReturn], parents_ends: tuple[int, ...]) -> int:
    """Start a process that closes the parent's ends of their pipes and runs `child` (which never returns)."""
    pid = os.fork()
    if pid == 0:
        for end in parents_ends:
            os.close(end)
        child()
    return pid


def _picklable(error: BaseException) -> BaseException:
    """`error`, or where it cannot be pickled (to go back to the parent), an error telling its text."""
    try:
        pickle.dumps(error)
        return error
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")


def _answer(pid: int, reader: int) -> tuple[bool, Any]:
    """Wait for the child `pid` started with `_run_and_send`; what it sent, or a failure if it stopped first."""
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()  # until the child is gone: its end of the pipe closes when it exits
    _, status = os.waitpid(pid, 0)
    if data:
        return pickle.loads(data)
    return False, RuntimeError(f"a second process of the build stopped (status {status})")


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


class Helper:
    """A second process, forked while this one is still small, that does named jobs for it, one after another.

    A build's later stages hold the whole site in memory; a process forked then shares it, and every page of
    it that either process touches is copied (a search index made that way took half again as long). This
    one is forked early, with `jobs` (a name → function mapping, inherited, never pickled), and is sent each
    job's arguments when the caller has them; results come back pickled, in the order the jobs were given.
    Without a second core, or where the platform cannot fork, each job runs in this process when given.
    Use it with `helper`, which also stops the process.
    """

    def __init__(self, jobs: Mapping[str, Callable[..., Any]], *, parallel: bool = True):
        self._jobs = jobs
        self._pid: int | None = None
        self._given = 0
        self._answers: list[tuple[bool, Any]] = []  # the answers read so far, in order
        self._asked: set[int] = set()  # the jobs whose results were asked for
        if not parallel or workers() < 2:
            return
        requests, request_end = os.pipe()
        answer_end, answers = os.pipe()
        self._pid = _fork(lambda: _help(jobs, requests, answers), parents_ends=(request_end, answer_end))
        os.close(requests)
        os.close(answers)
        self._requests = os.fdopen(request_end, "wb")
        self._answers_pipe = os.fdopen(answer_end, "rb")

    def give(self, name: str, *args: Any) -> Callable[[], Any]:
        """Start job `name` on `args`; returns `result`, which waits for it and returns what it returned (or
        raises what it raised)."""
        number = self._given
        self._given += 1
        if self._pid is None:
            try:
                self._answers.append((True, self._jobs[name](*args)))
            except Exception as error:  # noqa: BLE001 - raised when the result is asked for, as from the process
                self._answers.append((False, error))
        else:
            pickle.dump((name, args), self._requests, protocol=pickle.HIGHEST_PROTOCOL)
            self._requests.flush()
        return lambda: self._result(number)

    def _result(self, number: int) -> Any:
        self._asked.add(number)
        done, value = self._answer(number)
        if not done:
            raise value
        return value

    def _answer(self, number: int) -> tuple[bool, Any]:
        while len(self._answers) <= number:
            try:
                self._answers.append(pickle.load(self._answers_pipe))
            except EOFError:
                raise RuntimeError("the build's helper process stopped") from None
        return self._answers[number]

    def finish(self) -> None:
        """Wait for every job given, and stop the process; raise the first failure of a job whose result was never asked for."""
        try:
            for number in range(self._given):
                done, value = self._answer(number)
                if not done and number not in self._asked:
                    raise value
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop the process once it has done the job at hand (answers not yet read are dropped)."""
        if self._pid is None:
            return
        pid, self._pid = self._pid, None
        self._requests.close()  # it reads the end of its requests, and stops
        self._answers_pipe.close()  # an answer it is still sending fails, and is dropped
        os.waitpid(pid, 0)


@contextmanager
def helper(jobs: Mapping[str, Callable[..., Any]], *, parallel: bool = True) -> Iterator[Helper]:
    """A `Helper` for the block: by its end, every job given is done (and a failure raised); if the block fails,
    the process is stopped at once."""
    running = Helper(jobs, parallel=parallel)
    try:
        yield running
    except BaseException:
        running.stop()
        raise
    running.finish()


def _help(jobs: Mapping[str, Callable[..., Any]], requests: int, answers: int) -> NoReturn:
    """The helper process: run each job asked for, and send back what it returned or raised.

    Answers are sent by a thread of their own, so this process always goes on reading what the parent
    sends: the parent, sending a large job, never waits on a pipe this process is waiting to fill.
    """
    import queue

    status = 0
    outbox: queue.SimpleQueue[tuple[bool, Any] | None] = queue.SimpleQueue()

    def send() -> None:
        try:
            with os.fdopen(answers, "wb") as outgoing:
                while (answer := outbox.get()) is not None:
                    pickle.dump(answer, outgoing, protocol=pickle.HIGHEST_PROTOCOL)
                    outgoing.flush()
        except OSError:  # the parent stopped listening: what is left goes unsaid
            pass

    sender = threading.Thread(target=send)
    sender.start()
    try:
        with os.fdopen(requests, "rb") as incoming:
            while True:
                try:
                    name, args = pickle.load(incoming)
                except EOFError:  # the parent is done, or gone
                    break
                try:
                    outbox.put((True, jobs[name](*args)))
                except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
                    outbox.put((False, _picklable(error)))
        outbox.put(None)
        sender.join()
    except BaseException:  # noqa: BLE001 - a broken pipe: the parent stopped listening
        status = 1
    finally:
        os._exit(status)
