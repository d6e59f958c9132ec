"""The README's two commands work on a fresh clone: they set everything up themselves."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from sitekit import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    if not (REPO / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    target = tmp_path_factory.mktemp("clone") / "ncg-digest"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    return target


def run(command, cwd, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTEST"))}
    environment.update(env)
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=900)


def test_make_site_builds_the_site_from_a_fresh_clone(fresh_clone):
    result = run(["make", "site"], fresh_clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Open _site/index.html in a browser." in result.stdout
    index = BeautifulSoup((fresh_clone / "_site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(index.select("ol.timeline > li")) == 8
    # The bundled seeds were already ingested: the clone's content is unchanged.
    status = run(["git", "status", "--porcelain"], fresh_clone)
    assert status.stdout.strip() == ""


def test_make_test_runs_the_suite_from_a_fresh_clone(fresh_clone):
    # The nested run skips the set-up tests themselves, which would recurse.
    result = run(["make", "test"], fresh_clone, PYTEST_ADDOPTS="-m 'not slow' -q -p no:cacheprovider")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
