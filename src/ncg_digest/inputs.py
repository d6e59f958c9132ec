"""Reading an input file's bytes: within its folder, within the size limit, or a clear error.

Every file the program reads from content/ or seeds/ comes through here, so
the same rules hold everywhere: a symbolic link that leads out of the folder
it sits in is refused (its target would end up published), a file over the
limit is refused before it is read, and anything the operating system
refuses is reported with the file's name rather than a traceback.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from .errors import NcgError, Problem
from .parallel import meanwhile

LIMIT_HINT = "raise max_input_bytes in content/site.yml if the file is meant to be this large"


def is_article_name(name: str) -> bool:
    """Whether a file of content/articles/ named so is an article (hidden files and other kinds are not)."""
    return name.endswith(".md") and not name.startswith(".")


class Folder:
    """A folder files must not leave, with the real path of each folder they sit in found once.

    Reading ten thousand articles, the real path of content/articles is
    worked out once rather than component by component for every file; only
    a file that is itself a symbolic link has its whole path followed.
    """

    def __init__(self, path: Path):
        self.path = path
        real = os.path.realpath(path)
        self._prefix = real if real.endswith(os.sep) else real + os.sep
        self._real = real
        self._parents: dict[str, str] = {}

    def real_path(self, path: str) -> str:
        """`path` with every symbolic link followed (as ``os.path.realpath``)."""
        if os.path.islink(path):
            return os.path.realpath(path)
        parent, name = os.path.split(os.path.abspath(path))
        real_parent = self._parents.get(parent)
        if real_parent is None:
            real_parent = self._parents[parent] = os.path.realpath(parent)
        return os.path.join(real_parent, name)

    def holds(self, path: str) -> bool:
        """Whether `path`, with every symbolic link followed, is within this folder."""
        real = self.real_path(path)
        return real == self._real or real.startswith(self._prefix)


def read_input(path: Path, limit: int, within: Path | Folder | None = None) -> bytes:
    """The bytes of `path`, at most `limit` of them; `within` is the folder it must not leave.

    Pass a `Folder` when reading many files from one folder: it remembers the
    real paths it has found.
    """
    text = os.fspath(path)
    if within is not None:
        folder = within if isinstance(within, Folder) else Folder(within)
        if not folder.holds(text):
            how = "is a symbolic link to" if os.path.islink(text) else "lies, through a linked folder, at"
            raise NcgError(
                Problem(
                    f"this {how} {Path(text).resolve()}, outside {folder.path}; refusing to read it",
                    path,
                    hint=f"copy the file into {folder.path} instead of linking to it",
                )
            )
    try:
        info = os.stat(text)  # before opening: opening a named pipe would wait for a writer
        if stat.S_ISDIR(info.st_mode):
            raise NcgError(Problem("this is a folder, not a file", path, hint="rename or remove it"))
        if not stat.S_ISREG(info.st_mode):
            raise NcgError(Problem("this is not a regular file", path))
        if info.st_size > limit:
            raise NcgError(Problem(f"file is {info.st_size:,} bytes, over the {limit:,}-byte limit", path, hint=LIMIT_HINT))
        data = _read_at_most(text, limit + 1, info.st_size)
    except OSError as error:
        raise NcgError(Problem(f"cannot read file: {error.strerror or error}", path, hint=_hint_for(error))) from None
    if len(data) > limit:  # it grew while being read
        raise NcgError(Problem(f"file is over the {limit:,}-byte limit", path, hint=LIMIT_HINT))
    return data


def _read_at_most(path: str, most: int, expected: int) -> bytes:
    """Up to `most` bytes of the file, asking first for the `expected` size and one byte more (to see its end)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        parts = [os.read(fd, min(most, expected + 1))]
        total = len(parts[0])
        while parts[-1] and total < most:
            parts.append(os.read(fd, min(most - total, 1 << 16)))
            total += len(parts[-1])
    finally:
        os.close(fd)
    return b"".join(parts)


def _hint_for(error: OSError) -> str | None:
    if isinstance(error, PermissionError):
        return "check the file's permissions (chmod u+r)"
    if isinstance(error, FileNotFoundError):
        return "it may be a symbolic link to a file that no longer exists"
    return None


@contextmanager
def read_ahead(paths: Sequence[str]) -> Iterator[None]:
    """While the body runs, a second process asks the system to start reading each of `paths` (in order).

    For many small files read one after another by a few processes: when they are
    not in memory (a first build, or files the system has let go of since they
    were last read), each read waits on the disk in turn, which took longer than
    parsing them. Asked for all at once, the disk reads them in one stream, ahead
    of the readers. A process rather than a thread, so that no thread is running
    when the readers are forked.
    """
    if not hasattr(os, "posix_fadvise"):
        yield
        return
    with meanwhile(ask_for, paths):
        yield


_ASKING = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def ask_for(path: str) -> None:
    """Ask the system to start reading the file `path` into memory, if it is a regular file; read nothing here.

    A symbolic link is not followed and a pipe or device is not opened; a file
    that cannot be opened is left to its reader to report.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return
        fd = os.open(path, _ASKING)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(fd)
    except OSError:
        pass
