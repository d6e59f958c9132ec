"""The build: read → digest → render → write, and a one-line summary."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import Config
from .digest import Digest, digest
from .doubts import StrictFailure, doubts
from .errors import Problem
from .read import load_project
from .render import render_site
from .write import write_site


@dataclass(frozen=True)
class BuildReport:
    items: int
    meetings: int
    pages: int
    files: int
    seconds: float
    output: str
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def summary(self) -> str:
        return (
            f"Built {self.items} items and {self.meetings} meetings: {self.pages} pages "
            f"({self.files} files) written to {self.output} in {self.seconds:.2f} s"
        )


def build_digest(config: Config) -> Digest:
    project = load_project(config)
    return digest(project.records, project.items)


def build_site(config: Config, strict: bool = False) -> BuildReport:
    """Gather everything in memory first; only then write the output, all at once.

    Warnings come back in the report; with `strict` they fail the build before anything is written.
    """
    started = time.perf_counter()
    project = load_project(config)
    warnings = doubts(project.items)
    if strict and warnings:
        raise StrictFailure(warnings)
    result = digest(project.records, project.items)
    files = render_site(result, config)
    written = write_site(files, config.output)
    pages = sum(1 for path in files if path.endswith(".html"))
    return BuildReport(
        items=len(result.articles),
        meetings=len(result.meetings),
        pages=pages,
        files=written,
        seconds=time.perf_counter() - started,
        output=str(config.output),
        warnings=tuple(warnings),
    )
