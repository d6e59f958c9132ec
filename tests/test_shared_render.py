"""A few large pages to render again (a new article's topics, its meeting) are shared with a second process:
the pages, and the problems met, are the same as when one process renders them all."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ncg_digest import parallel, render
from ncg_digest.errors import RenderError
from ncg_digest.render import two_shares

from sitekit import Project, new_project

forking = pytest.mark.skipif(parallel.workers() < 2, reason="needs fork and two cores")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(
    "costs",
    [[400, 200, 200, 10, 5, 0], [7, 7, 7, 7, 7], [0, 0, 0], [1000, 1, 1, 1], list(range(1, 40)), [3]],
)
def test_two_shares_hold_every_page_once_in_order_and_about_equal(costs):
    first, second = two_shares(costs)
    assert sorted(first + second) == list(range(len(costs)))
    assert first == sorted(first) and second == sorted(second)
    totals = sorted(sum(costs[n] for n in share) for share in (first, second))
    assert totals[1] - totals[0] <= max(costs)  # no page moved from the heavier share would even them out more
    assert two_shares(costs) == (first, second)


def test_pages_of_one_cost_are_dealt_out_in_turn():
    assert two_shares([5, 5, 5, 5, 5]) == ([0, 2, 4], [1, 3])


def record_renders(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Note which process renders each page (in a file, as a second process's memory is its own)."""
    real = render.render_page

    def noted(env, page, config):
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {page.path}\n")
        return real(env, page, config)

    monkeypatch.setattr(render, "render_page", noted)


def processes(log: Path) -> set[str]:
    return {line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()}


def change_every_page(project: Project, text: str) -> None:
    base = project.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", f"<!-- {text} -->\n</body>", 1), encoding="utf-8")


@pytest.fixture
def two_copies(tmp_path: Path) -> tuple[Project, Project]:
    """The bundled content built, and a copy of the project with its cache and site."""
    first = new_project(tmp_path / "first", with_seeds=True, with_articles=True)
    first.build()
    shutil.copytree(first.root, tmp_path / "second", symlinks=True)
    return first, Project(tmp_path / "second")


@forking
def test_a_render_shared_with_a_second_process_gives_the_same_site(two_copies, monkeypatch, tmp_path):
    shared, alone = two_copies
    for project in (shared, alone):
        change_every_page(project, "every page again")
    log = tmp_path / "renders.log"
    record_renders(monkeypatch, log)
    monkeypatch.setattr(render, "SHARE_FROM_BYTES", 0)
    report = shared.build()
    assert len(processes(log)) == 2 and os.getpid() in map(int, processes(log))
    assert len(log.read_text(encoding="utf-8").splitlines()) == report.pages  # each page once, in one process or the other
    monkeypatch.setattr(render, "SHARE_FROM_BYTES", 10**12)
    log.unlink()
    alone.build()
    assert processes(log) == {str(os.getpid())}
    assert tree(shared.out) == tree(alone.out)


@forking
def test_template_problems_met_in_both_processes_are_reported_in_page_order(two_copies, monkeypatch, tmp_path):
    """Every topic page fails, each with its own problem: the problems come as from one process."""
    reported = []
    for project, share_from in zip(two_copies, (0, 10**12)):
        topic = project.root / "templates" / "topic.html"
        topic.write_text(topic.read_text(encoding="utf-8").replace("<h1>{{ t.topic.name }}</h1>", "<h1>{{ t.topic.name.first.letter }}</h1>"), encoding="utf-8")
        change_every_page(project, "every page again")
        log = tmp_path / f"renders-{share_from}.log"
        record_renders(monkeypatch, log)
        monkeypatch.setattr(render, "SHARE_FROM_BYTES", share_from)
        with pytest.raises(RenderError) as raised:
            project.build()
        reported.append([str(p).replace(str(project.root), "PROJECT") for p in raised.value.problems])
        if share_from == 0:
            failing = [line.split() for line in log.read_text(encoding="utf-8").splitlines() if line.split()[1].count("/") == 1 and line.split()[1].startswith("topics/")]
            assert len({pid for pid, _ in failing}) == 2  # topic pages failed in both processes
    shared, alone = reported
    assert len(shared) > 2 and all("template error while rendering topics/" in p for p in shared)
    assert shared == alone


@forking
def test_a_broken_template_every_page_uses_is_reported_once(two_copies, monkeypatch):
    project = two_copies[0]
    base = project.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "{% if %}\n</body>", 1), encoding="utf-8")
    monkeypatch.setattr(render, "SHARE_FROM_BYTES", 0)
    with pytest.raises(RenderError) as raised:
        project.build()
    assert len(raised.value.problems) == 1
    assert str(raised.value.problems[0]).startswith(f"{base}:")
