"""Benchmark: ncg-digest against Pelican on the same synthetic corpus, side by side.

    python bench/run.py                        # 1,000 and 10,000 articles, 3 runs each
    python bench/run.py --articles 50 --runs 1 --no-pelican   # the CI smoke test

For each corpus size it measures, as separate processes run the way a user runs
them: a cold build (no output, no cache), a rebuild with no change, a rebuild
after adding one article, a rebuild after changing the base template, and the
peak memory of a cold build (sampled in a cold build of its own, not timed).
Each figure is the median of --runs runs, and ncg-digest and Pelican take
turns, so a busy machine slows both alike. The table is printed in Markdown,
with Pelican's time divided by ours.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

SCENARIOS = ("cold build", "no-change rebuild", "add-one-article rebuild", "template-change rebuild")


@dataclass
class Run:
    seconds: float
    max_rss_mb: float  # the largest single process of the build
    peak_pss_mb: float  # all processes of the build together (shared pages counted once)


@dataclass
class Tool:
    name: str
    root: Path
    command: list[str]
    output: Path
    cache: Path
    template: Path
    add_article: Callable[[corpus.Article], Path]
    runs: dict[str, list[Run]] = field(default_factory=dict)
    memory: Run | None = None  # the cold build whose memory was sampled (not timed)

    def reset(self) -> None:
        for folder in (self.output, self.cache):
            shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------
# Measuring one process tree


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo += [int(c) for c in handle.read().split()]
        except OSError:
            continue
    return found


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path, *, sample: bool = False) -> Run:
    """Run `command` to completion: wall time, largest process RSS, and (with `sample`) sampled total PSS.

    Sampling reads the page tables of every process of the build every 50 ms, from
    this process, on the same two cores: it is done only for one cold build of each
    tool, not timed, so every timed run is undisturbed (see `bench_corpus`).
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample_pss() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(pss_kb(p) for p in descendants(process.pid)))
            done.wait(0.05)

    sampler = threading.Thread(target=sample_pss, daemon=True)
    if sample:
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    if sample:
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors}")
    return Run(seconds, usage.ru_maxrss / 1024, peak / 1024)


# --------------------------------------------------------------------------
# The two tools on one corpus


def ncg_tool(root: Path, articles: list[corpus.Article]) -> Tool:
    corpus.write_ncg_project(root, articles)
    return Tool(
        "ncg-digest",
        root,
        [sys.executable, "-m", "ncg_digest", "build", "--root", str(root)],
        root / "_site",
        root / ".cache",
        root / "templates" / "base.html",
        lambda a: corpus.write_ncg_article(root, a),
    )


def pelican_tool(root: Path, articles: list[corpus.Article]) -> Tool:
    corpus.write_pelican_project(root, articles)
    return Tool(
        "Pelican",
        root,
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
        root / "output",
        root / "cache",
        root / "theme" / "templates" / "base.html",
        lambda a: corpus.write_pelican_article(root, a),
    )


def change_template(path: Path, original: str, revision: int) -> None:
    path.write_text(original.replace("</body>", f"<!-- revision {revision} -->\n</body>", 1), encoding="utf-8")


def bench_corpus(count: int, runs: int, work: Path, with_pelican: bool) -> list[Tool]:
    articles = corpus.articles(count + runs)
    base, extra = articles[:count], articles[count:]
    for name in (f"ncg-{count}", f"pelican-{count}"):  # made afresh, so every run starts from the same corpus
        shutil.rmtree(work / name, ignore_errors=True)
    tools = [ncg_tool(work / f"ncg-{count}", base)]
    if with_pelican:
        tools.append(pelican_tool(work / f"pelican-{count}", base))
    for tool in tools:
        tool.runs = {s: [] for s in SCENARIOS}
    originals = {t.name: t.template.read_text(encoding="utf-8") for t in tools}
    # First, one cold build of each whose memory is sampled. Sampling reads the page tables of every process of
    # the build from this process, on the same cores, which slows a build that uses both (ncg-digest's cold
    # build by a tenth) far more than one that uses one: so no timed run is sampled. This build also leaves both
    # corpora read once before the timed runs, rather than just written.
    for tool in tools:
        tool.reset()
        tool.memory = measure(tool.command, tool.root, sample=True)
    for r in range(runs):
        for tool in tools:  # the tools take turns within each run
            tool.reset()
            tool.runs["cold build"].append(measure(tool.command, tool.root))
            tool.runs["no-change rebuild"].append(measure(tool.command, tool.root))
            tool.add_article(extra[r])
            tool.runs["add-one-article rebuild"].append(measure(tool.command, tool.root))
            change_template(tool.template, originals[tool.name], r + 1)
            tool.runs["template-change rebuild"].append(measure(tool.command, tool.root))
            print(f"  {count:,} articles, run {r + 1}/{runs}: {tool.name} done", file=sys.stderr, flush=True)
    return tools


# --------------------------------------------------------------------------
# Reporting


def median(values: list[float]) -> float:
    return statistics.median(values)


def cold_builds(tool: Tool) -> list[Run]:
    """The timed cold builds and the sampled one (only it has a PSS figure; every one has its largest process's)."""
    return tool.runs["cold build"] + ([tool.memory] if tool.memory else [])


def table(count: int, tools: list[Tool], runs: int) -> str:
    ours = tools[0]
    other = tools[1] if len(tools) > 1 else None
    head = f"| {count:,} articles (median of {runs}) | ncg-digest |"
    rule = "|---|---:|"
    if other:
        head += " Pelican 4.12 | Pelican ÷ ncg-digest |"
        rule += "---:|---:|"
    lines = [head, rule]
    for scenario in SCENARIOS:
        mine = median([r.seconds for r in ours.runs[scenario]])
        row = f"| {scenario} | {mine:.2f} s |"
        if other:
            theirs = median([r.seconds for r in other.runs[scenario]])
            row += f" {theirs:.2f} s | {theirs / mine:.1f}× |"
        lines.append(row)
    for label, attribute in (("peak memory, largest process (cold)", "max_rss_mb"), ("peak memory, all processes (cold, PSS)", "peak_pss_mb")):
        mine = max(getattr(r, attribute) for r in cold_builds(ours))
        row = f"| {label} | {mine:.0f} MB |"
        if other:
            theirs = max(getattr(r, attribute) for r in cold_builds(other))
            row += f" {theirs:.0f} MB | {theirs / mine:.1f}× |"
        lines.append(row)
    return "\n".join(lines)


def reference_seconds(runs: int = 3) -> float:
    """Seconds this machine takes for a fixed piece of pure-Python work (the median of `runs`).

    The machine's speed changes by tens of per cent within hours; printed at
    the start and the end of a run, this says how fast it was, so figures from
    different runs can be set side by side.
    """
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found: dict[int, int] = {}
        for n in range(2_000_000):
            found[n % 1000] = found.get(n % 1000, 0) + n
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def compile_sources(names: list[str]) -> None:
    """Byte-compile each package, as installing it from a wheel would.

    An editable install leaves that to the first import, and where the
    environment forbids writing bytecode (PYTHONDONTWRITEBYTECODE) every run
    would compile the package's source again: a cost no user of an installed
    package pays, and one only ncg-digest, installed editable here, would bear.
    """
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                compileall.compile_dir(folder, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, action="append", help="corpus size (repeatable; default 1000 and 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--no-pelican", action="store_true", help="measure ncg-digest only")
    parser.add_argument("--work", type=Path, default=None, help="folder for the corpora, made afresh in it and kept (default: a temporary folder, removed afterwards)")
    args = parser.parse_args(argv)
    with_pelican = not args.no_pelican
    if with_pelican and importlib.util.find_spec("pelican") is None:
        print("Pelican is not installed (pip install -e '.[bench]'); measuring ncg-digest only.", file=sys.stderr)
        with_pelican = False
    compile_sources(["ncg_digest", "pelican"] if with_pelican else ["ncg_digest"])
    work = args.work or Path(tempfile.mkdtemp(prefix="ncg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}; corpora in {work}", file=sys.stderr)
    before = reference_seconds()
    try:
        for count in args.articles or [1000, 10000]:
            tools = bench_corpus(count, args.runs, work, with_pelican)
            print(table(count, tools, args.runs) + "\n", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Machine speed: a fixed pure-Python task took {before:.2f} s before the runs and {reference_seconds():.2f} s after them.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
