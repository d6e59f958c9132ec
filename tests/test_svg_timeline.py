"""The drawn timeline on the index: an inline SVG, parsed as XML."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from urllib.parse import urldefrag


def svg_of(project) -> ET.Element:
    html = (project.out / "index.html").read_text(encoding="utf-8")
    found = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert found, "no inline SVG on the index"
    return ET.fromstring(found.group(0))  # well-formed XML, not just tolerated by browsers


def marks(svg: ET.Element, kind: str) -> list[ET.Element]:
    return [a for a in svg.iter("a") if f"mark-{kind}" in a.get("class", "").split()]


def test_figure_has_a_title_and_description_it_is_labelled_by(bundled_site):
    svg = svg_of(bundled_site)
    assert svg.get("role") == "group"  # a labelled group of links, not an image hiding them
    title, desc = svg.find("title"), svg.find("desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "The NCG from 2023 to 2026"
    assert "5 meetings held, from 18 July 2023 to 11 December 2025" in desc.text
    assert "planned for first half of 2026" in desc.text


def test_axis_runs_from_2023_to_the_present_of_the_content(bundled_site):
    years = [t.text for t in svg_of(bundled_site).iter("text") if t.get("class") == "year"]
    assert years == ["2023", "2024", "2025", "2026"]


def test_a_mark_per_meeting_held_and_planned_drawn_differently(bundled_site):
    svg = svg_of(bundled_site)
    held, planned = marks(svg, "held"), marks(svg, "planned")
    assert [a.find("text").text for a in held] == ["1", "2", "3", "4", "5"]
    assert all(a.find("circle") is not None for a in held)
    assert [a.find("text").text for a in planned] == ["6"]
    assert planned[0].find("rect") is not None and planned[0].find("circle") is None
    xs = [float(a.find("circle").get("cx")) for a in held]
    assert xs == sorted(xs) and len(set(xs)) == 5
    band = planned[0].find("rect")
    assert float(band.get("x")) > xs[-1]  # January 2026 comes after 11 December 2025
    css = (bundled_site.out / "style.css").read_text()
    assert re.search(r"\.mark-planned rect \{[^}]*stroke-dasharray", css)
    assert "Washington Declaration" in marks(svg, "founding")[0].find("title").text


def test_every_mark_is_a_link_to_a_page_that_exists(bundled_site):
    svg = svg_of(bundled_site)
    links = [a.get("href") for a in svg.iter("a")]
    assert len(links) == 8  # founding, six meetings, one related event
    for href in links:
        target, fragment = urldefrag(href)
        assert (bundled_site.out / posixpath.normpath(target)).is_file(), href
        if fragment:
            assert bundled_site.html(target).find(id=fragment), href
    assert "meetings/ncg-5.html" in links
    assert all(a.get("tabindex") is None for a in svg.iter("a"))  # in the keyboard order
    assert all(a.find("title").text.strip() for a in svg.iter("a"))  # each link named


def test_the_ordered_list_stays_the_primary_content(bundled_site):
    soup = bundled_site.html("index.html")
    figure = soup.find("figure", class_="timeline-figure")
    assert figure.find_next("ol", class_="timeline") is not None
    assert len(soup.select("ol.timeline > li")) == 8


def test_the_present_comes_from_the_content(project):
    project.build()
    assert svg_of(project).find("title").text == "The NCG from 2023 to 2026"
    project.write("content/articles/later.md", "---\ntitle: A later report\npublished: 2027-03-01\n---\nText.\n")
    project.build()
    years = [t.text for t in svg_of(project).iter("text") if t.get("class") == "year"]
    assert years[-1] == "2027"
