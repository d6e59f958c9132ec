"""Property-based tests: whatever text or frontmatter arrives, the loader and ingest either succeed
or raise the program's own NcgError, which the command line prints as one line per problem."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ncg_digest.decode import decode_text
from ncg_digest.errors import NcgError
from ncg_digest.ingest import content_text, ingest, sha256_of
from ncg_digest.read import ITEM_FIELDS, item_from, load_project, parse_article
from ncg_digest.seeds import read_seed

from hostile import PAYLOADS
from sitekit import new_project

# Same examples on every CI run; a fresh search on a developer's machine. No example database in the repository.
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)
ON_DISK = settings(PROPERTY, max_examples=60)

ARTICLE = Path("content/articles/property.md")
SEED = Path("seeds/property.txt")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(),
    st.datetimes(min_value=dt.datetime(1, 1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.sampled_from(PAYLOADS),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
keys = st.sampled_from(ITEM_FIELDS + ("extra_field",)) | st.text(max_size=12)
frontmatters = st.dictionaries(keys, values, max_size=10)

# Characters that matter to YAML and Markdown, so random text reaches the parsers' corners.
yaml_ish = st.lists(
    st.sampled_from(list("-:[]{}&*!|>'\"#%@`,? \n\t\r\ufeff\x00aZ09é한") + ["---\n", "!!python/object ", "*a", "&a ", "title: ", "meeting: "]),
    max_size=60,
).map("".join)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return new_project(tmp_path_factory.mktemp("properties") / "project")


@pytest.fixture(scope="module")
def records(project):
    return load_project(project.config()).records


def read_back(text: str, records) -> None:
    """Parse and check `text` as an article; only NcgError may escape."""
    try:
        metadata, body = parse_article(text, ARTICLE)
    except NcgError:
        return
    item, problems = item_from(metadata, body, ARTICLE, records)
    assert (item is None) == bool(problems)
    assert all(p.path == ARTICLE for p in problems)


@PROPERTY
@given(text=st.text(max_size=300) | yaml_ish)
@example(text="---\n---\n")
@example(text="---\ntitle: x\n---")
@example(text="\ufeff---\ntitle: x\n---\n")
def test_any_text_as_an_article_gives_an_item_or_ncgerror(records, text):
    read_back(text, records)


@PROPERTY
@given(body=yaml_ish)
def test_any_frontmatter_text_gives_an_item_or_ncgerror(records, body):
    read_back(f"---\n{body}\n---\nBody.\n", records)


@PROPERTY
@given(fields=frontmatters)
@example(fields={"title": "x", "published": float("nan")})
@example(fields={"title": "x", "meeting": 10**12})
@example(fields={"title": "x", "people": [{"name": ["a"], "side": {"US": 1}}]})
@example(fields={"title": "x", "quotes": [{"text": None}]})
def test_any_frontmatter_mapping_gives_an_item_or_ncgerror(records, fields):
    try:
        dumped = yaml.safe_dump(fields, allow_unicode=True)
    except yaml.YAMLError:
        return
    read_back(f"---\n{dumped}---\nBody.\n", records)


@PROPERTY
@given(data=st.binary(max_size=300))
@example(data=b"\xef\xbb\xbf")
@example(data=b"\xff\xfe\x00")
@example(data=b"\xfe\xff\xd8\x00")
def test_any_bytes_decode_to_text_or_ncgerror(data):
    try:
        text = decode_text(data)
    except NcgError:
        return
    assert "\r" not in text


@ON_DISK
@given(data=st.binary(max_size=200) | yaml_ish.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_any_file_in_content_gives_a_site_or_ncgerror(project, data):
    path = project.root / ARTICLE
    path.write_bytes(data)
    try:
        load_project(project.config())
    except NcgError:
        pass
    finally:
        path.unlink()


@PROPERTY
@given(text=st.text(max_size=400) | st.lists(st.sampled_from(PAYLOADS + ("The allies held the fifth NCG meeting in Washington.", "\n\n", "Copyright Yonhap")), max_size=8).map(" ".join))
def test_what_ingest_writes_reads_back(project, records, text):
    """Whatever a seed holds, the content file ingest makes from it is read back, or refused with NcgError."""
    reading = read_seed(project.root / SEED, text, records.vocabulary, records.meetings)
    extraction = reading.extraction
    if not extraction.paragraphs:
        return
    written = content_text(reading, project.root / SEED, sha256_of(text.encode("utf-8", "surrogatepass")))
    metadata, body = parse_article(written, ARTICLE)
    item, problems = item_from(metadata, body, ARTICLE, records)
    assert (item is None) == bool(problems)
    if item is not None:
        assert item.title == extraction.title.strip()


@ON_DISK
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_ingest_of_any_seed_adds_a_file_or_raises_ncgerror(project, data):
    seed = project.root / SEED
    seed.write_bytes(data)
    articles = project.root / "content" / "articles"
    try:
        results = ingest(project.config())
        assert [r.written.parent for r in results] == [articles] * len(results)
    except NcgError:
        assert list(articles.iterdir()) == []
    finally:
        seed.unlink()
        shutil.rmtree(articles)
        articles.mkdir()


_SEGMENT = st.sampled_from(["articles", "topics", "a", "b", "index.html", "x.html", ".", ".."])


@given(
    folder=st.one_of(st.just("."), st.lists(_SEGMENT, min_size=1, max_size=3).map("/".join)),
    target=st.lists(_SEGMENT, min_size=1, max_size=4).map("/".join),
    trailing=st.booleans(),
)
def test_links_between_site_paths_are_the_ones_posixpath_gives(folder, target, trailing):
    """Every link on a page is made by relative_from_folder: its quick way agrees with posixpath.relpath."""
    import posixpath

    from ncg_digest.urls import relative_from_folder

    target += "/" if trailing else ""
    assert relative_from_folder(folder, target) == posixpath.relpath(target, folder)


_YAML_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20), st.dates())
_YAML_VALUE = st.recursive(_YAML_LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=20)


@given(value=st.dictionaries(st.text(max_size=12), _YAML_VALUE, max_size=6), flow=st.booleans())
@example(value={"<<": {"x": 1}}, flow=True)
def test_frontmatter_read_the_quick_way_is_read_as_the_full_loader_reads_it(value, flow):
    """libyaml's nodes are turned into values directly: the same values, and the same lines, as the guarded loader's."""
    from ncg_digest.read import LineDict, _LineLoader, load_with_lines

    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    quick, full = load_with_lines(text), yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    assert quick == full

    def lines(node):
        if isinstance(node, LineDict):
            return (node.line, node.key_lines, [lines(v) for v in node.values()])
        return [lines(v) for v in node] if isinstance(node, list) else None

    assert lines(quick) == lines(full)


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.text(max_size=8)), max_size=5))
def test_a_vocabulary_hashes_as_its_equals_do_and_pickles_to_its_fields_alone(pairs):
    """Its hash is kept once worked out: an equal vocabulary, made apart or read back, must hash the same,
    and what is worked out in one process (the hash among it) is not carried to another."""
    import pickle

    from ncg_digest.model import TopicDef, Vocabulary

    def made() -> Vocabulary:
        return Vocabulary(tuple(TopicDef(slug, name, "") for slug, name in pairs))

    vocabulary = made()
    vocabulary.topic("x")  # works out and keeps its index of topics
    assert hash(vocabulary) == hash(made()) and vocabulary == made()
    again = pickle.loads(pickle.dumps(vocabulary))
    assert again == vocabulary and hash(again) == hash(vocabulary)
    assert set(pickle.loads(pickle.dumps(vocabulary)).__dict__) == {"topics", "people", "outlets", "places"}
