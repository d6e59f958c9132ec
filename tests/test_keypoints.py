"""Grouping sentences by meaning, as pure functions on items."""

from __future__ import annotations


import pytest

from ncg_digest.keypoints import MAX_GROUPED_REPORTS, Lexicon, key_points, plain_text, stem, terms_of
from ncg_digest.model import Item
from ncg_digest.read import load_config, load_vocabulary

from sitekit import REPO


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(load_config(REPO))


def item(slug: str, outlet: str, body: str, republish: bool = False) -> tuple[Item, str]:
    return Item(slug=slug, title=slug, outlet=outlet, body=body, republish=republish), f"articles/{slug}.html"


def test_the_stemmer_makes_word_forms_one_term():
    assert stem("providing") == stem("provided") == stem("provides") == stem("provide")
    assert stem("planned") == stem("plans") == "plan"
    assert stem("capabilities") == "capability"
    assert stem("us") == "us"


def test_paraphrases_and_topic_synonyms_become_the_same_terms(vocabulary):
    lexicon = Lexicon.of(vocabulary)
    a, _, topics_a = terms_of("CNI tabletop exercises reaffirmed by the United States", lexicon)
    b, _, topics_b = terms_of("table-top exercises on conventional and nuclear integration reiterated by the U.S.", lexicon)
    assert topics_a == topics_b == {"conventional-nuclear-integration", "exercises-and-simulations"}
    assert set(a) == set(b)


def test_the_issue_example_is_one_point(vocabulary):
    points = key_points(
        [
            item("yonhap", "Yonhap", "According to a joint press statement, Soofer reiterated the U.S. commitment to provide extended deterrence to South Korea, utilizing the full range of U.S. defense capabilities, including nuclear."),
            item("asiatoday", "Asiatoday", "The United States, for its part, reaffirmed its pledge to provide extended deterrence to South Korea by leveraging all categories of U.S. military capabilities, including nuclear weapons."),
        ],
        vocabulary,
    )
    assert len(points) == 1
    assert points.points[0].outlets == ("Yonhap", "Asiatoday")
    assert points.points[0].total_sources == 2


def test_unrelated_sentences_stay_apart(vocabulary):
    points = key_points(
        [
            item("a", "A", "The allies approved future plans and activities for the next meeting in Seoul."),
            item("b", "B", "South Korea will take the leading role in the conventional defense of the peninsula."),
        ],
        vocabulary,
    )
    assert [p.count for p in points] == [1, 1]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("The fifth NCG meeting was held in Washington with officials of both ministries.", "The sixth NCG meeting will be held in Washington with officials of both ministries."),
        ("The allies held talks in Washington in 2024 with officials of both ministries.", "The allies held talks in Washington in 2025 with officials of both ministries."),
        ("The talks were led by Vipin Narang with officials of both ministries present.", "The talks were led by Robert Soofer with officials of both ministries present."),
    ],
)
def test_sentences_that_differ_in_numbers_or_people_are_not_merged(vocabulary, one, other):
    points = key_points([item("a", "A", one), item("b", "B", other)], vocabulary)
    assert [p.count for p in points] == [1, 1]


def test_a_point_takes_one_sentence_per_article(vocabulary):
    sentence = "The United States reaffirmed its commitment to extended deterrence using the full range of its capabilities."
    points = key_points([item("a", "A", f"{sentence}\n\nIt also said that the {sentence[4:]}", True), item("b", "B", sentence, True)], vocabulary)
    assert sorted(p.count for p in points) == [1, 2]


def test_near_empty_sentences_glosses_and_quotations_are_left_out(vocabulary):
    body = "\n\n".join(
        [
            "The ministry said so.",
            "ROK is the acronym of South Korea's official name, the Republic of Korea.",
            "“We will stand together against any nuclear threat from the North,” the minister said.",
            "Copyright (c) Example News, all rights reserved and more words here.",
            "The allies agreed to expand tabletop exercises on nuclear contingencies next year.",
        ]
    )
    points = key_points([item("a", "A", body)], vocabulary)
    assert [p.lead.text for p in points] == ["The allies agreed to expand tabletop exercises on nuclear contingencies next year."]


def test_quotation_budget_limits_what_is_quoted_from_news(vocabulary):
    body = "\n\n".join(f"Officials discussed workstream number {n} on deterrence planning in great detail today." for n in range(10))
    news = key_points([item("news", "News", body)], vocabulary)
    free = key_points([item("gov", "Gov", body, republish=True)], vocabulary)
    assert len(news) == 5 and news.unquoted == 5
    assert len(free) == 10 and free.unquoted == 0


def test_markdown_is_read_as_prose():
    assert plain_text("# Heading\n\nSome *emphasis* and a [link](https://example.org).\n\n- a list item") == [
        "Some emphasis and a link.",
        "a list item",
    ]


def test_fifty_reports_of_one_meeting_group_into_their_points_from_the_earliest(vocabulary):
    """Beyond MAX_GROUPED_REPORTS reports, the earliest are grouped by their opening sentences, and the page says so."""
    wordings = [
        [
            "The United States reaffirmed its commitment to provide extended deterrence using the full range of its capabilities, including nuclear.",
            "Washington reiterated its pledge of extended deterrence, leveraging all categories of U.S. military capabilities, including nuclear weapons.",
            "The U.S. renewed its commitment to extended deterrence utilizing the full range of U.S. defense capabilities, including nuclear.",
        ],
        [
            "South Korea will assume the leading role in the conventional defense of the Korean Peninsula.",
            "Seoul stressed it will play a leading role in conventional defense on the Korean Peninsula.",
        ],
        [
            "Both sides assessed that CNI tabletop exercises enhance the alliance's decision-making in nuclear contingencies.",
            "The allies said conventional-nuclear integration table-top exercises help enhance cooperative decision-making for potential nuclear contingencies.",
        ],
    ]
    articles = []
    for n in range(50):
        sentences = [options[n % len(options)] for options in wordings]
        sentences.append(f"Reporter {n} noted that the delegation number {n} toured facility {n} near the capital afterwards.")
        articles.append(item(f"report-{n}", f"Outlet {n}", "\n\n".join(sentences)))
    points = key_points(articles, vocabulary)
    assert points.drawn_from == MAX_GROUPED_REPORTS == 20
    assert [p.count for p in points.points[:3]] == [20, 20, 20]
    assert all(p.count == 1 for p in points.points[3:])
    assert {w.path for p in points for w in p.wordings} == {f"articles/report-{n}.html" for n in range(20)}
    assert key_points(articles[:20], vocabulary).drawn_from == 0  # all grouped: nothing to say


def test_key_points_kept_between_builds_are_the_ones_made_afresh(vocabulary):
    """The build cache keeps key points as a plan naming articles by number; joined again, they are equal."""
    from ncg_digest.digest import Memo
    from ncg_digest.keypoints import plan_of, points_of

    body = (
        "The United States reaffirmed its commitment to extended deterrence using the full range of its capabilities.\n\n"
        "South Korea will assume the leading role in the conventional defense of the Korean Peninsula."
    )
    other = (
        "Washington reiterated its pledge of extended deterrence, leveraging all categories of U.S. military capabilities.\n\n"
        "Officials toured a submarine base near Busan after the talks ended on schedule."
    )
    articles = [item("a", "Outlet A", body), item("b", "Outlet B", other, republish=True)]
    lexicon = Lexicon.of(vocabulary)
    fresh = key_points(articles, vocabulary, lexicon)
    assert fresh.points and fresh.points[0].count == 2
    assert points_of(plan_of(fresh, articles), articles) == fresh

    memo = Memo()
    assert memo.key_points(articles, vocabulary, lexicon) == fresh and memo.added == 1
    kept = Memo(dict(memo.plans))
    assert kept.key_points(articles, vocabulary, lexicon) == fresh and kept.added == 0
    # A changed report is a different key: made afresh, never the kept plan.
    edited = [articles[0], item("b", "Outlet B", other.replace("Busan", "Jinhae"), republish=True)]
    assert kept.key_points(edited, vocabulary, lexicon) == key_points(edited, vocabulary, lexicon) and kept.added == 1


def test_many_meetings_are_grouped_on_every_core_with_the_same_result(vocabulary):
    from ncg_digest.keypoints import plans_for

    sentences = [
        "The United States reaffirmed its commitment to extended deterrence using the full range of its capabilities.",
        "Washington reiterated its pledge of extended deterrence, leveraging all categories of U.S. military capabilities.",
        "South Korea will assume the leading role in the conventional defense of the Korean Peninsula.",
        "Seoul stressed it will play a leading role in conventional defense on the Korean Peninsula.",
    ]
    meetings = [
        [item(f"m{m}-r{n}", f"Outlet {n}", "\n\n".join(sentences[(n + k) % 4] for k in range(3)) + f" Report {m}-{n}.") for n in range(6)]
        for m in range(4)
    ]
    lexicon = Lexicon.of(vocabulary)
    serial = plans_for(meetings, vocabulary, lexicon, parallel_from=10**9)
    parallel = plans_for(meetings, vocabulary, lexicon, parallel_from=1)
    assert parallel == serial and all(plan[2] for plan in serial)
