"""Ingest: each new seed becomes one content item; nothing a user wrote is ever replaced."""

from __future__ import annotations

import hashlib

import frontmatter

from ncg_digest.read import load_project


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_ingest_writes_one_item_per_seed_with_its_provenance(seeded):
    results = seeded.ingest()
    assert len(results) == 3
    articles = seeded.root / "content" / "articles"
    names = sorted(p.name for p in articles.glob("*.md"))
    assert "2025-12-12-korea-leads-conventional-defense-at-first-ncg.md" in names
    for result in results:
        post = frontmatter.load(result.written)
        seed_bytes = (seeded.root / "seeds" / post["seed"]).read_bytes()
        assert post["seed_sha256"] == hashlib.sha256(seed_bytes).hexdigest()
        assert post["republish"] is False


def test_ingested_items_read_back_with_the_same_fields(seeded):
    seeded.ingest()
    items = {i.seed: i for i in load_project(seeded.config()).items}
    asiatoday = items["001_7f855993934732e6.txt"]
    assert asiatoday.published_text == "2025-12-12 09:16"
    assert asiatoday.meeting == 5
    assert {(p.name, p.side) for p in asiatoday.co_chairs} == {("Kim Hong-cheol", "ROK"), ("Robert Soofer", "US")}
    chat = items["002_688e57e9e41887e4.txt"]
    assert [p.written for p in chat.co_chairs if p.name == "Cho Chang-rae"] == ["Cho Chang Lae"]


def test_second_ingest_changes_nothing(seeded):
    seeded.ingest()
    articles = seeded.root / "content" / "articles"
    before = snapshot(articles)
    assert seeded.ingest() == []
    assert snapshot(articles) == before


def test_hand_edited_item_survives_reingest(seeded):
    seeded.ingest()
    path = next((seeded.root / "content" / "articles").glob("2025-12-12-*.md"))
    post = frontmatter.load(path)
    post["title"] = "Seoul to lead conventional defense, allies agree at fifth NCG"
    post["url"] = "https://cm.asiae.co.kr/en/article/2025121209273413716"
    edited = frontmatter.dumps(post) + "\n"
    path.write_text(edited, encoding="utf-8")
    assert seeded.ingest() == []
    assert path.read_text(encoding="utf-8") == edited
    items = {i.seed: i for i in load_project(seeded.config()).items}
    assert items["001_7f855993934732e6.txt"].title.startswith("Seoul to lead")


def test_changed_seed_is_ingested_again_without_touching_the_old_item(seeded):
    seeded.ingest()
    articles = seeded.root / "content" / "articles"
    before = snapshot(articles)
    seed = seeded.root / "seeds" / "001_7f855993934732e6.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nA correction was added.\n", encoding="utf-8")
    results = seeded.ingest()
    assert len(results) == 1
    after = snapshot(articles)
    assert {k: after[k] for k in before} == before
    assert results[0].written.name == "2025-12-12-korea-leads-conventional-defense-at-first-ncg-2.md"


def test_hand_written_item_without_seed_is_a_first_class_item(seeded):
    seeded.write(
        "content/articles/my-note.md",
        "---\ntitle: Notes on the third meeting\nmeeting: 3\noutlet: My notes\npublished: 2024-06-11\n"
        "topics: [guidelines]\nrepublish: true\nfavourite: yes\n---\n\nThe guidelines review was **completed**.\n",
    )
    seeded.ingest()
    seeded.build()
    page = seeded.html("articles/my-note.html")
    assert page.h1.get_text(strip=True) == "Notes on the third meeting"
    assert page.find("strong").get_text() == "completed"
    meeting = seeded.html("meetings/ncg-3.html")
    assert meeting.find("a", href="../articles/my-note.html")
    # A key the program does not know is kept and shown.
    assert "Favourite" in page.get_text()
