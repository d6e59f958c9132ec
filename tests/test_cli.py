"""The command line as a user meets it: help, summaries, one-line errors, build.py."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ncg_digest.cli import main

from sitekit import REPO


@pytest.mark.parametrize("command", ["build", "ingest"])
def test_each_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: ncg-digest {command}" in out
    assert "--root" in out


def test_build_prints_one_summary_line_and_the_file_to_open(seeded, capsys):
    assert main(["ingest", "--root", str(seeded.root)]) == 0
    capsys.readouterr()
    assert main(["build", "--root", str(seeded.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Built 3 items and 6 meetings: ")
    assert lines[0].endswith(" s")
    assert lines[1].startswith("Open ") and lines[1].endswith("index.html in a browser.")


def test_ingest_prints_fields_with_evidence_and_warnings(seeded, capsys):
    assert main(["ingest", "--root", str(seeded.root)]) == 0
    out = capsys.readouterr().out
    assert "  meeting: 5    [The allies held the fifth meeting of the Nuclear Consultative Group" in out
    assert "warning: could not determine 'published' from the text; left blank" in out
    assert out.rstrip().endswith("Ingested 3 new articles into " + str(seeded.root / "content" / "articles"))


def test_errors_are_one_line_each_with_file_and_line(project, capsys):
    project.write("content/articles/a.md", "---\ntitle: A\nmeeting: five\n---\nText\n")
    project.write("content/articles/b.md", "---\ntitle: B\nmeeting: 42\n---\nText\n")
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    a = str(project.root / "content/articles/a.md")
    b = str(project.root / "content/articles/b.md")
    assert err[0] == f"{a}:3: error: 'meeting' must be a whole number such as 5, not 'five'"
    assert err[1].startswith(f"{b}:3: error: meeting 42 has no record in meetings.yml (hint: known meetings: 1, 2, 3")
    assert "Traceback" not in "\n".join(err)


def test_yaml_errors_carry_line_and_column(project, capsys):
    project.write("content/articles/bad.md", "---\ntitle: Fine\nsummary: [not closed\n---\nText\n")
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(str(project.root / "content/articles/bad.md") + ":3:")
    assert "invalid YAML" in err


def test_build_py_does_what_the_build_command_does(seeded, tmp_path):
    main(["ingest", "--root", str(seeded.root)])
    via_cli = tmp_path / "via-cli"
    via_script = tmp_path / "via-script"
    assert main(["build", "--root", str(seeded.root), "--out", str(via_cli)]) == 0
    run = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(seeded.root), "--out", str(via_script)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Built 3 items")
    files = sorted(p.relative_to(via_cli) for p in via_cli.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(via_script) for p in via_script.rglob("*") if p.is_file())
    for f in files:
        assert (via_cli / f).read_bytes() == (via_script / f).read_bytes()


def test_the_command_ends_with_its_output_and_status_intact(seeded):
    """The process ends without Python's teardown: what it printed still arrives, and so does its exit status."""
    seeded.ingest()
    command = [sys.executable, "-m", "ncg_digest", "build", "--root", str(seeded.root)]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as in a user's shell
    built = subprocess.run(command, capture_output=True, text=True, timeout=300, env=buffered)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 3 items") and built.stdout.rstrip().endswith("in a browser.")
    (seeded.root / "content/articles/broken.md").write_text("---\ntitle: [open\n---\nText\n", encoding="utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, timeout=300, env=buffered)
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.startswith(str(seeded.root / "content/articles/broken.md") + ":2:")



def test_only_a_command_that_ends_its_process_leaves_the_build_unfreed(seeded, capsys):
    """`ncg-digest build` ends its process once the build is done: the build hands what it held (its cache,
    its digest, its pages) to a list kept until then, rather than freeing it object by object. A caller that
    goes on (the preview server, or `main` called in this process) passes no list, and nothing is kept."""
    from ncg_digest import cli
    from ncg_digest.build import build_site
    from ncg_digest.cache import BuildCache
    from ncg_digest.digest import Digest
    from ncg_digest.render import Page

    seeded.ingest()
    left: list[object] = []
    report = build_site(seeded.config(), leave=left)
    assert any(isinstance(x, BuildCache) for x in left) and any(isinstance(x, Digest) for x in left)
    assert [len(x) for x in left if isinstance(x, list) and x and isinstance(x[0], Page)] == [report.pages]
    assert main(["build", "--root", str(seeded.root)]) == 0
    assert cli._left_for_exit is None


def test_build_refuses_to_replace_a_folder_it_did_not_write(seeded, tmp_path, capsys):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    assert main(["build", "--root", str(seeded.root), "--out", str(precious)]) == 1
    assert "refusing to replace it" in capsys.readouterr().err
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_output_read_only_in_part_is_no_error(seeded):
    """`ncg-digest build | head -1`: the reader goes away early; the build is done and no error is reported."""
    seeded.ingest()
    run = subprocess.run(
        f"'{sys.executable}' -m ncg_digest build --root '{seeded.root}' | true",  # reads nothing, gone before the summary
        shell=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "error" not in run.stderr.lower() and "pipe" not in run.stderr.lower()
    assert (seeded.root / "_site" / "index.html").is_file()
