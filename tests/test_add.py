"""`ncg-digest add`: files, saved web pages and pasted text become seeds, items and pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ncg_digest.cli import main

from sitekit import REPO

SEED = REPO / "seeds" / "000_65e6f93b41ceedc0.txt"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Allies hold NCG talks | Example News</title>
<script>window.tracking = true;</script><style>body { color: red }</style></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
<h1>Allies hold fourth NCG meeting in Washington</h1>
<article>
<p>WASHINGTON, June 10 (Example News) -- South Korea and the United States held the fourth meeting of the
Nuclear Consultative Group in Washington, D.C. on Monday, the defense ministry said.</p>
<figure><img src="photo.jpg" alt=""><figcaption>Officials pose for a photo. (Yonhap)</figcaption></figure>
<p>The two sides discussed conventional-nuclear integration &amp; tabletop exercises.</p>
</article>
<aside><h2>Most read</h2><ul><li>Celebrity news</li></ul></aside>
<footer><p>Copyright &copy; Example News. All rights reserved.</p><p>About us · Contact</p></footer>
</body></html>
"""


def run(project, *args: str, stdin: bytes = b"", capsys=None):
    """The command as a user runs it, in its own process (standard input included)."""
    return subprocess.run(
        [sys.executable, "-m", "ncg_digest", "add", "--root", str(project.root), *args],
        input=stdin,
        capture_output=True,
        timeout=300,
    )


def test_add_a_file_stores_the_seed_ingests_builds_and_lists_changed_pages(project, capsys):
    assert main(["add", "--root", str(project.root), str(SEED)]) == 0
    out = capsys.readouterr().out
    assert (project.root / "seeds" / SEED.name).read_bytes() == SEED.read_bytes()
    [item] = list((project.root / "content/articles").glob("*.md"))
    assert f"-> {item}" in out or f"-> content/articles/{item.name}" in out
    assert "  meeting: 5    [" in out
    assert "Built 1 items and 6 meetings" in out
    assert f"  changed: articles/{item.stem}.html" in out
    assert "  changed: meetings/ncg-5.html" in out
    assert (project.out / f"articles/{item.stem}.html").is_file()


def test_adding_the_same_text_again_under_any_name_changes_nothing(project, tmp_path, capsys):
    main(["add", "--root", str(project.root), str(SEED)])
    capsys.readouterr()
    copy = tmp_path / "the-same-article.txt"
    copy.write_bytes(SEED.read_bytes())
    assert main(["add", "--root", str(project.root), str(copy)]) == 0
    out = capsys.readouterr().out
    assert "already ingested; nothing new" in out
    assert "none changed" in out
    assert len(list((project.root / "seeds").iterdir())) == 1
    assert len(list((project.root / "content/articles").glob("*.md"))) == 1


def test_a_different_file_of_the_same_name_is_never_overwritten(project, tmp_path, capsys):
    mine = project.write("seeds/report.txt", "A note of my own, not an article.\n")
    other = tmp_path / "elsewhere" / "report.txt"
    other.parent.mkdir()
    other.write_bytes(SEED.read_bytes())
    assert main(["add", "--root", str(project.root), str(other)]) == 0
    assert mine.read_text() == "A note of my own, not an article.\n"
    assert (project.root / "seeds/report-2.txt").read_bytes() == SEED.read_bytes()
    assert "seeds/report-2.txt" in capsys.readouterr().out or (project.root / "seeds/report-2.txt").exists()


def test_pasted_text_on_standard_input(project):
    done = run(project, "-", stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    [seed] = list((project.root / "seeds").iterdir())
    assert seed.name.startswith("pasted-") and seed.suffix == ".txt"
    assert seed.read_bytes() == SEED.read_bytes()
    assert b"meeting: 5" in done.stdout


def test_nothing_on_standard_input_is_a_one_line_error(project):
    done = run(project, "-", stdin=b"  \n")
    assert done.returncode == 1
    assert done.stderr.decode().strip() == "error: no text to add"
    assert not list((project.root / "seeds").iterdir())


def test_a_saved_web_page_is_kept_as_saved_and_read_for_its_article(project, tmp_path, capsys):
    page = tmp_path / "ncg talks.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["add", "--root", str(project.root), str(page)]) == 0
    assert (project.root / "seeds/ncg-talks.html").read_bytes() == page.read_bytes()  # the raw input, as received
    [item] = list((project.root / "content/articles").glob("*.md"))
    text = item.read_text(encoding="utf-8")
    assert "title: Allies hold fourth NCG meeting in Washington" in text
    assert "meeting: 4" in text
    body = text.split("\n---\n", 1)[1]
    assert "South Korea and the United States held the fourth meeting" in body
    for furniture in ("tracking", "color: red", "Most read", "Celebrity", "About us"):
        assert furniture not in body


def test_a_pasted_web_page_is_stored_as_html(project):
    done = run(project, "-", stdin=PAGE.encode("utf-8"))
    assert done.returncode == 0, done.stderr
    [seed] = list((project.root / "seeds").iterdir())
    assert seed.name.startswith("pasted-") and seed.suffix == ".html"
    assert b"meeting: 4" in done.stdout


def test_missing_files_are_reported_and_nothing_is_stored(project, capsys):
    assert main(["add", "--root", str(project.root), str(SEED), str(project.root / "missing.txt")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(str(project.root / "missing.txt") + ": error: cannot read file")
    assert not list((project.root / "seeds").iterdir())


def test_a_file_that_is_not_an_article_is_not_kept(project, tmp_path, capsys):
    junk = tmp_path / "empty-ish.txt"
    junk.write_text("Share\nPrint\n", encoding="utf-8")
    assert main(["add", "--root", str(project.root), str(junk)]) == 1
    assert "no article text found" in capsys.readouterr().err
    assert not list((project.root / "seeds").iterdir())


def test_add_has_help(capsys):
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    assert "usage: ncg-digest add" in capsys.readouterr().out
