"""The README documents what users type and edit."""

from __future__ import annotations

import re

from ncg_digest.cli import parser
from ncg_digest.read import ITEM_FIELDS

from sitekit import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make site" in first_block and "make test" in first_block


def test_every_frontmatter_field_is_documented():
    documented = set(re.findall(r"^\| `(\w+)` \|", README, re.M))
    assert set(ITEM_FIELDS) <= documented


def test_every_command_and_option_is_documented():
    top = parser()
    commands = top._subparsers._group_actions[0].choices  # argparse keeps sub-commands here
    for name, sub in commands.items():
        assert f"ncg-digest {name}" in README
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--"):
                    assert f"`{option}" in README, option


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
