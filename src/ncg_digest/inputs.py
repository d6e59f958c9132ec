"""Reading an input file's bytes: within its folder, within the size limit, or a clear error.

Every file the program reads from content/ or seeds/ comes through here, so
the same rules hold everywhere: a symbolic link that leads out of the folder
it sits in is refused (its target would end up published), a file over the
limit is refused before it is read, and anything the operating system
refuses is reported with the file's name rather than a traceback.
"""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import NcgError, Problem

LIMIT_HINT = "raise max_input_bytes in content/site.yml if the file is meant to be this large"


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every symbolic link followed, is within `folder`."""
    return path.resolve().is_relative_to(folder.resolve())


def read_input(path: Path, limit: int, within: Path | None = None) -> bytes:
    """The bytes of `path`, at most `limit` of them; `within` is the folder it must not leave."""
    if within is not None and not is_inside(path, within):
        how = "is a symbolic link to" if path.is_symlink() else "lies, through a linked folder, at"
        raise NcgError(
            Problem(
                f"this {how} {path.resolve()}, outside {within}; refusing to read it",
                path,
                hint=f"copy the file into {within} instead of linking to it",
            )
        )
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise NcgError(Problem("this is a folder, not a file", path, hint="rename or remove it"))
        if not stat.S_ISREG(info.st_mode):
            raise NcgError(Problem("this is not a regular file", path))
        if info.st_size > limit:
            raise NcgError(Problem(f"file is {info.st_size:,} bytes, over the {limit:,}-byte limit", path, hint=LIMIT_HINT))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise NcgError(Problem(f"cannot read file: {error.strerror or error}", path, hint=_hint_for(error))) from None
    if len(data) > limit:  # it grew while being read
        raise NcgError(Problem(f"file is over the {limit:,}-byte limit", path, hint=LIMIT_HINT))
    return data


def _hint_for(error: OSError) -> str | None:
    if isinstance(error, PermissionError):
        return "check the file's permissions (chmod u+r)"
    if isinstance(error, FileNotFoundError):
        return "it may be a symbolic link to a file that no longer exists"
    return None
