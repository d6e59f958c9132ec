"""Warnings for what the text leaves uncertain: shown, and failing a run only with --strict."""

from __future__ import annotations

import pytest

from ncg_digest.cli import main
from ncg_digest.errors import NcgError

UNDATED = ("undated-the-united-states-and-south-korea-held-the-fourth-meeting-of.md", "undated-the-united-states-has-reaffirmed-its-commitment-to-providing.md")
HINT = "(hint: fill in what you can confirm from the original)"


def run(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_build_warns_about_ingested_fields_left_blank_and_succeeds(seeded, capsys):
    run(capsys, "ingest", "--root", str(seeded.root))
    code, out, err = run(capsys, "build", "--root", str(seeded.root))
    articles = seeded.root / "content" / "articles"
    assert code == 0
    assert err == [f"{articles / name}:{line}: warning: left blank because the article's text did not say: published {HINT}" for name, line in zip(UNDATED, (6, 5))]
    assert out[0].startswith("Built 3 items")


def test_build_strict_fails_on_warnings_and_keeps_the_previous_site(seeded, capsys):
    run(capsys, "ingest", "--root", str(seeded.root))
    assert run(capsys, "build", "--root", str(seeded.root))[0] == 0
    before = {p: p.read_bytes() for p in seeded.out.rglob("*") if p.is_file()}
    seeded.write("content/articles/new.md", "---\ntitle: New\nseed: new.txt\nmeeting: 5\n---\nText.\n")
    code, out, err = run(capsys, "build", "--root", str(seeded.root), "--strict")
    assert code == 1 and out == []
    assert len(err) == 4
    assert err[0].endswith(f"new.md:1: warning: left blank because the article's text did not say: outlet, published, place {HINT}")
    assert err[-1] == "error: 3 warnings, and --strict treats warnings as errors"
    assert {p: p.read_bytes() for p in seeded.out.rglob("*") if p.is_file()} == before


def test_build_strict_passes_once_fields_are_filled_in(seeded, capsys):
    run(capsys, "ingest", "--root", str(seeded.root))
    for name in UNDATED:
        path = seeded.root / "content" / "articles" / name
        path.write_text(path.read_text(encoding="utf-8").replace("published: null", "published: 2025-12-11"), encoding="utf-8")
    code, out, err = run(capsys, "build", "--root", str(seeded.root), "--strict")
    assert (code, err) == (0, [])


def test_hand_written_articles_with_blank_fields_raise_no_warning(project, capsys):
    project.write("content/articles/mine.md", "---\ntitle: My notes\n---\nNo outlet, no date, no meeting: my choice.\n")
    assert run(capsys, "build", "--root", str(project.root), "--strict")[:3:2] == (0, [])


def test_ingest_strict_writes_only_the_seeds_it_is_sure_of(seeded, capsys):
    code, out, err = run(capsys, "ingest", "--root", str(seeded.root), "--strict")
    seeds = seeded.root / "seeds"
    assert code == 1
    assert err == [
        f"{seeds / '000_65e6f93b41ceedc0.txt'}: warning: could not determine 'published' from the text",
        f"{seeds / '000_65e6f93b41ceedc0.txt'}: error: not ingested: --strict treats these warnings as errors",
        f"{seeds / '002_688e57e9e41887e4.txt'}: warning: could not determine 'published' from the text",
        f"{seeds / '002_688e57e9e41887e4.txt'}: error: not ingested: --strict treats these warnings as errors",
    ]
    written = sorted(p.name for p in (seeded.root / "content" / "articles").iterdir())
    assert written == ["2025-12-12-korea-leads-conventional-defense-at-first-ncg.md"]
    # Without --strict the same seeds are ingested, with the warnings still shown.
    code, out, err = run(capsys, "ingest", "--root", str(seeded.root))
    assert code == 0 and err == []
    assert sum("warning: could not determine 'published'" in line for line in out) == 2


def test_no_traceback_without_debug(project, capsys):
    project.write("content/articles/a.md", "---\ntitle: [\n---\n")
    code, out, err = run(capsys, "build", "--root", str(project.root))
    assert code == 1 and len(err) == 1 and "Traceback" not in err[0]


def test_debug_shows_the_traceback(project):
    project.write("content/articles/a.md", "---\ntitle: [\n---\n")
    with pytest.raises(NcgError):
        main(["build", "--root", str(project.root), "--debug"])
