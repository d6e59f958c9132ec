"""Lighthouse audit of the built site: the timeline, a meeting and an article.

Serves the output folder on 127.0.0.1 under /ncg-digest/, runs Lighthouse 12
(from node_modules, installed by `npm ci`) in headless Chromium on each page and
prints the four category scores. Exits 1 when a score is below its target:
accessibility, best practices and SEO 100, performance 95.

    python scripts/audit.py [--site _site] [--reports artifacts/lighthouse]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ncg_digest.serve import serve_in_background, url_of

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
PREFIX = "/ncg-digest/"
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-extensions"


@dataclass(frozen=True)
class Result:
    page: str
    scores: dict[str, int]  # category id -> 0..100
    shortfalls: list[str]  # audits that cost points outside performance
    metrics: str  # the performance timings, as Lighthouse words them


def largest(site: Path, folder: str) -> str:
    """The largest page in `folder`: it holds the most of what such a page can show."""
    pages = sorted(site.glob(f"{folder}/*.html"), key=lambda p: (-p.stat().st_size, p.name))
    if not pages:
        raise SystemExit(f"{site / folder}: no pages; build the site first (make build)")
    return pages[0].relative_to(site).as_posix()


def pages_to_audit(site: Path) -> list[str]:
    if not (site / "index.html").is_file():
        raise SystemExit(f"{site}/index.html not found; build the site first (make build)")
    return ["index.html", largest(site, "meetings"), largest(site, "articles")]


def chromium() -> str:
    for candidate in (os.environ.get("CHROME_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("Chromium not found: apt-get install chromium, or set CHROME_PATH")


def run_lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(TARGETS),
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": chromium()}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not report.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr.strip()}")
    return json.loads(report.read_text(encoding="utf-8"))


def result_of(page: str, lhr: dict) -> Result:
    scores = {cid: round((c["score"] or 0) * 100) for cid, c in lhr["categories"].items()}
    shortfalls = []
    for cid, category in lhr["categories"].items():
        if cid == "performance":
            continue
        for ref in category["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                shortfalls.append(f"{cid}: {audit['id']}: {audit['title']}")
    metrics = ", ".join(f"{lhr['audits'][m]['title']} {lhr['audits'][m]['displayValue']}" for m in METRICS if m in lhr["audits"])
    return Result(page, scores, shortfalls, metrics)


def table(results: list[Result]) -> str:
    names = list(TARGETS)
    width = max(len(r.page) for r in results)
    lines = [f"{'page':<{width}}  " + "  ".join(f"{n:>14}" for n in names)]
    for r in results:
        lines.append(f"{r.page:<{width}}  " + "  ".join(f"{r.scores.get(n, 0):>14}" for n in names))
    lines.append(f"{'target':<{width}}  " + "  ".join(f"{TARGETS[n]:>14}" for n in names))
    return "\n".join(lines)


def below_target(results: list[Result]) -> list[str]:
    return [f"{r.page}: {n} {r.scores.get(n, 0)} < {t}" for r in results for n, t in TARGETS.items() if r.scores.get(n, 0) < t]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=REPO / "_site", help="the built site (default: _site)")
    parser.add_argument("--reports", type=Path, default=REPO / "artifacts" / "lighthouse", help="where the JSON reports go")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} not found: run `npm ci` in {REPO}")
    args.reports.mkdir(parents=True, exist_ok=True)
    server, _ = serve_in_background(args.site, PREFIX)
    base = url_of(server, PREFIX)
    results = []
    try:
        for page in pages_to_audit(args.site):
            report = args.reports / (page.replace("/", "-").removesuffix(".html") + ".json")
            print(f"auditing {base}{page}", file=sys.stderr)
            results.append(result_of(page, run_lighthouse(base + page, report)))
    finally:
        server.shutdown()
        server.server_close()
    print(table(results))
    for r in results:
        print(f"{r.page}: {r.metrics}")
        for shortfall in r.shortfalls:
            print(f"{r.page}: {shortfall}")
    misses = below_target(results)
    for miss in misses:
        print(f"below target: {miss}")
    print(f"reports: {args.reports}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
