"""Work done in other processes: results and failures come back as if the work were done here."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from ncg_digest import parallel
from ncg_digest.errors import NcgError, Problem
from ncg_digest.parallel import forked_map, in_background, meanwhile, on_threads

forking = pytest.mark.skipif(parallel.workers() < 2, reason="needs fork and two cores")


def note_pid(path: Path) -> None:
    path.write_text(str(os.getpid()))


@forking
def test_background_work_is_done_in_another_process_by_the_end_of_the_block(tmp_path):
    done = tmp_path / "done"
    with in_background(lambda: note_pid(done)):
        body_ran = True
    assert body_ran and done.read_text() != str(os.getpid())


def test_background_work_runs_after_the_block_without_a_second_core(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    order: list[str] = []
    with in_background(lambda: order.append("background")):
        order.append("body")
    assert order == ["body", "background"]


def test_background_work_told_not_to_run_in_parallel_runs_here_after_the_block():
    order: list[str] = []
    with in_background(lambda: order.append("background"), parallel=False):
        order.append("body")
    assert order == ["body", "background"]


def fail_on(path: Path) -> None:
    raise NcgError(Problem("cannot save the cache", path, 3))


@pytest.mark.parametrize("in_parallel", [True, False])
def test_a_failure_in_the_background_is_raised_once_the_block_is_done(tmp_path, in_parallel):
    finished = []
    with pytest.raises(NcgError) as raised:
        with in_background(lambda: fail_on(tmp_path / "store"), parallel=in_parallel):
            finished.append(True)
    assert finished == [True]
    assert [str(p) for p in raised.value.problems] == [f"{tmp_path / 'store'}:3: error: cannot save the cache"]


@forking
def test_a_failure_in_the_block_wins_and_the_background_work_still_finishes(tmp_path):
    done = tmp_path / "done"
    with pytest.raises(KeyError):
        with in_background(lambda: note_pid(done)):
            raise KeyError("body")
    assert done.exists()


def square(n: int) -> int:
    return n * n


def test_forked_results_come_in_input_order():
    assert list(forked_map(square, range(2000))) == [n * n for n in range(2000)]


def test_work_on_threads_comes_back_in_order_and_stops_at_a_failure():
    items = list(range(5 * parallel.THREADED_FROM))
    assert on_threads(square, items) == [n * n for n in items]
    calls = []

    def fail_at_ten(n: int) -> int:
        calls.append(n)
        if n == 10:
            raise ValueError("ten")
        return n

    with pytest.raises(ValueError, match="ten"):
        on_threads(fail_at_ten, items)
    assert 10 in calls and len(calls) < len(items)


def slow_square(n: int) -> int:
    time.sleep(0.01)
    return n * n


@forking
def test_work_made_meanwhile_is_the_first_items_done_by_the_time_it_is_asked_for():
    items = list(range(1000))
    with meanwhile(slow_square, items) as done:
        time.sleep(0.3)
        made = done()
    assert 0 < len(made) < len(items)  # stopped part-way: ten seconds of work, asked for after a third of one
    assert made == [n * n for n in items[: len(made)]]


@forking
def test_work_made_meanwhile_comes_back_whole_when_there_was_time():
    with meanwhile(square, list(range(100))) as done:
        time.sleep(0.5)
        assert done() == [n * n for n in range(100)]
        assert done() == [n * n for n in range(100)]  # asked again: the same, from this process


def fail_at_five(n: int) -> int:
    if n == 5:
        raise ValueError("five")
    return n


@forking
def test_work_made_meanwhile_stops_before_an_item_that_fails():
    with meanwhile(fail_at_five, list(range(10))) as done:
        time.sleep(0.3)
        assert done() == [0, 1, 2, 3, 4]


def test_nothing_is_made_meanwhile_without_a_second_core_or_when_not_asked(monkeypatch):
    with meanwhile(square, [1, 2, 3], parallel=False) as done:
        assert done() == []
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    with meanwhile(square, [1, 2, 3]) as done:
        assert done() == []


def children() -> set[str]:
    """The processes this process's main thread started, which forks (other tests may have left some)."""
    return set(Path(f"/proc/self/task/{os.getpid()}/children").read_text().split())


@forking
def test_work_made_meanwhile_is_stopped_when_the_block_fails_and_leaves_no_process():
    before = children()
    with pytest.raises(KeyError):
        with meanwhile(slow_square, list(range(1000))):
            assert len(children() - before) == 1
            raise KeyError("body")
    assert children() == before




@forking
def test_work_alongside_comes_back_from_another_process_once_asked_for():
    with parallel.alongside(lambda: (os.getpid(), [square(n) for n in range(10_000)])) as result:
        pid, squares = result()
        assert result() == (pid, squares)  # asked again: the same, from this process
    assert pid != os.getpid() and squares == [n * n for n in range(10_000)]


@pytest.mark.parametrize("in_parallel", [True, False])
def test_a_failure_alongside_is_raised_where_the_result_is_asked_for(tmp_path, in_parallel):
    if in_parallel and parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    with parallel.alongside(lambda: fail_on(tmp_path / "store"), parallel=in_parallel) as result:
        with pytest.raises(NcgError) as raised:
            result()
    assert [str(p) for p in raised.value.problems] == [f"{tmp_path / 'store'}:3: error: cannot save the cache"]


def test_work_alongside_without_a_second_core_is_done_here_when_asked_for(monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    order: list[str] = []
    with parallel.alongside(lambda: order.append("alongside") or os.getpid()) as result:
        order.append("body")
        assert result() == os.getpid() and result() == os.getpid()
    assert order == ["body", "alongside"]  # done once


@forking
def test_work_alongside_is_stopped_when_the_block_fails_and_leaves_no_process():
    before = children()
    with pytest.raises(KeyError):
        with parallel.alongside(lambda: time.sleep(60)):
            assert len(children() - before) == 1
            raise KeyError("body")
    assert children() == before


HELPER_JOBS = {"pid": os.getpid, "square": square, "bytes": lambda n: b"x" * n, "length": len, "fail": fail_on, "sleep": time.sleep}


@forking
def test_a_helper_does_its_jobs_in_another_process_and_answers_in_order(tmp_path):
    with parallel.helper(HELPER_JOBS) as helping:
        pid = helping.give("pid")
        squares = [helping.give("square", n) for n in range(50)]
        assert [answer() for answer in reversed(squares)] == [n * n for n in reversed(range(50))]
        assert pid() != os.getpid()


@forking
def test_a_helper_takes_a_large_job_while_its_large_answer_waits():
    """Each end may be sending more than a pipe holds at once: neither waits on the other (if one did, the
    alarm would end the test)."""

    def stuck(*_):
        raise TimeoutError("the helper and this process wait on each other")

    signal.signal(signal.SIGALRM, stuck)
    signal.alarm(60)
    try:
        exchange_large_answers_and_jobs()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def exchange_large_answers_and_jobs() -> None:
    with parallel.helper(HELPER_JOBS) as helping:
        answer = helping.give("bytes", 20_000_000)  # not read until after the next job is sent
        large = helping.give("length", b"z" * 20_000_000)
        echoed = helping.give("pid")
        assert len(answer()) == 20_000_000 and large() == 20_000_000 and echoed() != os.getpid()


@pytest.mark.parametrize("cores", [2, 1])
def test_a_helper_failure_is_raised_where_its_result_is_asked_for_or_else_at_the_end(tmp_path, monkeypatch, cores):
    if cores == 1:
        monkeypatch.setattr(parallel, "workers", lambda: 1)
    elif parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    with parallel.helper(HELPER_JOBS) as helping:
        failed = helping.give("fail", tmp_path / "store")
        with pytest.raises(NcgError) as raised:
            failed()
        assert [str(p) for p in raised.value.problems] == [f"{tmp_path / 'store'}:3: error: cannot save the cache"]
        assert helping.give("square", 4)() == 16  # and it goes on
    with pytest.raises(NcgError):
        with parallel.helper(HELPER_JOBS) as helping:
            helping.give("fail", tmp_path / "store")  # never asked for


def test_without_a_second_core_a_helper_does_each_job_here_when_given(monkeypatch):
    monkeypatch.setattr(parallel, "workers", lambda: 1)
    with parallel.helper(HELPER_JOBS) as helping:
        assert helping.give("pid")() == os.getpid()
        assert helping.give("square", 5)() == 25


@forking
def test_a_helper_is_stopped_when_the_block_fails_and_leaves_no_process():
    def children() -> set[str]:
        return set(Path(f"/proc/self/task/{os.getpid()}/children").read_text().split())

    before = children()
    with pytest.raises(KeyError):
        with parallel.helper(HELPER_JOBS) as helping:
            helping.give("sleep", 0.2)
            helping.give("bytes", 20_000_000)  # an answer never read
            assert len(children() - before) == 1
            raise KeyError("body")
    assert children() == before
