"""Every HTML file of the built site (and its stylesheet) passes the Nu HTML Checker with no error."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ncg_digest.serve import served_at
from pagekit import VNU, html_pages, require, require_java

# A page with two errors the checker must report, checked in the same run as
# the site, so a checker that silently checks nothing cannot pass.
BROKEN = """<!doctype html>
<html lang="en"><head><title>broken</title></head>
<body><p><div>a block inside a paragraph</div></p><img src="x.png"></body></html>
"""


def checker_messages(files: list[Path]) -> dict[Path, list[str]]:
    """Run vnu.jar once over `files`; the errors it reports, keyed by file, as `line:column: message`."""
    java = require_java()
    jar = require(VNU, "run `npm ci` in the repository to install the Nu HTML Checker (vnu-jar)")
    command = [java, "-jar", str(jar), "--errors-only", "--format", "json", "--also-check-css", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout)
    errors: dict[Path, list[str]] = {}
    for m in report["messages"]:
        path = Path(unquote(urlsplit(m.get("url", "")).path))
        where = f"{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
        errors.setdefault(path, []).append(f"{where}: {m.get('message')}")
    return errors


def test_every_page_is_valid_html(bundled_site, tmp_path):
    site = bundled_site.out
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    # The 404 page as the preview server sends it for an unknown address in a folder.
    served_404 = tmp_path / "served-404.html"
    served_404.write_bytes(served_at((site / "404.html").read_bytes(), "/ncg-digest/", "/ncg-digest/meetings/ncg-99.html"))
    pages = [site / p for p in html_pages(site)]
    assert len(pages) > 10

    errors = checker_messages([*pages, site / "style.css", served_404, broken])

    assert len(errors.pop(broken, [])) >= 2, "the checker did not report the errors of a known-broken page"
    report = [f"{path.name if path == served_404 else path.relative_to(site)}:{line}" for path, lines in sorted(errors.items()) for line in lines]
    assert report == []


def test_a_crowded_topic_page_and_its_listing_are_valid_html(crowded_site):
    pages = [crowded_site.out / "topics/guidelines.html", crowded_site.out / "topics/guidelines/ncg-4.html"]
    assert all(p.is_file() for p in pages)
    assert checker_messages(pages) == {}
