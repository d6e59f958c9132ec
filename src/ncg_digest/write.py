"""Writing the site: the only code that touches the output folder.

The new site is written into a folder beside the output and swapped in only
when every file is written, so a failed build leaves the previous site as it
was. A lock keeps two builds from writing the same output at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator, Mapping

from .errors import BuildLocked, NcgError, Problem

# A file in every output folder, so a build never replaces a folder it did not make.
MARKER = ".ncg-digest-site"


def safe_relative(path: str) -> PurePosixPath:
    """A site path that stays inside the output folder, or an error."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("..", ".", "") for part in pure.parts) or "\\" in path:
        raise NcgError(Problem(f"refusing to write outside the site folder: {path!r}"))
    return pure


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


def write_site(files: Mapping[str, bytes], output: Path) -> int:
    """Replace `output` with exactly `files`; returns how many files were written."""
    checked = {safe_relative(path): data for path, data in files.items()}
    with output_lock(output):
        check_replaceable(output)
        staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
        try:
            for relative, data in sorted(checked.items()):
                target = staging.joinpath(*relative.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            (staging / MARKER).write_bytes(b"")
            os.chmod(staging, 0o755)
            swap_in(staging, output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return len(checked)


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
