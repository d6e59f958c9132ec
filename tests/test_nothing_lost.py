"""Nothing a user has is lost or half-written: failed builds, concurrent builds, ingest, rebuilds."""

from __future__ import annotations

import fcntl
import os
import random
import threading
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ncg_digest.ingest as ingest_module
import ncg_digest.write as write_module
from ncg_digest import parallel
from ncg_digest.cli import main
from ncg_digest.errors import NcgError

from sitekit import REPO, crowd_article, new_project


def tree(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `folder` with its bytes, modification time and inode."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            info = path.stat()
            found[path.relative_to(folder).as_posix()] = (path.read_bytes(), info.st_mtime_ns, info.st_ino)
    return found


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(project) -> list[str]:
    """Staging or retired output folders a build left beside _site."""
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith("._site.") and not p.name.endswith(".lock"))


@pytest.fixture
def built(seeded):
    seeded.ingest()
    seeded.build()
    return seeded


# --------------------------------------------------------------------------
# A failed build leaves the previous site as it was


def test_a_build_that_fails_on_input_leaves_the_site_untouched(built, capsys):
    before = tree(built.out)
    inode = built.out.stat().st_ino
    built.write("content/articles/broken.md", "---\ntitle: [broken\n---\n")
    assert main(["build", "--root", str(built.root)]) == 1
    assert "broken.md:2" in capsys.readouterr().err
    assert tree(built.out) == before
    assert built.out.stat().st_ino == inode
    assert leftovers(built) == []


def test_a_build_that_fails_in_a_template_leaves_the_site_untouched(built, capsys):
    before = tree(built.out)
    (built.root / "templates" / "topic.html").write_text("{% block main %}{{ no_such_value }}{% endblock %}", encoding="utf-8")
    assert main(["build", "--root", str(built.root)]) == 1
    assert "template error" in capsys.readouterr().err
    assert tree(built.out) == before


def test_a_build_that_fails_while_writing_leaves_the_site_untouched(built, monkeypatch):
    """The disk fills up halfway through writing: the staging folder goes, the old site stays."""
    before = tree(built.out)
    base = built.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- every page changes -->\n</body>"), encoding="utf-8")
    disk = FullDiskOs(after=10)
    monkeypatch.setattr("ncg_digest.write.os", disk)
    with pytest.raises(OSError):
        built.build()
    monkeypatch.undo()
    assert disk.writes >= 10
    assert tree(built.out) == before
    assert leftovers(built) == []


def test_a_build_whose_render_workers_fill_the_disk_leaves_the_site_untouched(built, monkeypatch):
    """A large site's pages are written into the staging folder by the render workers: when the disk fills
    up there, the build fails with the disk's error, the staging folder goes, and the old site stays."""
    if parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    from ncg_digest import render

    before = tree(built.out)
    base = built.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- every page changes -->\n</body>"), encoding="utf-8")
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)  # rendered by workers, however few the pages
    monkeypatch.setattr("ncg_digest.write.os", FullDiskOs(after=3))  # each worker fails on its fourth file
    with pytest.raises(OSError, match="No space left"):
        built.build()
    monkeypatch.undo()
    assert tree(built.out) == before
    assert leftovers(built) == []
    built.build()  # with room on the disk again, the build goes through
    assert "every page changes" in (built.out / "index.html").read_text(encoding="utf-8")


class FullDiskOs:
    """The os module as the writer sees it, except that the disk is full after `after` files are written."""

    def __init__(self, after: int):
        self.after = after
        self.writes = 0
        self.lock = threading.Lock()  # the writer writes on several threads

    def write(self, fd, data):
        with self.lock:
            self.writes += 1
            if self.writes > self.after:
                raise OSError(28, "No space left on device")
        return os.write(fd, data)

    def __getattr__(self, name):
        return getattr(os, name)


class DyingOs:
    """The os module as the writer sees it, except that the process "dies" after `lives` renames."""

    def __init__(self, lives: int):
        self.lives = lives

    def __getattr__(self, name):
        return getattr(os, name)

    def replace(self, source, target):
        if self.lives == 0:
            raise SystemExit("the power went off")
        self.lives -= 1
        os.replace(source, target)


@pytest.mark.parametrize("rendered", ["in this process", "by workers into the staging folder"])
def test_a_build_stopped_while_moving_files_in_is_finished_by_the_next(built, monkeypatch, tmp_path, rendered):
    """Killed part-way through the moves: the next build carries the journalled change through first."""
    if rendered != "in this process":
        if parallel.workers() < 2:
            pytest.skip("needs fork and two cores")
        from ncg_digest import render

        monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    before = contents(built.out)
    base = built.root / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", "<!-- every page changes -->\n</body>"), encoding="utf-8")
    monkeypatch.setattr(write_module, "IN_PLACE_SHARE", 1)  # moved in one by one, however many changed
    monkeypatch.setattr(write_module, "os", DyingOs(lives=3))  # the journal, then two pages
    with pytest.raises(SystemExit):
        built.build()
    monkeypatch.undo()
    now = contents(built.out)
    assert set(now) == set(before)
    assert sum(now[p] != before[p] for p in now) == 2  # half-way: two pages moved in, the rest not yet
    assert len(leftovers(built)) == 1  # the staging folder, with its journal

    built.build()
    assert leftovers(built) == []
    clean = new_project(tmp_path / "clean", with_seeds=True)
    shutil.copytree(built.root / "content", clean.root / "content", dirs_exist_ok=True)
    shutil.copy(base, clean.root / "templates" / "base.html")
    clean.build()
    assert contents(built.out) == contents(clean.out)


@pytest.mark.parametrize("share", [1, 10**6], ids=["moved in one by one", "swapped in whole"])
def test_a_kept_file_removed_during_the_build_is_reported_and_made_by_the_next(built, monkeypatch, tmp_path, capsys, share):
    """A page the build keeps as it was, deleted by someone while the build runs: the build says so, and
    the next build puts it back, as a clean build would have it."""
    monkeypatch.setattr(write_module, "IN_PLACE_SHARE", share)
    real = write_module.write_site
    removed = []

    def meddled(files, output, keep=(), **options):
        victim = min(p for p in keep if p.startswith("articles/") and p not in files)  # another article's page: kept
        (output / victim).unlink()
        removed.append(victim)
        return real(files, output, keep, **options)

    monkeypatch.setattr(write_module, "write_site", meddled)
    built.write("content/articles/extra.md", crowd_article(1))
    assert main(["build", "--root", str(built.root)]) == 1
    err = capsys.readouterr().err
    assert "a file of the previous site disappeared during the build; build again" in err
    assert removed and removed[0] in err
    monkeypatch.undo()

    built.build()
    assert (built.out / removed[0]).is_file()
    clean = new_project(tmp_path / "clean", with_seeds=True)
    shutil.copytree(built.root / "content", clean.root / "content", dirs_exist_ok=True)
    clean.build()
    assert contents(built.out) == contents(clean.out)


def test_a_file_dropped_into_the_site_is_gone_after_the_next_build(built):
    (built.out / "articles" / "stray.html").write_text("not ours", encoding="utf-8")
    built.build()
    assert not (built.out / "articles" / "stray.html").exists()


# --------------------------------------------------------------------------
# Two builds at once


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "ncg_digest", "build", "--root", str(root)]


def test_a_build_while_another_holds_the_lock_stops_and_changes_nothing(built):
    before = tree(built.out)
    lock_path = built.root / "._site.lock"
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        run = subprocess.run(build_command(built.root), capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip() == f"{built.out}: error: another build is writing this folder; try again when it has finished"
    assert tree(built.out) == before


def test_two_builds_started_together_never_mix_their_output(built, tmp_path):
    reference = contents(built.out)
    for _ in range(4):
        runs = [subprocess.Popen(build_command(built.root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
        for run in runs:
            run.stdout.close()
            run.stderr.close()
        for code, err in results:
            assert code == 0 or (code == 1 and "another build is writing this folder" in err), err
        assert any(code == 0 for code, _ in results)
        assert contents(built.out) == reference
        assert leftovers(built) == []


# --------------------------------------------------------------------------
# build reads, never writes, the user's files; ingest only adds


def test_build_never_changes_content_or_seeds(built, capsys):
    content, seeds = tree(built.root / "content"), tree(built.root / "seeds")
    assert main(["build", "--root", str(built.root)]) == 0
    built.write("content/articles/zz-broken.md", "---\ntitle: A\nmeeting: 99\n---\n")
    content["articles/zz-broken.md"] = tree(built.root / "content")["articles/zz-broken.md"]
    assert main(["build", "--root", str(built.root)]) == 1
    assert tree(built.root / "content") == content
    assert tree(built.root / "seeds") == seeds


def test_ingest_only_adds_new_files(seeded):
    seeded.write("content/articles/hand-written.md", "---\ntitle: Mine\n---\nMy notes.\n")
    content_before, seeds_before = tree(seeded.root / "content"), tree(seeded.root / "seeds")
    results = seeded.ingest()
    after = tree(seeded.root / "content")
    for name, state in content_before.items():
        assert after[name] == state, name
    added = sorted(set(after) - set(content_before))
    assert added == sorted(r.written.relative_to(seeded.root / "content").as_posix() for r in results)
    assert all(name.startswith("articles/") and name.endswith(".md") for name in added)
    assert tree(seeded.root / "seeds") == seeds_before
    assert not [p for p in (seeded.root / "content" / "articles").iterdir() if p.name.startswith(".")]


def test_ingest_never_overwrites_a_file_that_takes_its_name(seeded):
    result = seeded.ingest()[0]
    first = result.written
    hand = first.read_text(encoding="utf-8").replace("title:", "title: Corrected by hand —", 1)
    first.write_text(hand, encoding="utf-8")
    # The same seed under a new name gives the same title: ingest must choose another file name.
    (seeded.root / "seeds" / ("copy-" + result.seed.name)).write_bytes(result.seed.read_bytes())
    (again,) = seeded.ingest()
    assert again.written != first and again.written.name.startswith(first.stem)
    assert first.read_text(encoding="utf-8") == hand


def test_an_ingest_that_fails_while_writing_leaves_no_file(seeded, monkeypatch):
    def no_link(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest_module.os, "link", no_link)
    with pytest.raises(OSError):
        seeded.ingest()
    assert list((seeded.root / "content" / "articles").iterdir()) == []


def test_an_ingest_with_a_problem_still_adds_the_other_seeds(seeded):
    (seeded.root / "seeds" / "binary.txt").write_bytes(b"\x00\x01")
    with pytest.raises(NcgError) as failure:
        seeded.ingest()
    assert [str(p) for p in failure.value.problems] == [f"{seeded.root / 'seeds' / 'binary.txt'}:1: error: this is a binary file, not text (it holds control characters)"]
    assert len(list((seeded.root / "content" / "articles").glob("*.md"))) == 3


# --------------------------------------------------------------------------
# Rebuilds are byte-identical


def test_builds_are_byte_identical_whatever_the_listing_order(tmp_path, monkeypatch):
    """Files created in different orders, listed by the file system in different orders, give the same site."""
    sources = sorted((REPO / "content" / "articles").glob("*.md"))
    one = new_project(tmp_path / "one")
    two = new_project(tmp_path / "two")
    for source in sources:
        (one.root / "content" / "articles" / source.name).write_bytes(source.read_bytes())
    for source in reversed(sources):
        (two.root / "content" / "articles" / source.name).write_bytes(source.read_bytes())
    for i in range(4):
        (one.root / "content" / "articles" / f"extra-{i}.md").write_text(f"---\ntitle: Note {i}\nslug: note\nmeeting: 5\n---\nText {i}.\n", encoding="utf-8")
    for i in reversed(range(4)):
        (two.root / "content" / "articles" / f"extra-{i}.md").write_text(f"---\ntitle: Note {i}\nslug: note\nmeeting: 5\n---\nText {i}.\n", encoding="utf-8")
    one.build()
    real_iterdir = Path.iterdir
    shuffle = random.Random(8)

    def shuffled(self):
        listing = list(real_iterdir(self))
        shuffle.shuffle(listing)
        return iter(listing)

    monkeypatch.setattr(Path, "iterdir", shuffled)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")
    two.build()
    monkeypatch.undo()
    assert contents(one.out) == contents(two.out)
    assert len(contents(one.out)) > 20


def test_a_rebuild_is_byte_identical(built):
    first = contents(built.out)
    built.build()
    assert contents(built.out) == first


def test_many_files_are_written_whole_and_the_old_site_goes_entirely(tmp_path):
    """Hundreds of files (written on several threads), then a site that replaces them all, then a few changes."""
    output = tmp_path / "_site"

    def site(version: str, count: int) -> dict[str, bytes]:
        return {f"part-{n % 7}/page-{n}.html": f"{version} {n} ".encode() * (n % 50 + 1) for n in range(count)}

    def on_disk() -> dict[str, bytes]:
        return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file() and p.name != write_module.MARKER}

    first = site("first", 3 * parallel.THREADED_FROM)
    write_module.write_site(first, output)
    assert on_disk() == first
    second = site("second", 2 * parallel.THREADED_FROM)  # every file new: swapped in whole, the old site removed
    write_module.write_site(second, output)
    assert on_disk() == second
    changed = {path: b"changed" for path in sorted(second)[:3]}
    write_module.write_site(changed, output, keep=second.keys())  # a few files moved in, the rest kept
    assert on_disk() == {**second, **changed}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.lock", "_site"]
