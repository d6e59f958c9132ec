"""Page keys: a fingerprint of what a template sees, equal for equal values and different for different ones."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from ncg_digest.cache import Fingerprinter


@dataclass(frozen=True)
class Pair:
    left: object
    right: object


@dataclass(frozen=True)
class One:
    only: object


plain = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1)))
values = st.recursive(
    plain,
    lambda inner: st.one_of(
        st.tuples(inner, inner),
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.builds(Pair, inner, inner),
        st.builds(One, inner),
    ),
    max_leaves=12,
)


@given(values, values)
def test_equal_values_have_equal_keys_and_different_values_different_keys(a, b):
    key = Fingerprinter({}).of
    assert key(a) == Fingerprinter({}).of(copy.deepcopy(a))
    if type(a) is type(b) and a == b and repr(a) == repr(b):
        assert key(a) == key(b)
    if repr(a) != repr(b):
        assert key(a) != key(b)


@given(values)
def test_a_part_keyed_first_gives_the_whole_the_same_key(value):
    """Keys are kept per object while a build runs: keying a shared part first changes nothing."""
    shared = Fingerprinter({})
    whole = [value, Pair(value, (value,))]
    shared.of(value)
    assert shared.of(whole) == Fingerprinter({}).of(copy.deepcopy(whole))


def test_the_values_page_keys_key_by_their_item_have_no_other_fields():
    """`BuildCache.page_keys` keys an article's page, its report and its source by the item and the page alone.

    A field added to one of these would not reach the key, and its pages would not be rendered again when it
    changed: this test fails first, so the key is extended with it.
    """
    from dataclasses import fields

    from ncg_digest.digest import ArticleDigest, ArticleRef, Source

    assert [f.name for f in fields(ArticleRef)] == ["item", "path"]
    assert [f.name for f in fields(ArticleDigest)] == ["item", "path", "meeting", "topics"]
    # An article's source is made from its item and its page, nothing else.
    assert [f.name for f in fields(Source)] == ["label", "page", "links", "wording"]
    item = type("Item", (), {"outlet": "Outlet", "title": "Title"})()
    assert ArticleRef(item, "articles/a.html").source == Source("Outlet", "articles/a.html")
