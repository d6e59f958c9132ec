"""Topic pages stay readable however many articles there are: some of each meeting's articles, and a page for the rest."""

from __future__ import annotations

import posixpath

from ncg_digest.digest import GROUP_SHOWN
from sitekit import CROWD, crowd_article, new_project


def cards(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("article.card .card-title a")]


def group_sections(page) -> dict[str, object]:
    return {section.h3["id"]: section for section in page.select("section.topic-group")}


def test_a_topic_page_groups_its_articles_by_meeting_and_links_to_the_rest(crowded_site):
    page = crowded_site.html("topics/guidelines.html")
    groups = group_sections(page)
    fourth = groups["ncg-4"]
    assert fourth.h3.a.get_text(strip=True) == "Fourth NCG meeting"
    assert f"{CROWD} articles" in fourth.h3.get_text(" ", strip=True)
    shown = cards(fourth)
    assert len(shown) == GROUP_SHOWN
    more = fourth.select_one("p.more a")
    assert more.get_text(strip=True) == f"All {CROWD} articles on Nuclear guidelines from Fourth NCG meeting →"
    assert more["href"] == "guidelines/ncg-4.html"

    listing = crowded_site.html("topics/guidelines/ncg-4.html")
    assert listing.h1.get_text(strip=True) == "Nuclear guidelines: articles from Fourth NCG meeting"
    everything = cards(listing)
    assert len(everything) == CROWD and everything[:GROUP_SHOWN] == shown  # the same order, oldest first
    back = listing.select_one("p.more a")
    assert back["href"] == "../guidelines.html#ncg-4"
    # Every link of the listing leads to a page that exists.
    for a in listing.select("a[href]"):
        target = a["href"].split("#")[0]
        if target and "://" not in target:
            assert (crowded_site.out / posixpath.normpath(posixpath.join("topics/guidelines", target))).is_file(), a["href"]


def test_a_meeting_with_few_articles_on_a_topic_shows_them_all_and_has_no_listing(crowded_site):
    page = crowded_site.html("topics/extended-deterrence.html")
    for section in group_sections(page).values():
        assert section.select_one("p.more") is None
        count = int(section.h3.select_one(".meta").get_text(strip=True).split()[1])
        assert len(cards(section)) == count <= GROUP_SHOWN
    assert not (crowded_site.out / "topics" / "extended-deterrence").exists()


def test_a_step_names_the_first_sources_and_links_to_the_others(crowded_site):
    page = crowded_site.html("topics/guidelines.html")
    step = next(li for li in page.select("li.step") if li.h3.a.get_text(strip=True) == "Fourth NCG meeting")
    said = step.select_one("p.said-by")
    links = said.select("a")
    assert len(links) == GROUP_SHOWN + 1
    assert links[-1].get_text(strip=True) == f"{CROWD - GROUP_SHOWN} more" and links[-1]["href"] == "guidelines/ncg-4.html"


def test_the_topic_matrix_names_the_first_sources_of_a_crowded_cell(crowded_site):
    page = crowded_site.html("topics/index.html")
    row = next(tr for tr in page.select("table.matrix tbody tr") if tr.th.get_text(strip=True) == "Nuclear guidelines")
    cell = next(td for td in row.select("td") if int(td["data-sources"]) > GROUP_SHOWN)
    count = int(cell["data-sources"])
    assert cell["title"].count(",") == GROUP_SHOWN  # ten names, then "and N more"
    assert cell["title"].endswith(f"and {count - GROUP_SHOWN} more")


def test_a_new_report_renders_again_only_the_listing_of_its_meeting(tmp_path):
    p = new_project(tmp_path / "project")
    for n in range(CROWD):
        p.write(f"content/articles/2025-01-crowd-{n:02d}.md", crowd_article(n, meeting=4))
        p.write(f"content/articles/2024-06-crowd-{n:02d}.md", crowd_article(n, meeting=3).replace("2025-01-", "2024-06-"))
    p.build()
    assert (p.out / "topics/guidelines/ncg-3.html").is_file() and (p.out / "topics/guidelines/ncg-4.html").is_file()
    p.write("content/articles/2025-01-crowd-new.md", crowd_article(99, meeting=4))
    report = p.build()
    assert "topics/guidelines/ncg-4.html" in report.written
    assert "topics/guidelines/ncg-3.html" not in report.written
    assert len(cards(p.html("topics/guidelines/ncg-4.html"))) == CROWD + 1


def test_a_meeting_takes_the_topics_each_of_its_outcomes_mentions(tmp_path):
    """Each curated outcome is read on its own: words of a synonym split between two outcomes are no mention."""
    project = new_project(tmp_path)
    meetings = project.root / "content" / "meetings.yml"
    text = meetings.read_text(encoding="utf-8")
    outcomes = """      - South Korea to take the leading role in the conventional defense of the Korean Peninsula.
      - Approved plans for the first half of 2026, including the sixth meeting.
"""
    assert outcomes in text
    split = "      - Agreed to study the nuclear\n      - Umbrella budget of the alliance\n      - Reviewed the tabletop exercise held in August\n"
    meetings.write_text(text.replace(outcomes, split), encoding="utf-8")
    project.build()
    topics = [a.get_text(strip=True) for a in project.html("meetings/ncg-5.html").select("#topics + ul.tags a")]
    assert topics == ["Tabletop exercises and simulations"]
    steps = [li.h3.a.get_text(strip=True) for li in project.html("topics/exercises-and-simulations.html").select("ol.steps > li.step")]
    assert "Fifth NCG meeting" in steps
    assert "Fifth NCG meeting" not in [li.h3.a.get_text(strip=True) for li in project.html("topics/extended-deterrence.html").select("ol.steps > li.step")]
