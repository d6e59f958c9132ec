"""Work done in other processes: results and failures come back as if the work were done here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ncg_digest import parallel
from ncg_digest.errors import NcgError, Problem
from ncg_digest.parallel import forked_map, in_background, on_threads

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
