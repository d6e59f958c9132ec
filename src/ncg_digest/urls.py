"""Where each page lives in the output, and relative links between pages.

Every internal link is relative, so the same output works opened from disk,
served at a domain root or under a sub-path. Links name files, never bare
folders, because a browser reading from disk does not add ``index.html``.
"""

from __future__ import annotations

import functools
import posixpath

from .text import slugify

INDEX = "index.html"
ARTICLES = "articles/"  # the folder of article pages
TOPICS_INDEX = "topics/index.html"
PEOPLE_INDEX = "people/index.html"
NOT_FOUND = "404.html"
STYLESHEET = "style.css"
FAVICON = "favicon.svg"

# Files for readers' tools and for hosts.
SEARCH = "search.html"
SEARCH_SCRIPT = "search.js"
SEARCH_BUNDLE = "search/"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"
TIMELINE_JSON = "timeline.json"
CALENDAR = "meetings.ics"


def meeting_path(number: int) -> str:
    return f"meetings/ncg-{number}.html"


def article_path(slug: str) -> str:
    return f"{ARTICLES}{slug}.html"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.html"


def topic_group_path(slug: str, meeting: int | None) -> str:
    """The page listing every article on a topic from one meeting (or tied to none)."""
    return f"topics/{slug}/{f'ncg-{meeting}' if meeting is not None else 'no-meeting'}.html"


def person_path(name: str) -> str:
    return f"people/{slugify(name)}.html"


def relative(from_page: str, to_file: str) -> str:
    """The link from the page at `from_page` to `to_file` (both relative to the site root)."""
    fragment = ""
    if "#" in to_file:
        to_file, fragment = to_file.split("#", 1)
        fragment = "#" + fragment
        if not to_file:
            return fragment
    return relative_from_folder(posixpath.dirname(from_page) or ".", to_file) + fragment


@functools.lru_cache(maxsize=65536)
def relative_from_folder(folder: str, to_file: str) -> str:
    """``posixpath.relpath(to_file, folder)`` for site paths, without its trips to the file system.

    Pages share a handful of folders, so each (folder, target) pair is worked
    out once; a topic page links to thousands of articles, hence the quick way
    for plain paths (no empty, "." or ".." parts).
    """
    if folder == "." and _plain(to_file):
        return to_file
    if not _plain(folder) or not _plain(to_file):
        return posixpath.relpath(to_file, folder)
    start, target = folder.split("/"), to_file.split("/")
    shared = 0
    while shared < min(len(start), len(target)) and start[shared] == target[shared]:
        shared += 1
    return "/".join([".."] * (len(start) - shared) + target[shared:]) or "."


def _plain(path: str) -> bool:
    """A path of named parts only: no empty, "." or ".." part."""
    return bool(path) and all(part not in ("", ".", "..") for part in path.split("/"))


def absolute(base_url: str, path: str) -> str:
    """The address of `path` on a site hosted at `base_url` (which ends in "/").

    A folder's ``index.html`` is addressed as the folder, as hosts serve it.
    """
    if path == INDEX or path.endswith("/" + INDEX):
        path = path[: -len(INDEX)]
    return base_url + path
