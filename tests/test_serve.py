"""The preview server's live reload, without a browser: what it adds to pages and what it reports."""

from __future__ import annotations

import json
import urllib.request

from ncg_digest.serve import LiveReload, is_watched, serve_in_background, url_of, with_live_script


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url) as response:
        return response.headers["Content-Type"], response.read()


def test_the_script_tag_goes_before_the_end_of_the_body():
    page = b"<html><body><p>x</p></body>\n</html>\n"
    assert with_live_script(page, "/site/", 4) == (
        b'<html><body><p>x</p><script src="/site/__ncg-digest/live.js" data-status="/site/__ncg-digest/status" '
        b'data-build="4" defer></script>\n</body>\n</html>\n'
    )


def test_served_pages_get_the_script_and_the_status_tells_builds_and_errors(bundled_site):
    live = LiveReload()
    server, _ = serve_in_background(bundled_site.out, "/ncg-digest/", live=live)
    base = url_of(server, "/ncg-digest/")
    try:
        kind, body = fetch(base + "meetings/ncg-5.html")
        assert kind.startswith("text/html")
        built = (bundled_site.out / "meetings/ncg-5.html").read_bytes()
        assert body.count(b"<script src=") == 1 and b'src="/ncg-digest/__ncg-digest/live.js"' in body
        assert b"<script src=" not in built  # the built file runs no script (its JSON-LD is data)
        # The preview lets its own script run; the built file's policy forbids every script.
        assert b"script-src 'self'" in body and b"script-src 'none'" in built
        kind, script = fetch(base + "__ncg-digest/live.js")
        assert kind.startswith("text/javascript") and b"location.reload()" in script
        assert json.loads(fetch(base + "__ncg-digest/status")[1]) == {"build": 0, "error": None}
        live.failed("content/x.md:3: error: bad")
        assert json.loads(fetch(base + "__ncg-digest/status")[1]) == {"build": 0, "error": "content/x.md:3: error: bad"}
        live.succeeded()
        assert json.loads(fetch(base + "__ncg-digest/status")[1]) == {"build": 1, "error": None}
    finally:
        server.shutdown()
        server.server_close()


def test_without_live_reload_pages_are_served_exactly_as_built(bundled_site):
    server, _ = serve_in_background(bundled_site.out, "/")
    try:
        assert fetch(url_of(server) + "index.html")[1] == (bundled_site.out / "index.html").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_only_project_sources_trigger_a_rebuild(tmp_path):
    root = tmp_path
    assert is_watched(root, str(root / "content/articles/a.md"))
    assert is_watched(root, str(root / "seeds/new.txt"))
    assert is_watched(root, str(root / "templates/base.html"))
    assert is_watched(root, str(root / "content/site.yml"))
    for ignored in ("_site/index.html", ".cache/site.pickle", "content/articles/.ingest-x.tmp", "templates/base.html~", "README.md"):
        assert not is_watched(root, str(root / ignored)), ignored
