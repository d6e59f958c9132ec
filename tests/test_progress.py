"""The progress bar: drawn on a terminal for long runs, never in a pipe or a log."""

from __future__ import annotations

import io

from ncg_digest.progress import Progress, bar_line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_shows_how_far_a_step_has_got():
    assert bar_line("rendering pages", 2500, 10000) == "rendering pages [#######-----------------------] 2,500/10,000"
    assert bar_line("rendering pages", 10000, 10000).count("#") == 30


def test_a_long_step_on_a_terminal_draws_the_bar_and_clears_it_for_the_summary():
    screen = Terminal()
    with Progress(screen).step("reading articles", 1000) as tick:
        for done in range(1, 1001):
            tick(done)
    drawn = screen.getvalue()
    assert "\rreading articles [" in drawn
    assert "1,000/1,000" in drawn  # the last state is always drawn
    assert drawn.endswith("\r\033[K")


def test_nothing_is_drawn_off_a_terminal_or_for_a_short_step():
    pipe = io.StringIO()
    with Progress(pipe).step("reading articles", 10000) as tick:
        tick(5000)
    screen = Terminal()
    with Progress(screen).step("reading articles", 20) as tick:
        tick(20)
    assert pipe.getvalue() == "" and screen.getvalue() == ""


def test_a_build_on_a_terminal_ends_with_its_one_line_summary(project, monkeypatch, capsys):
    from ncg_digest.cli import main

    for n in range(250):
        project.write(f"content/articles/a{n:03d}.md", f"---\ntitle: Article {n}\nmeeting: 5\n---\nText {n}.\n")
    monkeypatch.setattr("sys.stderr", Terminal())
    import sys

    assert main(["build", "--root", str(project.root)]) == 0
    drawn = sys.stderr.getvalue()
    assert "reading articles [" in drawn and "250/250" in drawn
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Built 250 items and 6 meetings: ")
