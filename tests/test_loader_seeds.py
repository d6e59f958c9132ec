"""The loader on the three seed articles: every cell of the expected table."""

from __future__ import annotations

import datetime as dt

import pytest

from ncg_digest.extract import extract
from ncg_digest.read import load_config, load_vocabulary

from sitekit import REPO

SEEDS = REPO / "seeds"
EXPECTED = {
    "000_65e6f93b41ceedc0.txt": {
        "outlet": "Yonhap News Agency",
        "headline": None,
        "published": None,
        "meeting": 5,
        "place": "Washington, D.C.",
        "co_chairs": {("Kim Hong-cheol", "ROK", None), ("Robert Soofer", "US", None)},
        "not_in_body": ["File Photo by Yonhap", "This Oct. 29 file photo", "Copyright (c)"],
    },
    "001_7f855993934732e6.txt": {
        "outlet": "Asiatoday",
        "headline": "Korea leads conventional defense at first NCG",
        "published": dt.datetime(2025, 12, 12, 9, 16),
        "meeting": 5,
        "place": "Washington, D.C.",
        "co_chairs": {("Kim Hong-cheol", "ROK", None), ("Robert Soofer", "US", None)},
        "not_in_body": ["print page", "facebook share", "tweet share", "/ Source: Ministry of National Defense", "#South Korea", "Copyright by"],
    },
    "002_688e57e9e41887e4.txt": {
        "outlet": "CHATNEWSTV",
        "headline": None,
        "published": None,
        "meeting": 4,
        "place": "Washington, D.C.",
        "co_chairs": {("Cho Chang-rae", "ROK", "Cho Chang Lae"), ("Cara Abercrombie", "US", None)},
        "not_in_body": ["Editor:", "Gabriel Ani"],
    },
}


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(load_config(REPO))


@pytest.fixture(scope="module")
def extracted(vocabulary):
    return {name: extract((SEEDS / name).read_text(encoding="utf-8"), vocabulary) for name in EXPECTED}


@pytest.mark.parametrize("name", EXPECTED)
def test_outlet(extracted, name):
    assert extracted[name].outlet == EXPECTED[name]["outlet"]


@pytest.mark.parametrize("name", EXPECTED)
def test_title(extracted, name):
    e = extracted[name]
    headline = EXPECTED[name]["headline"]
    if headline:
        assert e.title == headline
    else:
        # No headline in the text: the title comes from the lead sentence, never from a caption.
        lead = e.paragraphs[0]
        assert lead.startswith(e.title.rstrip("…"))
        assert len(e.title) >= 40
        assert "photo" not in e.title.casefold()


@pytest.mark.parametrize("name", EXPECTED)
def test_published(extracted, name):
    assert extracted[name].published == EXPECTED[name]["published"]


@pytest.mark.parametrize("name", EXPECTED)
def test_meeting(extracted, name):
    assert extracted[name].meeting == EXPECTED[name]["meeting"]


@pytest.mark.parametrize("name", EXPECTED)
def test_place(extracted, name):
    assert extracted[name].place == EXPECTED[name]["place"]


@pytest.mark.parametrize("name", EXPECTED)
def test_co_chairs(extracted, name):
    got = {(p.name, p.side, p.written) for p in extracted[name].co_chairs}
    assert got == EXPECTED[name]["co_chairs"]


@pytest.mark.parametrize("name", EXPECTED)
def test_republish_is_false_for_news(extracted, name):
    assert extracted[name].republish is False


@pytest.mark.parametrize("name", EXPECTED)
def test_body_excludes_furniture(extracted, name):
    body = "\n".join(extracted[name].paragraphs)
    for furniture in EXPECTED[name]["not_in_body"]:
        assert furniture not in body
    assert "Nuclear Consultative Group" in body


def test_rights_notices_are_kept(extracted):
    assert extracted["000_65e6f93b41ceedc0.txt"].rights.startswith("Copyright (c) Yonhap News Agency")
    assert extracted["001_7f855993934732e6.txt"].rights == "Copyright by Asiatoday"
    assert extracted["002_688e57e9e41887e4.txt"].rights is None


def test_titles_and_people_details(extracted):
    yonhap = {p.name: p for p in extracted["000_65e6f93b41ceedc0.txt"].people}
    assert yonhap["Kim Hong-cheol"].title == "deputy minister for national defense policy"
    assert yonhap["Donald Trump"].role == "other"
    asiatoday = {p.name: p for p in extracted["001_7f855993934732e6.txt"].people}
    assert asiatoday["Kim Hong-cheol"].title.startswith("director general for defense policy")
    chat = {p.name: p for p in extracted["002_688e57e9e41887e4.txt"].people}
    assert chat["Cho Chang-rae"].title == "Deputy Minister for National Defense Policy"


def test_topics_merge_synonyms(extracted):
    # "conventional-nuclear integration", "conventional and nuclear integration (CNI)" and
    # "nuclear and conventional integration" are one topic.
    for e in extracted.values():
        assert "conventional-nuclear-integration" in e.topics
        assert "extended-deterrence" in e.topics


def test_quotes_have_speakers(extracted):
    quotes = extracted["002_688e57e9e41887e4.txt"].quotes
    speakers = [q.speaker for q in quotes]
    assert speakers == ["a U.S. official", "a South Korean defense official", "Cara Abercrombie"]
    assert quotes[0].text.startswith("The NCG is a tangible symbol")
    assert "By working closely with South Korea" in quotes[0].text


def test_summary_comes_from_the_lead(extracted):
    for e in extracted.values():
        assert e.summary and e.paragraphs[0].startswith(e.summary.rstrip("…")[:60])
