"""A YAML loader for files people write by hand, and for files written by someone hostile.

PyYAML's SafeLoader already refuses tags that would build Python objects
(``!!python/object`` and friends); this loader says so in words a user can
act on. It also refuses the "billion laughs": a few lines of anchors and
aliases (``&a`` / ``*a``) that expand into billions of values once anything
walks the result, and lists nested thousands deep, which would exhaust the
stack. Aliases are counted while the document is composed, by the
number of values each one stands for, and the document is refused as soon as
that count passes a limit — long before any expansion could take time or memory.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent

# Values that aliases may stand for in one document. Hand-written frontmatter
# rarely uses aliases at all; a billion-laughs document passes this at once.
MAX_ALIASED_VALUES = 10_000

# How deep lists and mappings may nest. Frontmatter needs three or four levels;
# thousands would exhaust Python's stack in the loader and everything after it.
MAX_DEPTH = 64

_STANDARD_TAG_PREFIX = "tag:yaml.org,2002:"


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:python/object`` as a user wrote it: ``!!python/object``."""
    return "!!" + tag[len(_STANDARD_TAG_PREFIX) :] if tag.startswith(_STANDARD_TAG_PREFIX) else tag


class _Refusals:
    """Constructors that turn what a safe loader refuses into words a user can act on."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date such as 2025-12-11; one that does not exist (2025-02-30) is a YAML error, not a crash."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as error:
            raise ConstructorError(None, None, f"{node.value!r} is not a real date ({error})", node.start_mark) from None

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise ConstructorError(
            None,
            None,
            f"the tag {short_tag(node.tag)!r} is not allowed; write plain text, numbers, dates, lists and mappings",
            node.start_mark,
        )


class GuardedLoader(_Refusals, yaml.SafeLoader):
    """SafeLoader that refuses unknown tags plainly and caps what aliases expand to."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self._aliased_values = 0
        self._open_anchors: set[str] = set()
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open_anchors:
                raise ComposerError(
                    None, None, f"the alias *{event.anchor} refers to a value that contains it", event.start_mark
                )
            target = self.anchors.get(event.anchor)
            if target is not None:
                self._count_aliased(target, event.start_mark)
            return super().compose_node(parent, index)
        event = self.peek_event()
        if self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"lists and mappings are nested more than {MAX_DEPTH} deep", event.start_mark)
        anchor = event.anchor
        if anchor is not None:
            self._open_anchors.add(anchor)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            self._open_anchors.discard(anchor)

    def _count_aliased(self, node: yaml.Node, mark: Any) -> None:
        """Add the values `node` stands for, stopping as soon as the limit is passed."""
        stack = [node]
        while stack:
            current = stack.pop()
            self._aliased_values += 1
            if self._aliased_values > MAX_ALIASED_VALUES:
                raise ComposerError(
                    None,
                    None,
                    f"aliases (*name) expand to more than {MAX_ALIASED_VALUES:,} values; refusing to load this document",
                    mark,
                )
            if isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)
            elif isinstance(current, yaml.MappingNode):
                for key, value in current.value:
                    stack.extend((key, value))



# libyaml's parser composes in C, where the guards above cannot reach, but it is
# several times faster; it is used for text that plainly needs no guard.
class FastGuardedLoader(_Refusals, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's SafeLoader with the same refusals; only for text `needs_no_guard` accepts."""


def needs_no_guard(text: str) -> bool:
    """True when `text` has no anchor or alias and cannot nest MAX_DEPTH deep.

    Every level of nesting needs a "[", a "{", a "?", a "-" before white space,
    or one more column of indentation, so their counts together bound the depth.
    """
    if "&" in text or "*" in text:
        return False
    indicators = sum(text.count(mark) for mark in ("[", "{", "?", "- ", "-\n", "-\t", "-\r"))
    if indicators >= MAX_DEPTH:
        return False
    indent = max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0)
    return indicators + indent < MAX_DEPTH


# SafeLoader registered its own construct_undefined for every tag it does not
# know (the None key); send those tags to the message above instead.
for _loader in (GuardedLoader, FastGuardedLoader):
    _loader.add_constructor(None, _Refusals.construct_undefined)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _Refusals.construct_yaml_timestamp)
