"""The benchmark script, run on a tiny corpus as a smoke test (the real figures are in docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from sitekit import REPO


@pytest.mark.bench
def test_the_benchmark_runs_on_a_small_corpus_and_prints_its_table(tmp_path):
    args = [sys.executable, str(REPO / "bench" / "run.py"), "--articles", "50", "--runs", "1", "--work", str(tmp_path)]
    with_pelican = importlib.util.find_spec("pelican") is not None
    if not with_pelican:
        args.append("--no-pelican")
    done = subprocess.run(args, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    rows = {line.split("|")[1].strip(): line for line in done.stdout.splitlines() if line.startswith("| ") and "---" not in line}
    for scenario in ("cold build", "no-change rebuild", "add-one-article rebuild", "template-change rebuild"):
        assert re.search(r"\| \d+\.\d\d s \|", rows[scenario]), rows[scenario]
        if with_pelican:
            assert re.search(r"\| \d+\.\d× \|$", rows[scenario])
    assert re.search(r"\| \d+ MB \|", rows["peak memory, largest process (cold)"])
    assert re.search(r"^Machine speed: a fixed pure-Python task took \d+\.\d\d s before the runs and \d+\.\d\d s after them\.$", done.stdout, re.M)
    # The generated corpus is a valid project: every article became a page.
    assert len(list((tmp_path / "ncg-50" / "_site" / "articles").glob("*.html"))) == 51
