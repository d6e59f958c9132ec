"""Measuring the loader: per-field accuracy over a folder of articles with expected values.

Each article (`NAME.txt`, `NAME.md`, `NAME.html`) sits beside `NAME.expected.yml`,
which holds the frontmatter a careful reader would write for it:

    outlet: Yonhap News Agency
    title: S. Korea, U.S. to launch nuclear consultative body next week
    published: "2023-07-14 15:02"      # or null
    meeting: 1                          # or null
    place: Seoul                        # or null
    author: Choi Ji-won                 # optional: checked only when given
    co_chairs:
      - {name: Kim Tae-hyo, side: ROK}

The loader reads each article exactly as `ncg-digest ingest` would, and every
field is compared. A meeting number that is set but differs from the
expected one is counted as wrong; a blank is only a miss.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .errors import NcgError, Problem
from .model import Meeting, Vocabulary
from .read import load_yaml_file, read_text
from .seeds import SEED_SUFFIXES, read_seed

EXPECTED_SUFFIX = ".expected.yml"
FIELDS = ("outlet", "title", "published", "meeting", "place", "co-chair names", "co-chair sides", "author")
EXPECTED_KEYS = ("outlet", "title", "published", "meeting", "place", "co_chairs", "author")
REQUIRED_KEYS = ("outlet", "title", "published", "meeting", "place", "co_chairs")


@dataclass(frozen=True)
class Check:
    article: str
    field: str
    expected: Any
    got: Any

    @property
    def right(self) -> bool:
        return self.expected == self.got

    @property
    def blank(self) -> bool:
        return not self.right and self.got in (None, frozenset(), (), "")


@dataclass(frozen=True)
class Evaluation:
    checks: tuple[Check, ...]
    articles: int

    def of(self, name: str) -> list[Check]:
        return [c for c in self.checks if c.field == name]

    def accuracy(self, name: str | None = None) -> float:
        checks = self.of(name) if name else list(self.checks)
        return sum(c.right for c in checks) / len(checks) if checks else 1.0

    @property
    def wrong_meetings(self) -> list[Check]:
        """Meeting numbers set to a value other than the expected one (blanks are not counted)."""
        return [c for c in self.of("meeting") if not c.right and c.got is not None]

    @property
    def misses(self) -> list[Check]:
        return [c for c in self.checks if not c.right]


def expected_path(article: Path) -> Path:
    return article.with_name(article.stem + EXPECTED_SUFFIX)


def article_paths(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SEED_SUFFIXES and not p.name.endswith(EXPECTED_SUFFIX) and not p.name.startswith(".")
    )


def normalised(value: Any) -> Any:
    """Expected and extracted values in one form: text for dates, None for blanks."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        text = value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
        return text[:16]
    return value if isinstance(value, int) else str(value).strip()


def co_chairs_of(people: Any) -> dict[str, Any]:
    return {str(p.get("name")): p.get("side") for p in people or [] if isinstance(p, dict) and p.get("role", "co-chair") == "co-chair"}


def checks_for(name: str, expected: dict[str, Any], got: dict[str, Any]) -> list[Check]:
    checks = [
        Check(name, key, normalised(expected[key]), normalised(got.get(key)))
        for key in ("outlet", "title", "published", "meeting", "place", "author")
        if key in expected
    ]
    want, have = co_chairs_of(expected.get("co_chairs")), co_chairs_of(got.get("people"))
    checks.append(Check(name, "co-chair names", frozenset(want), frozenset(have)))
    # Sides are judged on the co-chairs found; with none found, the field is blank.
    judged = sorted(set(want) & set(have)) or sorted(want)
    checks.append(Check(name, "co-chair sides", tuple((n, want[n]) for n in judged), tuple((n, have[n]) for n in judged if n in have)))
    return checks


def load_expected(article: Path) -> dict[str, Any]:
    path = expected_path(article)
    if not path.exists():
        raise NcgError(Problem("no expected values for this article", article, hint=f"write them in {path.name}"))
    data = load_yaml_file(path)
    if not isinstance(data, dict):
        raise NcgError(Problem("expected values must be a mapping of field names to values", path, 1))
    problems = [Problem(f"unknown field {key!r}", path, data.line_of(key), hint="known fields: " + ", ".join(EXPECTED_KEYS)) for key in data if key not in EXPECTED_KEYS]
    problems += [Problem(f"missing {key!r} (write null when the article does not say)", path, 1) for key in REQUIRED_KEYS if key not in data]
    if problems:
        raise NcgError(problems)
    return dict(data)


def evaluate_folder(folder: Path, vocabulary: Vocabulary, meetings: Sequence[Meeting]) -> Evaluation:
    """Read every article in `folder` and compare it with its expected values."""
    if not folder.is_dir():
        raise NcgError(Problem("not a folder", folder, hint="give the folder holding the articles and their .expected.yml files"))
    paths = article_paths(folder)
    if not paths:
        raise NcgError(Problem("no articles (.txt, .md, .html) in this folder", folder))
    checks: list[Check] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            expected = load_expected(path)
            reading = read_seed(path, read_text(path), vocabulary, meetings)
        except NcgError as error:
            problems += error.problems
            continue
        checks += checks_for(path.name, expected, reading.frontmatter())
    if problems:
        raise NcgError(problems)
    return Evaluation(tuple(checks), len(paths))


def percent(value: float) -> str:
    return f"{100 * value:5.1f}%"


def format_table(evaluation: Evaluation) -> str:
    """The per-field accuracy as a Markdown table, then the overall figure and wrong meeting numbers."""
    rows = ["| field | right | blank | wrong | accuracy |", "|---|---:|---:|---:|---:|"]
    for name in FIELDS:
        checks = evaluation.of(name)
        if not checks:
            continue
        right = sum(c.right for c in checks)
        blank = sum(c.blank for c in checks)
        rows.append(f"| {name} | {right}/{len(checks)} | {blank} | {len(checks) - right - blank} | {percent(right / len(checks))} |")
    total = len(evaluation.checks)
    right = sum(c.right for c in evaluation.checks)
    rows.append(f"| **overall** | {right}/{total} | | | {percent(evaluation.accuracy())} |")
    rows.append("")
    rows.append(f"{evaluation.articles} articles; wrong meeting numbers: {len(evaluation.wrong_meetings)}")
    return "\n".join(rows)


def format_misses(evaluation: Evaluation) -> str:
    return "\n".join(f"{c.article}: {c.field}: expected {c.expected!r}, got {c.got!r}" for c in evaluation.misses)
