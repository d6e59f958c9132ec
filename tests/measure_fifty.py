"""How long the digest takes when fifty reports cover one meeting.

Run: .venv/bin/python tests/measure_fifty.py

Builds a throw-away project in a temporary folder: fifty articles about the
fifth meeting, each made of twelve sentences drawn (with a fixed random seed)
from the two seed reports of that meeting and reworded with newswire
paraphrases. Prints the time to group the key points and to build the site,
and how many points were found. Times are CPU seconds of this process
(``time.process_time``), which other work on the machine barely changes,
with wall-clock seconds beside them.
"""

from __future__ import annotations

import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitekit import REPO, new_project  # noqa: E402

from ncg_digest.build import build_digest  # noqa: E402
from ncg_digest.keypoints import key_points, plain_text  # noqa: E402
from ncg_digest.read import load_vocabulary  # noqa: E402
from ncg_digest.text import split_sentences  # noqa: E402

REWORDINGS = (
    ("reaffirmed", "reiterated"),
    ("commitment", "pledge"),
    ("utilizing", "leveraging"),
    ("the full range of", "all categories of"),
    ("defense capabilities", "military capabilities"),
    ("stressed", "emphasized"),
    ("assume", "play"),
    ("enhance", "strengthen"),
    ("The allies", "Both sides"),
)


def pool() -> list[str]:
    sentences = []
    for path in sorted((REPO / "content" / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "\nmeeting: 5\n" in text:
            body = text.split("---", 2)[2]
            sentences += [s for p in plain_text(body) for s in split_sentences(p)]
    return sentences


def reworded(sentence: str, rng: random.Random) -> str:
    for old, new in REWORDINGS:
        if old in sentence and rng.random() < 0.5:
            sentence = sentence.replace(old, new)
    return sentence


def article(n: int, sentences: list[str], rng: random.Random) -> str:
    chosen = rng.sample(sentences, min(12, len(sentences)))
    body = "\n\n".join(reworded(s, rng) for s in chosen)
    body += f"\n\nCorrespondent {n} added that delegation aides toured site {n} before flying home."
    return (
        f"---\ntitle: Report {n} on the fifth NCG meeting\noutlet: Outlet {n}\npublished: 2025-12-{12 + n % 5:02d}\n"
        f"meeting: 5\nplace: Washington, D.C.\nrepublish: false\n---\n\n{body}\n"
    )


def timed(run):
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return result, f"{time.process_time() - cpu:.2f} s CPU ({time.perf_counter() - wall:.2f} s wall)"


def main() -> int:
    rng = random.Random(2025)
    sentences = pool()
    with tempfile.TemporaryDirectory() as folder:
        project = new_project(Path(folder) / "project")
        for n in range(50):
            project.write(f"content/articles/report-{n:02d}.md", article(n, sentences, rng))
        config = project.config()
        digest, digest_seconds = timed(lambda: build_digest(config))
        fifth = next(m for m in digest.meetings if m.number == 5)
        vocabulary = load_vocabulary(config)
        points, group_seconds = timed(lambda: key_points([(a.item, a.path) for a in fifth.articles], vocabulary))
        report, build_seconds = timed(project.build)
    shared = [p.count for p in points if p.count > 1]
    print(f"articles: {len(fifth.articles)}, candidate sentences grouped into {len(points) + points.unquoted} points")
    print(f"points shown: {len(points)}, single-source points not quoted: {points.unquoted}")
    print(f"sources per shared point: {shared}")
    print(f"key points of the meeting: {group_seconds}; read + whole digest: {digest_seconds}; full build: {build_seconds}")
    print(re.sub(r"\s+", " ", str(report)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
