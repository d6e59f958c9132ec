"""A local preview server for the built site.

Serves the output folder on 127.0.0.1, optionally under a sub-path (as
GitHub project pages would, e.g. ``/ncg-digest/``), and answers unknown
paths with the site's own 404 page.
"""

from __future__ import annotations

import html
import http.server
import posixpath
import threading
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .urls import NOT_FOUND


def normalize_prefix(prefix: str) -> str:
    """'/ncg-digest/' from 'ncg-digest', '/ncg-digest' or '/ncg-digest/'; '/' for none."""
    parts = [p for p in prefix.split("/") if p]
    return "/" + "/".join(parts) + "/" if parts else "/"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix`; anything else is the 404 page with status 404."""

    prefix = "/"

    def __init__(self, *args, directory: str, prefix: str = "/", **kwargs):
        self.prefix = normalize_prefix(prefix)
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
        self.path = "/" + path[len(self.prefix) :]
        local = Path(self.translate_path(self.path))
        if local.is_dir() and not (local / "index.html").is_file():
            return self.not_found()
        if not local.exists():
            return self.not_found()
        return super().send_head()

    def not_found(self):
        page = Path(self.directory) / NOT_FOUND
        if page.is_file():
            body = served_at(page.read_bytes(), self.prefix, urlsplit(self.requestline.split(" ")[1]).path)
        else:
            body = b"Not found"
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


def make_server(directory: Path, prefix: str = "/", host: str = "127.0.0.1", port: int = 0) -> PreviewServer:
    handler = partial(SiteHandler, directory=str(directory), prefix=prefix)
    return PreviewServer((host, port), handler)


def url_of(server: PreviewServer, prefix: str = "/") -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{normalize_prefix(prefix)}"


def serve_in_background(directory: Path, prefix: str = "/", port: int = 0) -> tuple[PreviewServer, threading.Thread]:
    server = make_server(directory, prefix, port=port)
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    return server, thread
