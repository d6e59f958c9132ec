"""Many articles are read ahead: the system is asked for all of them at once, and only for regular files."""

from __future__ import annotations

import ctypes
import mmap
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ncg_digest import parallel, read
from ncg_digest.cli import main
from ncg_digest.inputs import read_ahead

ahead = pytest.mark.skipif(
    not hasattr(os, "posix_fadvise") or not Path("/proc/self").exists() or parallel.workers() < 2,
    reason="needs posix_fadvise, mincore, fork and two cores",
)


def resident(path: Path) -> bool:
    """Whether the first page of `path` is in memory (mincore on a mapping of it)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    with open(path, "rb") as handle:
        address = libc.mmap(None, mmap.PAGESIZE, mmap.PROT_READ, mmap.MAP_SHARED, handle.fileno(), 0)
        assert address not in (None, ctypes.c_void_p(-1).value), os.strerror(ctypes.get_errno())
        try:
            pages = (ctypes.c_ubyte * 1)()
            assert libc.mincore(address, mmap.PAGESIZE, pages) == 0, os.strerror(ctypes.get_errno())
            return bool(pages[0] & 1)
        finally:
            libc.munmap(address, mmap.PAGESIZE)


def let_go(path: Path) -> None:
    """Ask the kernel to drop the file's pages from memory (they are written out first)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def files_let_go(folder: Path, names: list[str]) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        path.write_text(f"---\ntitle: {name}\n---\n\n" + "Text. " * 200, encoding="utf-8")
        paths.append(path)
    for path in paths:
        let_go(path)
    if any(resident(path) for path in paths):
        pytest.skip("this file system keeps files in memory whatever it is asked")
    return paths


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@ahead
def test_files_read_ahead_are_in_memory_before_anyone_reads_them(tmp_path):
    paths = files_let_go(tmp_path, [f"{n:03d}.md" for n in range(40)])
    with read_ahead([str(p) for p in paths]):
        assert until(lambda: all(resident(p) for p in paths))


@ahead
def test_read_ahead_passes_over_links_pipes_and_folders_without_waiting_on_them(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (target,) = files_let_go(outside, ["secret.md"])
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "link.md").symlink_to(target)
    os.mkfifo(articles / "pipe.md")  # opening it to read would wait for a writer
    (articles / "folder.md").mkdir()
    (plain,) = files_let_go(articles, ["plain.md"])
    paths = [str(articles / name) for name in ("link.md", "pipe.md", "folder.md", "missing.md", "plain.md")]

    # In a process of its own, so that a read-ahead stuck on the pipe fails the test rather than hanging it.
    script = (
        "import sys, time\n"
        "from ncg_digest.inputs import read_ahead\n"
        "with read_ahead(sys.argv[2:]):\n"
        "    time.sleep(0.5)\n"
    )
    subprocess.run([sys.executable, "-c", script, "--", *paths], check=True, timeout=30)
    assert until(lambda: resident(plain))
    assert not resident(target)  # the link was not followed


@pytest.mark.skipif(parallel.workers() < 2 or not hasattr(os, "mkfifo"), reason="needs fork, two cores and named pipes")
def test_articles_read_by_workers_report_a_named_pipe_rather_than_wait_on_it(project, monkeypatch, capsys):
    """With the articles read ahead and parsed by workers, a named pipe among them is an error like any other."""
    monkeypatch.setattr(read, "PARALLEL_FROM", 1)
    project.write("content/articles/a.md", "---\ntitle: A\nmeeting: 5\n---\nThe allies met in Washington.\n")
    os.mkfifo(project.root / "content" / "articles" / "b.md")
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"{project.root / 'content' / 'articles' / 'b.md'}: error: this is not a regular file"]
