"""Full-text search: a Pagefind index of the rendered pages, made at build time.

Pagefind (the ``pagefind[bin]`` package ships its binary) reads the rendered
HTML and writes a search bundle that runs in the browser. Only the parts of
pages marked ``data-pagefind-body`` are indexed: articles, meetings and
topics, not the navigation or the lists that repeat them.

The pages are handed to Pagefind in a temporary folder, and its bundle is
read back into memory, so the writer stays the only code that writes the
site. For the same pages Pagefind writes the same bytes (its file names are
hashes of their contents), so rebuilds stay byte-identical.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Mapping

from . import urls
from .errors import Problem, RenderError

BUNDLE = urls.SEARCH_BUNDLE.rstrip("/")
# Parts of Pagefind's bundle the search page does not load: its other two
# interfaces and the highlighter. Left out, they save about 240 KB.
UNUSED = ("pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


def wanted(name: str) -> bool:
    return not name.startswith(UNUSED)


def pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise RenderError(
            Problem("Pagefind is not installed, so the search index cannot be built", hint="pip install 'pagefind[bin]'")
        ) from None
    return Path(get_executable())


def search_bundle(files: Mapping[str, bytes], language: str) -> dict[str, bytes]:
    """The Pagefind bundle for the HTML among `files`, as ``{path: bytes}`` under ``pagefind/``."""
    executable = pagefind_executable()
    with tempfile.TemporaryDirectory(prefix="ncg-digest-search-") as temp:
        site, bundle = Path(temp) / "site", Path(temp) / BUNDLE
        for path, data in files.items():
            if path.endswith(".html"):
                target = site / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--keep-index-url", "--silent"]
        command += ["--force-language", language.split("-")[0].lower()]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip().splitlines()
            message = detail[-1] if detail else f"exit status {result.returncode}"
            raise RenderError(Problem(f"Pagefind could not build the search index: {message}"))
        return {
            f"{BUNDLE}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
            for p in sorted(bundle.rglob("*"))
            if p.is_file() and wanted(p.name)
        }
