"""Writing the site: the only code that touches the output folder.

The new site is written into a folder beside the output and swapped in only
when every file is written, so a failed build leaves the previous site as it
was. A lock keeps two builds from writing the same output at once.
"""

from __future__ import annotations

import fcntl
import os
import posixpath
import shutil
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .errors import BuildLocked, NcgError, Problem

# A file in every output folder, so a build never replaces a folder it did not make.
MARKER = ".ncg-digest-site"


def safe_relative(path: str) -> str:
    """A site path ('a/b.html') that stays inside the output folder, or an error."""
    if not path or "\\" in path or any(part in ("..", ".", "") for part in path.split("/")):
        raise NcgError(Problem(f"refusing to write outside the site folder: {path!r}"))
    return path


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(Problem("another build is writing this folder; try again when it has finished", output)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_replaceable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise NcgError(Problem("the output path is a file, not a folder", output))
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise NcgError(
            Problem(
                "the output folder holds files this program did not write; refusing to replace it",
                output,
                hint="choose an empty or new folder with --out",
            )
        )


def write_site(files: Mapping[str, bytes], output: Path, keep: Iterable[str] = (), lock: bool = True) -> int:
    """Replace `output` with exactly `files` plus the files named in `keep`; returns how many files were written.

    A kept file is the previous site's file, hard-linked into the new site: its
    bytes, and so its modification time, stay as they were. A file that is
    neither written nor kept is gone from the new site. With `lock` false,
    the caller already holds the output's lock.
    """
    checked = {safe_relative(path): data for path, data in files.items()}
    kept = sorted(safe_relative(path) for path in keep if path not in files)
    with output_lock(output) if lock else nullcontext():
        check_replaceable(output)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
        try:
            # Plain strings below: a site holds tens of thousands of files.
            made: set[str] = {""}
            for relative in kept:
                make_folder(staging, relative, made)
                link_previous(os.path.join(output, relative), os.path.join(staging, relative))
            for relative, data in sorted(checked.items()):
                make_folder(staging, relative, made)
                with open(os.path.join(staging, relative), "wb") as handle:
                    handle.write(data)
            if (output / MARKER).is_file():
                link_previous(output / MARKER, staging / MARKER)
            else:
                (staging / MARKER).write_bytes(b"")
            os.chmod(staging, 0o755)
            swap_in(staging, output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return len(checked)


def make_folder(staging: Path, relative: str, made: set[str]) -> None:
    """Create the folder of site path `relative` inside `staging`, once."""
    folder = posixpath.dirname(relative)
    if folder not in made:
        os.makedirs(os.path.join(staging, folder), exist_ok=True)
        made.add(folder)


def link_previous(previous: str | Path, target: str | Path) -> None:
    try:
        os.link(previous, target)
    except FileNotFoundError:
        raise NcgError(Problem("a file of the previous site disappeared during the build; build again", Path(previous))) from None
    except OSError:
        shutil.copy2(previous, target)  # no hard links here: a copy keeps the bytes and the modification time


def swap_in(staging: Path, output: Path) -> None:
    """Put `staging` where `output` is, with the old site gone only once the new one is in place."""
    if not output.exists():
        staging.rename(output)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    retired.rmdir()
    output.rename(retired)
    try:
        staging.rename(output)
    except OSError:
        retired.rename(output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
