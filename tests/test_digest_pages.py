"""The meeting digest as a reader sees it: key points, facts side by side, coverage, the topic matrix, people."""

from __future__ import annotations

import posixpath
from urllib.parse import urldefrag, urlparse

import pytest

from sitekit import Project, new_project

HERALD = """---
title: Allies finish review of nuclear guidelines at third NCG
outlet: The Korea Herald
published: 2024-06-11
meeting: 3
place: Seoul
people:
  - {name: Vipin Narang, side: US, role: co-chair, title: acting assistant secretary of defense for space policy}
  - {name: Cho Chang-rae, side: ROK, role: co-chair, title: deputy minister for national defense policy}
topics: [extended-deterrence, guidelines]
summary: The United States and South Korea held the third meeting of the Nuclear Consultative Group in Seoul on June 10, 2024.
republish: false
---

The United States and South Korea held the third meeting of the Nuclear Consultative Group in Seoul on June 10, 2024.

Washington reaffirmed its commitment to extended deterrence, utilizing the full range of U.S. defense capabilities, including nuclear.

The allies completed their review of the guidelines for nuclear deterrence and nuclear operations on the peninsula.

The ministry said so.

Officials from both defense ministries discussed the third meeting's agenda at length in Seoul.

A dozen reporters waited outside the ministry building for a briefing that never came.

The defense ministry plans to publish a summary of the talks for lawmakers next week. Opposition lawmakers asked for a briefing on the costs of the new arrangements.

Experts noted that public support for the alliance remains high in recent opinion polls.
"""

KBS = """---
title: NCG meets in Seoul
outlet: KBS World
published: 2024-06-10
meeting: 3
place: Seoul
people:
  - {name: Vipin Narang, side: US, role: co-chair, title: principal deputy assistant secretary of defense for space policy}
  - {name: Cho Chang-rae, side: ROK, role: co-chair, title: deputy minister for national defense policy}
topics: [extended-deterrence, guidelines]
summary: The allies met in Seoul for their third NCG session on Monday.
republish: false
---

The allies met in Seoul for their third NCG session on Monday.

The U.S. reiterated its pledge to provide extended deterrence by leveraging all categories of U.S. military capabilities, including nuclear weapons.

Both sides finished reviewing the Guidelines for nuclear deterrence and nuclear operations on the Korean Peninsula.

Officials from both defense ministries discussed the fourth meeting's agenda at length in Seoul.

Television crews filmed the arrival of the delegations at the ministry compound. The delegations later attended a dinner hosted by the defense minister.

Weather delayed the departure of the American delegation by several hours.

Copyright KBS World Radio, all rights reserved.
"""


@pytest.fixture(scope="module")
def two_outlets(tmp_path_factory: pytest.TempPathFactory) -> Project:
    p = new_project(tmp_path_factory.mktemp("digest") / "project")
    p.write("content/articles/2024-06-11-herald.md", HERALD)
    p.write("content/articles/2024-06-10-kbs.md", KBS)
    p.build()
    return p


def key_points(page):
    return page.select("#key-points ~ ol.key-points > li.key-point, ol.key-points > li.key-point")


def point_with(page, words: str):
    return [li for li in key_points(page) if words in li.get_text(" ", strip=True)]


def test_a_point_made_in_different_words_appears_once_with_both_outlets(two_outlets):
    page = two_outlets.html("meetings/ncg-3.html")
    # The two wordings of one point: "full range of U.S. defense capabilities" / "all categories of U.S. military capabilities".
    matching = [li for li in key_points(page) if "capabilities, including nuclear" in li.select_one("blockquote").get_text()]
    assert len(matching) == 1
    point = matching[0]
    reported = point.select_one(".reported-by").get_text(" ", strip=True)
    assert "2 of 2 sources" in reported
    assert {a.get_text(strip=True) for a in point.select(".reported-by a")} == {"The Korea Herald", "KBS World"}
    wordings = {li.a.get_text(strip=True): li for li in point.select("details.wordings li")}
    assert set(wordings) == {"The Korea Herald", "KBS World"}
    assert wordings["The Korea Herald"].a["href"] == "../articles/2024-06-11-herald.html"
    assert wordings["KBS World"].a["href"] == "../articles/2024-06-10-kbs.html"
    texts = " ".join(li.get_text(" ", strip=True) for li in wordings.values())
    assert "full range of U.S. defense capabilities" in texts and "all categories of U.S. military capabilities" in texts


def test_shared_points_come_first_and_single_ones_follow(two_outlets):
    page = two_outlets.html("meetings/ncg-3.html")
    counts = [li.select_one(".reported-by strong").get_text(strip=True) for li in key_points(page)]
    assert counts[:3] == ["2 of 2 sources"] * 3  # the meeting, the reaffirmation, the guidelines
    assert set(counts[3:]) == {"1 of 2 sources"}
    assert len([li for li in key_points(page) if "uidelines for nuclear deterrence" in li.select_one("blockquote").get_text()]) == 1


def test_different_meeting_numbers_are_not_one_point(two_outlets):
    page = two_outlets.html("meetings/ncg-3.html")
    third = point_with(page, "third meeting's agenda")
    fourth = point_with(page, "fourth meeting's agenda")
    assert third and fourth and third != fourth
    assert "1 of 2 sources" in third[0].get_text(" ", strip=True)


def test_attributions_alone_and_furniture_are_left_out(two_outlets):
    text = two_outlets.html("meetings/ncg-3.html").select_one("ol.key-points").get_text(" ", strip=True)
    assert "The ministry said so." not in text
    assert "Copyright" not in text


def test_titles_that_differ_are_shown_with_their_sources(two_outlets):
    page = two_outlets.html("meetings/ncg-3.html")
    narang = next(li for li in page.select("li.official") if "Vipin Narang" in li.get_text())
    assert "Sources differ" in narang.get_text()
    claims = {li.select_one(".claim").get_text(strip=True): li.select_one(".said-by").get_text(" ", strip=True) for li in narang.select("ul.claims li")}
    # The record and the Herald agree but for capitals: one value with both sources.
    assert "Curated record" in claims["Acting Assistant Secretary of Defense for Space Policy"]
    assert "The Korea Herald" in claims["Acting Assistant Secretary of Defense for Space Policy"]
    assert "KBS World" in claims["principal deputy assistant secretary of defense for space policy"]
    assert len(claims) == 2


def test_the_date_stated_by_each_article_stands_beside_the_record(two_outlets):
    page = two_outlets.html("meetings/ncg-3.html")
    date = page.select_one("dl.facts").find("dt", string="Date").find_next_sibling("dd")
    assert date.find("time")["datetime"] == "2024-06-10"
    said = date.select_one(".said-by").get_text(" ", strip=True)
    # One value, three sources: the record, a full date, and "on Monday" placed by the report's own date.
    assert "Curated record" in said and "The Korea Herald" in said and "KBS World" in said
    assert "on Monday" in said and "June 10, 2024" in said
    assert "Sources differ" not in date.get_text()


def test_a_date_that_differs_is_shown_as_a_disagreement(project):
    project.write("content/articles/late.md", KBS.replace("on Monday", "on June 12, 2024"))
    project.build()
    date = project.html("meetings/ncg-3.html").select_one("dl.facts").find("dt", string="Date").find_next_sibling("dd")
    claims = {li.find("time")["datetime"]: li.select_one(".said-by").get_text(" ", strip=True) for li in date.select("ul.claims li")}
    assert "Curated record" in claims["2024-06-10"]
    assert "KBS World" in claims["2024-06-12"]


def test_coverage_gives_sources_outlets_and_the_span_of_reports(two_outlets):
    coverage = two_outlets.html("meetings/ncg-3.html").find(id="coverage").parent
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in coverage.select("dl dt")}
    assert facts["Sources"].get_text(" ", strip=True).startswith("2 reports from 2 outlets")
    assert facts["Earliest report"].find("time")["datetime"] == "2024-06-10"
    assert "KBS World" in facts["Earliest report"].get_text()
    assert facts["Latest report"].find("time")["datetime"] == "2024-06-11"
    assert len(coverage.select("article.card")) == 2
    assert all(card.select_one(".summary") for card in coverage.select("article.card"))


def matrix_cells(page) -> dict[tuple[str, str], str]:
    table = page.select_one("table.matrix")
    columns = [th.get_text(" ", strip=True).split()[1] for th in table.thead.select("th")[1:]]
    cells = {}
    for row in table.tbody.select("tr"):
        topic = row.th.get_text(strip=True)
        for number, td in zip(columns, row.select("td")):
            cells[(topic, number)] = td.get_text(" ", strip=True)
    return cells


def test_the_topic_matrix_marks_the_right_cells(two_outlets):
    page = two_outlets.html("topics/index.html")
    table = page.select_one("table.matrix")
    assert table.caption.get_text(strip=True)
    assert all(th["scope"] == "col" for th in table.thead.select("th"))
    assert all(row.th["scope"] == "row" for row in table.tbody.select("tr"))
    cells = matrix_cells(page)
    # Meeting 3: the record's outcomes name the guidelines, both articles are tagged with them.
    assert cells[("Nuclear guidelines", "3")].startswith("3 sources")
    assert "Curated record" in cells[("Nuclear guidelines", "3")] and "KBS World" in cells[("Nuclear guidelines", "3")]
    assert cells[("Extended deterrence", "3")].startswith("2 sources")
    assert cells[("Risk reduction", "3")].startswith("1 source")  # the record alone
    assert cells[("Strategic assets", "3")].startswith("—")
    assert cells[("Strategic assets", "1")].startswith("1 source")  # the Busan port call in the record
    # The heat map class follows the count, and the count is text, not colour alone.
    td = next(td for row in table.tbody.select("tr") if row.th.get_text(strip=True) == "Nuclear guidelines" for td in [row.select("td")[2]])
    assert "heat-3" in td["class"]


def test_each_topic_page_follows_the_topic_meeting_by_meeting(two_outlets):
    page = two_outlets.html("topics/guidelines.html")
    steps = page.select("ol.steps > li.step")
    titles = [li.h3.a.get_text(strip=True) for li in steps]
    assert titles == ["Second NCG meeting", "Third NCG meeting"]
    second, third = steps
    assert "complete the NCG guidelines" in second.get_text(" ", strip=True)  # a curated outcome
    assert "uidelines for nuclear deterrence" in third.select_one("blockquote").get_text()
    assert "2 of 2 sources" in third.get_text(" ", strip=True)


def test_people_pages_list_meetings_and_the_titles_each_source_gave(two_outlets):
    page = two_outlets.html("people/vipin-narang.html")
    assert page.h1.get_text(strip=True) == "Vipin Narang"
    meetings = page.select("ol.attendance > li")
    assert [li.h3.a.get_text(strip=True) for li in meetings] == ["Second NCG meeting", "Third NCG meeting"]
    assert "led the discussions" in meetings[0].get_text()
    assert "co-chair" in meetings[1].get_text()
    third = meetings[1].get_text(" ", strip=True)
    assert "principal deputy assistant secretary of defense for space policy — KBS World" in third
    assert "Acting Assistant Secretary of Defense for Space Policy" in third and "The Korea Herald" in third
    meeting_page = two_outlets.html("meetings/ncg-3.html")
    assert meeting_page.find("a", href="../people/vipin-narang.html")
    article = two_outlets.html("articles/2024-06-10-kbs.html")
    assert article.find("a", href="../people/vipin-narang.html")


def crawl(project: Project) -> set[str]:
    seen, queue = {"index.html"}, ["index.html"]
    while queue:
        page = queue.pop()
        for tag in project.html(page).find_all(["a", "link"], href=True):
            href = urldefrag(tag["href"])[0]
            if not href or urlparse(href).scheme or not href.endswith(".html"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_every_page_is_reachable_by_links_from_the_index(two_outlets, bundled_site):
    for project in (two_outlets, bundled_site):
        orphans = set(project.pages()) - crawl(project) - {"404.html"}
        assert not orphans


def test_a_one_source_meeting_shows_no_empty_section(bundled_site):
    for number in (4, 6):  # one report; a planned meeting with none
        page = bundled_site.html(f"meetings/ncg-{number}.html")
        for section in page.select("main section"):
            heading = section.find(["h2", "h3"])
            rest = section.get_text(" ", strip=True).replace(heading.get_text(" ", strip=True), "", 1).strip()
            assert rest, f"ncg-{number}: empty section {heading.get_text()}"
            for listing in section.select("ol, ul"):
                assert listing.find("li"), f"ncg-{number}: empty list in {heading.get_text()}"
    one = bundled_site.html("meetings/ncg-4.html")
    assert key_points(one) and all("1 of 1 source" in li.get_text(" ", strip=True) for li in key_points(one))
    assert bundled_site.html("meetings/ncg-6.html").find(id="key-points") is None


def test_the_seed_reports_of_the_fifth_meeting_are_digested(bundled_site):
    page = bundled_site.html("meetings/ncg-5.html")
    # The example: "utilizing the full range of U.S. defense capabilities" (Yonhap) and
    # "leveraging all categories of U.S. military capabilities" (Asiatoday) are one point.
    reaffirmed = [li for li in key_points(page) if "all categories of U.S. military capabilities" in li.get_text()]
    assert len(reaffirmed) == 1
    assert "full range of U.S. defense capabilities" in reaffirmed[0].get_text() or "not quoted" in reaffirmed[0].get_text()
    assert {a.get_text(strip=True) for a in reaffirmed[0].select(".reported-by a")} == {"Asiatoday", "Yonhap News Agency"}
    leading_role = point_with(page, "leading role")
    assert len(leading_role) == 1 and "2 of 2 sources" in leading_role[0].get_text(" ", strip=True)
    # Five points both reports make: the first session under Trump's second term, who led it,
    # the ROK's leading role, the reaffirmed commitment, and the assessment of NCG activities.
    shared = [li for li in key_points(page) if "2 of 2 sources" in li.get_text(" ", strip=True)]
    assert len(shared) == 5
    assert any("Kim Hong-cheol" in li.get_text() and "Robert Soofer" in li.get_text() for li in shared)
    assert any("first such talks since January" in li.get_text() for li in shared)
    assert any("table-top exercises" in li.get_text() for li in shared)


def test_reports_that_may_not_be_republished_are_only_quoted_in_part(bundled_site):
    from ncg_digest.keypoints import plain_text
    from ncg_digest.text import split_sentences

    page = bundled_site.html("meetings/ncg-5.html").get_text(" ", strip=True)
    for name in ("undated-the-united-states-has-reaffirmed-its-commitment-to-providing.md", "2025-12-12-korea-leads-conventional-defense-at-first-ncg.md"):
        body = (bundled_site.root / "content" / "articles" / name).read_text(encoding="utf-8").split("---", 2)[2]
        sentences = [s for p in plain_text(body) for s in split_sentences(p)]
        shown = [s for s in sentences if s in page]
        assert 0 < len(shown) < len(sentences) * 0.75, name


def test_a_weekday_alone_supports_the_record_when_it_fits(bundled_site):
    # Yonhap's report is undated and says only that the meeting was held "on Thursday";
    # 11 December 2025, the recorded date, was a Thursday.
    date = bundled_site.html("meetings/ncg-5.html").select_one("dl.facts").find("dt", string="Date").find_next_sibling("dd")
    assert date.find("time")["datetime"] == "2025-12-11"
    said = date.select_one(".said-by").get_text(" ", strip=True)
    assert "Yonhap News Agency (“on Thursday”)" in said
    # Asiatoday gives only the day the ministry spoke ("said on December 11"), which is no meeting date.
    assert "Asiatoday" not in said


def test_a_widely_reported_meeting_says_its_key_points_come_from_the_earliest_reports(project):
    from ncg_digest.keypoints import MAX_GROUPED_REPORTS

    count = MAX_GROUPED_REPORTS + 3
    for n in range(count):
        text = KBS.replace("title: NCG meets in Seoul", f"title: NCG meets in Seoul, report {n}")
        project.write(f"content/articles/report-{n:02d}.md", text.replace("published: 2024-06-10", f"published: 2024-06-{10 + n // 10:02d}"))
    project.build()
    page = project.html("meetings/ncg-3.html")
    note = page.find(id="key-points").find_next("p", class_="section-note").get_text(" ", strip=True)
    assert note.startswith(f"What the {MAX_GROUPED_REPORTS} earliest of the {count} reports say in their opening sentences")
    # Every report is still listed (under Coverage) and linked.
    linked = {a["href"] for a in page.find_all("a", href=True) if a["href"].startswith("../articles/report-")}
    assert linked == {f"../articles/report-{n:02d}.html" for n in range(count)}


def test_meetings_worked_out_on_every_core_are_those_worked_out_here(seeded, monkeypatch):
    """A meeting's facts and key points, worked out in forked workers when there are many reports."""
    from ncg_digest import digest as digest_module
    from ncg_digest import parallel
    from ncg_digest.read import load_project

    if parallel.workers() < 2:
        pytest.skip("needs fork and two cores")
    seeded.ingest()
    project = load_project(seeded.config())
    monkeypatch.setattr(digest_module, "PLANS_PARALLEL_FROM", 10**9)
    here = digest_module.digest(project.records, project.items)
    monkeypatch.setattr(digest_module, "PLANS_PARALLEL_FROM", 1)
    forked = []
    real = digest_module.forked_map
    monkeypatch.setattr(digest_module, "forked_map", lambda *a, **k: forked.append(k["parallel"]) or real(*a, **k))
    there = digest_module.digest(project.records, project.items)
    assert forked == [True] and there == here
    assert any(m.key_points.points for m in there.meetings) and any(m.officials for m in there.meetings)
