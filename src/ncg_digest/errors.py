"""The errors a user can act on.

Every problem names the file (and line, where there is one) in the form
compilers use, ``path:line:col: error: message``, so editors can jump to it.
The CLI maps :class:`NcgError` to exit status 1 and prints no traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in one input file."""

    message: str
    path: Path | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class NcgError(Exception):
    """Base of every error the program reports to the user."""

    exit_code = 1

    def __init__(self, problems: Problem | list[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SourceError(NcgError):
    """An input file (seed, article, data file) cannot be used as written."""

    def __init__(
        self,
        message: str,
        path: Path | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ):
        super().__init__(Problem(message, path, line, column, hint))


class ConfigError(NcgError):
    """The site configuration or a vocabulary file is wrong."""


class RenderError(NcgError):
    """A template failed to render."""


class BuildLocked(NcgError):
    """Another build is writing the same output folder."""
