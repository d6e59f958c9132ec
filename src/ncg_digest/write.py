"""Writing the site: the only code that touches the output folder.

New files are written into a folder beside the output and moved in only when
every one is written, so a failed build leaves the previous site as it was; a
journal lets the next build finish a change that was stopped part-way (see
:func:`write_site`). A lock keeps two builds from writing the same output at
once.
"""

from __future__ import annotations

import fcntl
import os
import posixpath
import shutil
import tempfile
from contextlib import contextmanager, nullcontext
from pathlib import Path
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, NamedTuple, Sequence

from .errors import BuildLocked, NcgError, Problem
from .parallel import on_threads

# A file in every output folder, so a build never replaces a folder it did not make.
MARKER = ".ncg-digest-site"
# In a staging folder: the new site's file list, written once every new file is staged (see write_site).
JOURNAL = ".ncg-digest-journal"
# Files are moved into the existing site one by one when at most one in this many is new; otherwise the
# whole site is staged and swapped in (moving thousands of files over old ones costs more than a swap).
IN_PLACE_SHARE = 4


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


class Staged(NamedTuple):
    """A file written into the build's staging folder already (by a render worker): its SHA-256, and the size
    and modification time it was written with (moving it into the site keeps them)."""

    sha: str
    size: int
    mtime_ns: int


@dataclass
class Staging:
    """The folder beside the output where a build writes its new files before they go in (see write_site).

    A large build makes it before rendering, so the render workers write the pages there themselves
    rather than send them to the main process; `paths` are the files they wrote.
    """

    folder: Path
    paths: set[str] = field(default_factory=set)

    @classmethod
    def beside(cls, output: Path) -> Staging:
        output.parent.mkdir(parents=True, exist_ok=True)
        return cls(Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent)))

    def read(self, path: str) -> bytes:
        return (self.folder / path).read_bytes()

    def discard(self) -> None:
        """Remove what is left of the folder (nothing, once write_site has moved it in).

        A folder with its journal is a change under way: it stays, for the next build to carry through.
        """
        if not (self.folder / JOURNAL).exists():
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def staging_for(output: Path, wanted: bool) -> Iterator[Staging | None]:
    """A staging folder for the build's new files when `wanted` (else None), gone by the end of the block."""
    staging = Staging.beside(output) if wanted else None
    try:
        yield staging
    finally:
        if staging is not None:
            staging.discard()


def stage_files(folder: str, files: Mapping[str, bytes]) -> dict[str, os.stat_result]:
    """Write site files into a staging folder (which render workers may be writing into at the same time);
    the status of each file written."""
    checked = sorted((safe_relative(path), data) for path, data in files.items())
    made: set[str] = {""}
    for relative, _ in checked:
        make_folder(Path(folder), relative, made)  # exist_ok: another worker may make the same folder
    return dict(zip([relative for relative, _ in checked], write_files(folder, checked)))


def write_site(
    files: Mapping[str, bytes | Staged], output: Path, keep: Iterable[str] = (), lock: bool = True, staged: Staging | None = None
) -> int:
    """Make `output` hold exactly `files` plus the files named in `keep`; returns how many files were written.

    A kept file is the previous site's file, left as it is: its bytes, and so
    its modification time, stay. A file that is neither written nor kept is
    gone from the new site. With `lock` false, the caller already holds the
    output's lock.

    Every new file is written into a staging folder beside the output first,
    so a build that fails while writing leaves the previous site as it was.
    Then, when most of the site is new, the staging folder gets hard links
    to the kept files and replaces the output whole. When few files change,
    the staged files are moved into the site one by one instead, after a
    journal naming the new site's files is written: a build stopped part-way
    is finished by the next one (:func:`finish_interrupted`) before it does
    anything else. A rebuild that changes ten files of ten thousand so
    touches ten files, not the whole folder.

    With `staged`, the staging folder was made before rendering, and the
    files given as `Staged` are in it already; any other file in it (a page
    rendered again to the bytes it had) is removed, so the old file stays.
    """
    checked = {safe_relative(path): data for path, data in files.items()}
    kept = sorted(safe_relative(path) for path in keep if path not in files)
    with output_lock(output) if lock else nullcontext():
        check_replaceable(output)
        finish_interrupted(output, staged.folder if staged is not None else None)
        in_place = (output / MARKER).is_file() and len(checked) * IN_PLACE_SHARE <= len(checked) + len(kept)
        staging = staged.folder if staged is not None else Staging.beside(output).folder
        try:
            if staged is not None:
                unwanted = [relative for relative in staged.paths if not isinstance(checked.get(relative), Staged)]
                on_threads(lambda relative: os.unlink(os.path.join(staging, relative)), unwanted)
            stage_files(str(staging), {relative: data for relative, data in checked.items() if not isinstance(data, Staged)})
            if in_place:
                write_journal(staging, sorted({*checked, *kept}))
            else:
                made: set[str] = {""}  # plain strings below: a site holds tens of thousands of files
                for relative in kept:
                    make_folder(staging, relative, made)
                on_threads(lambda relative: link_previous(os.path.join(output, relative), os.path.join(staging, relative)), kept)
                if (output / MARKER).is_file():
                    link_previous(output / MARKER, staging / MARKER)
                else:
                    (staging / MARKER).write_bytes(b"")
                os.chmod(staging, 0o755)
                swap_in(staging, output)
                return len(checked)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        try:
            present = apply_staged(staging, output)
        except KeyboardInterrupt:
            apply_staged(staging, output)  # finish the few moves left, then stop
            raise
    # Checked once the site is listed anyway: the next build, finding the file missing, makes it again.
    missing = next((relative for relative in kept if relative not in present), None)
    if missing is not None:
        raise NcgError(Problem("a file of the previous site disappeared during the build; build again", output / missing))
    return len(checked)


def write_files(folder: str, files: Sequence[tuple[str, bytes]]) -> list[os.stat_result]:
    """Write each (site path, bytes) under `folder`, whose subfolders already exist; the status of each file
    once written."""

    def write(file: tuple[str, bytes]) -> os.stat_result:
        relative, data = file
        fd = os.open(os.path.join(folder, relative), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            return os.fstat(fd)
        finally:
            os.close(fd)

    return on_threads(write, files)


def write_journal(staging: Path, paths: list[str]) -> None:
    """Name every file of the new site; from the moment it exists, the change is carried through."""
    temporary = staging / f"{JOURNAL}.partial"
    temporary.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
    os.replace(temporary, staging / JOURNAL)


def apply_staged(staging: Path, output: Path) -> set[str]:
    """Remove the files the journal does not name, move the staged files in, then drop the staging folder.

    Each step can be repeated: a staged file already moved is no longer in the
    staging folder, and a removed file is no longer in the site. Returns the
    site's files as they are then (its marker aside).
    """
    wanted = set((staging / JOURNAL).read_text(encoding="utf-8").splitlines())
    wanted.add(MARKER)
    emptied: set[str] = set()
    present: set[str] = set()
    for relative in site_files(output):
        if relative not in wanted:
            os.unlink(os.path.join(output, relative))
            emptied.add(posixpath.dirname(relative))
        else:
            present.add(relative)
    for folder in sorted(emptied, key=lambda f: -f.count("/")):
        while folder:  # remove folders left empty, innermost first
            try:
                os.rmdir(os.path.join(output, folder))
            except OSError:
                break
            folder = posixpath.dirname(folder)
    made: set[str] = {""}
    moving = [relative for relative in site_files(staging) if relative in wanted]
    for relative in moving:
        make_folder(output, relative, made)
    on_threads(lambda relative: os.replace(os.path.join(staging, relative), os.path.join(output, relative)), moving)
    shutil.rmtree(staging, ignore_errors=True)
    return present.union(moving)


def finish_interrupted(output: Path, current: Path | None = None) -> None:
    """Carry through a change an earlier build journalled but did not finish; drop any other folder it left.

    `current` is this build's own staging folder, left alone.
    """
    for leftover in sorted(output.parent.glob(f".{output.name}.new-*")):
        if leftover == current:
            continue
        if (leftover / JOURNAL).is_file() and (output / MARKER).is_file():
            apply_staged(leftover, output)
        else:
            shutil.rmtree(leftover, ignore_errors=True)
    for retired in output.parent.glob(f".{output.name}.old-*"):
        shutil.rmtree(retired, ignore_errors=True)


def site_files(folder: Path) -> list[str]:
    """Every file under `folder` as a site path ('a/b.html'), journal and marker aside."""
    found: list[str] = []

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif prefix or entry.name not in (MARKER, JOURNAL):
                    found.append(prefix + entry.name)

    walk(str(folder), "")
    return found


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
    remove_tree(retired)


def remove_tree(folder: Path) -> None:
    """Remove `folder` and everything in it, as far as possible (the previous site, once replaced).

    Its files are removed on several threads (see parallel.on_threads), then its folders, innermost first.
    """
    files: list[str] = []
    folders: list[str] = []
    for directory, subfolders, names in os.walk(folder):
        folders.append(directory)
        files += [os.path.join(directory, name) for name in names]
        files += [os.path.join(directory, name) for name in subfolders if os.path.islink(os.path.join(directory, name))]

    def unlink(path: str) -> None:
        try:
            os.unlink(path)
        except OSError:
            pass

    on_threads(unlink, files)
    for directory in reversed(folders):
        try:
            os.rmdir(directory)
        except OSError:
            pass
