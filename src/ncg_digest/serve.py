"""A local preview server for the built site, rebuilt as you edit.

Serves the output folder on 127.0.0.1, optionally under a sub-path (as
GitHub project pages would, e.g. ``/ncg-digest/``), and answers unknown
paths with the site's own 404 page.

With live reload on, the server watches content/, seeds/ and templates/
(site.yml included), rebuilds on every change (ingesting new seeds first),
and tells open pages: each HTML page it serves gets one ``<script src>`` tag
for a small script of its own, which polls the build status, reloads the page
after a new build and shows a failed build's problems over the page until
they are fixed. The tag is added while serving only; the built files never
hold a script.
"""

from __future__ import annotations

import html
import http.server
import io
import json
import posixpath
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, TextIO
from urllib.parse import unquote, urlsplit

from .errors import NcgError
from .urls import NOT_FOUND

# Where the live-reload script and the build status are served, under the prefix.
LIVE_FOLDER = "__ncg-digest/"
LIVE_SCRIPT = LIVE_FOLDER + "live.js"
LIVE_STATUS = LIVE_FOLDER + "status"
WATCHED = ("content", "seeds", "templates")

LIVE_JS = """\
// Live reload for `ncg-digest serve`: polls the build status, reloads the page
// after each new build, and shows a failed build's problems until they are fixed.
(function () {
  "use strict";
  var me = document.currentScript;
  var statusUrl = me.getAttribute("data-status");
  var shown = me.getAttribute("data-build");
  var box = null;

  function show(text) {
    if (!box) {
      box = document.createElement("div");
      box.id = "ncg-digest-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;" +
        "padding:1em 1.5em;background:#fff4f4;color:#5c0000;border-top:4px solid #b00020;" +
        "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;z-index:2147483647";
      document.body.appendChild(box);
    }
    box.textContent = "The site could not be rebuilt:\\n\\n" + text +
      "\\n\\nFix the file and save it: this page updates by itself.";
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  function check() {
    fetch(statusUrl, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (String(status.build) !== shown) { location.reload(); return; }
        if (status.error) { show(status.error); } else { hide(); }
        setTimeout(check, 500);
      })
      .catch(function () { setTimeout(check, 1000); });  // server restarting: keep trying
  }

  check();
})();
"""


class LiveReload:
    """The state open pages are told about: the number of the last good build, and the last error."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.build = 0
        self.error: str | None = None

    def succeeded(self) -> None:
        with self._lock:
            self.build += 1
            self.error = None

    def failed(self, text: str) -> None:
        with self._lock:
            self.error = text

    def status(self) -> dict:
        with self._lock:
            return {"build": self.build, "error": self.error}


def with_live_script(html: bytes, prefix: str, build: int) -> bytes:
    """The page with the live-reload script tag added before ``</body>`` (or at the end).

    The pages' Content-Security-Policy forbids scripts; for the preview only, it
    lets the page run scripts from the preview server itself.
    """
    html = html.replace(b"script-src 'none'", b"script-src 'self'", 1)
    tag = (
        f'<script src="{prefix}{LIVE_SCRIPT}" data-status="{prefix}{LIVE_STATUS}" data-build="{build}" defer></script>\n'
    ).encode("utf-8")
    ends = [m.start() for m in re.finditer(rb"</body\s*>", html, re.I)]
    return html[: ends[-1]] + tag + html[ends[-1] :] if ends else html + tag


def normalize_prefix(prefix: str) -> str:
    """'/ncg-digest/' from 'ncg-digest', '/ncg-digest' or '/ncg-digest/'; '/' for none."""
    parts = [p for p in prefix.split("/") if p]
    return "/" + "/".join(parts) + "/" if parts else "/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix`; anything else is the 404 page with status 404."""

    prefix = "/"

    def __init__(self, *args, directory: str, prefix: str = "/", live: LiveReload | None = None, **kwargs):
        self.prefix = normalize_prefix(prefix)
        self.live = live
        super().__init__(*args, directory=directory, **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass  # quiet: a preview, not an access log

    def send_head(self):
        path = urlsplit(self.path).path
        if path + "/" == self.prefix:
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return None
        if not path.startswith(self.prefix):
            return self.not_found()
        if self.live is not None and path == self.prefix + LIVE_SCRIPT:
            return self.send_bytes(200, LIVE_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        if self.live is not None and path == self.prefix + LIVE_STATUS:
            return self.send_bytes(200, json.dumps(self.live.status()).encode("utf-8"), "application/json")
        self.path = "/" + path[len(self.prefix) :]
        local = Path(self.translate_path(self.path))
        if local.is_dir() and not (local / "index.html").is_file():
            return self.not_found()
        if not local.exists():
            return self.not_found()
        if self.live is not None:
            page = local / "index.html" if local.is_dir() and path.endswith("/") else local
            if page.suffix == ".html" and page.is_file():
                return self.send_bytes(200, self.with_script(page.read_bytes()), "text/html; charset=utf-8")
        return super().send_head()

    def with_script(self, html: bytes) -> bytes:
        assert self.live is not None
        return with_live_script(html, self.prefix, self.live.status()["build"])

    def send_bytes(self, status: int, body: bytes, content_type: str) -> io.BytesIO:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.live is not None:
            self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(body)

    def not_found(self):
        page = Path(self.directory) / NOT_FOUND
        if page.is_file():
            body = served_at(page.read_bytes(), self.prefix, urlsplit(self.requestline.split(" ")[1]).path)
        else:
            body = b"<!doctype html>\n<title>Not found</title>\n<p>Not found.</p>\n"
        if self.live is not None:
            body = self.with_script(body)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def translate_path(self, path: str) -> str:
        # Like the base class, but never outside the site folder.
        clean = posixpath.normpath(unquote(urlsplit(path).path))
        parts = [p for p in clean.split("/") if p and p not in (".", "..")]
        return str(Path(self.directory, *parts))


def served_at(not_found_page: bytes, prefix: str, requested: str) -> bytes:
    """The 404 page as sent for the unknown path `requested`.

    Its links are relative to the site root, but the browser resolves them from
    wherever the unknown path is (``meetings/ncg-9.html`` would look for
    ``meetings/style.css``), so a ``<base>`` points them at the root; links to a
    fragment of the page itself are pinned to the requested path so that they
    stay on it.
    """
    text = not_found_page.decode("utf-8")
    here = html.escape(requested, quote=True)
    text = text.replace('href="#', f'href="{here}#')
    text = text.replace("<head>", f'<head>\n<base href="{html.escape(prefix, quote=True)}">', 1)
    return text.encode("utf-8")


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(directory: Path, prefix: str = "/", host: str = "127.0.0.1", port: int = 0, live: LiveReload | None = None) -> PreviewServer:
    handler = partial(SiteHandler, directory=str(directory), prefix=prefix, live=live)
    return PreviewServer((host, port), handler)


def url_of(server: PreviewServer, prefix: str = "/") -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{normalize_prefix(prefix)}"


def serve_in_background(
    directory: Path, prefix: str = "/", port: int = 0, live: LiveReload | None = None
) -> tuple[PreviewServer, threading.Thread]:
    server = make_server(directory, prefix, port=port, live=live)
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    return server, thread


# --------------------------------------------------------------------------
# Watching the project and rebuilding


def is_watched(root: Path, path: str) -> bool:
    """A change worth a rebuild: a file under content/, seeds/ or templates/, not hidden or an editor's backup."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return False
    if not parts or parts[0] not in WATCHED:
        return False
    name = parts[-1]
    return not any(p.startswith(".") for p in parts) and not name.endswith(("~", ".swp", ".swx", ".tmp"))


@dataclass
class Preview:
    """Rebuilds the project in `root` when its files change, reporting to the terminal and to open pages.

    `rebuild` does the work (ingest new seeds if asked, then build) and returns
    the lines to print; any NcgError it raises is shown, and the last good
    site stays online.
    """

    root: Path
    rebuild: Callable[[bool], list[str]]
    out: TextIO
    err: TextIO
    live: LiveReload = field(default_factory=LiveReload)

    def run_build(self, seeds_changed: bool = False) -> bool:
        try:
            lines = self.rebuild(seeds_changed)
        except NcgError as error:
            text = "\n".join(str(p) for p in error.problems)
            print(text, file=self.err, flush=True)
            self.live.failed(text)
            return False
        except Exception as error:  # a bug must not stop the preview: say so, keep serving the last site
            text = f"internal error: {type(error).__name__}: {error}"
            print(text, file=self.err, flush=True)
            self.live.failed(text)
            return False
        for line in lines:
            print(line, file=self.out, flush=True)
        self.live.succeeded()
        return True

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild after each batch of changes, until `stop` is set (or Ctrl-C)."""
        import watchfiles

        root = self.root

        def relevant(change: watchfiles.Change, path: str) -> bool:
            return is_watched(root, path)

        for changes in watchfiles.watch(root, watch_filter=relevant, stop_event=stop, debounce=200, step=50):
            seeds = root / "seeds"
            seeds_changed = any(seeds in Path(path).parents for _, path in changes)
            names = sorted({Path(path).relative_to(root).as_posix() for _, path in changes})
            print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}", file=self.out, flush=True)
            self.run_build(seeds_changed)
