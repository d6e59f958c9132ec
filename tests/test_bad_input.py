"""Bad input, as users produce it: each gets one clear line naming the file, or is read correctly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ncg_digest.cli import main
from ncg_digest.errors import NcgError
from ncg_digest.write import write_site

ARTICLE = "---\ntitle: \"{title}\"\nmeeting: 5\n---\nThe allies met in Washington.\n"


def article(title: str = "A plain title") -> str:
    return ARTICLE.format(title=title)


def build(project, capsys, *options: str) -> tuple[int, list[str]]:
    code = main(["build", "--root", str(project.root), *options])
    return code, capsys.readouterr().err.splitlines()


def put(project, name: str, data: bytes) -> Path:
    path = project.root / "content" / "articles" / name
    path.write_bytes(data)
    return path


def only_error(project, capsys, name: str, data: bytes) -> str:
    path = put(project, name, data)
    code, err = build(project, capsys)
    assert code == 1
    assert len(err) == 1, err
    assert err[0].startswith(f"{path}:") or err[0].startswith(f"{path}: ")
    assert "Traceback" not in err[0]
    return err[0][len(str(path)) :]


def title_on(project, page: str) -> str:
    return project.html(page).h1.get_text(" ", strip=True)


# --------------------------------------------------------------------------
# Empty, blank, binary


def test_an_empty_article_is_named_as_empty(project, capsys):
    assert only_error(project, capsys, "a.md", b"") == (
        ":1: error: the file is empty (hint: an article starts with frontmatter between '---' lines, with at least 'title:')"
    )


def test_an_article_of_white_space_is_named_as_such(project, capsys):
    assert only_error(project, capsys, "a.md", b" \n\t\n  \r\n").startswith(":1: error: the file holds only white space")


def test_binary_garbage_is_refused_with_its_line(project, capsys):
    garbage = b"---\ntitle: x\n" + bytes(range(256)) * 8
    assert only_error(project, capsys, "a.md", garbage) == ":3: error: this is a binary file, not text (it holds control characters)"


def test_an_image_saved_as_md_is_refused(project, capsys):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)
    assert "binary file" in only_error(project, capsys, "photo.md", png)


def test_an_empty_seed_is_reported_and_others_still_ingested(seeded, capsys):
    (seeded.root / "seeds" / "empty.txt").write_bytes(b"")
    (seeded.root / "seeds" / "blank.txt").write_bytes(b"\n \n")
    assert main(["ingest", "--root", str(seeded.root)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{seeded.root / 'seeds' / 'blank.txt'}: error: the file holds only white space",
        f"{seeded.root / 'seeds' / 'empty.txt'}: error: the file is empty",
    ]
    assert len(list((seeded.root / "content" / "articles").glob("*.md"))) == 3


# --------------------------------------------------------------------------
# Encodings and line endings


def test_latin1_text_is_decoded(project, capsys):
    put(project, "cafe.md", article("Café talks: Müller’s “Ärger” — naïve").encode("cp1252"))
    assert build(project, capsys) == (0, [])
    assert title_on(project, "articles/cafe.html") == "Café talks: Müller’s “Ärger” — naïve"


def test_cp949_text_is_decoded(project, capsys):
    put(project, "korean.md", article("한미 핵협의그룹 제5차 회의 워싱턴에서 개최").encode("cp949"))
    assert build(project, capsys) == (0, [])
    assert title_on(project, "articles/korean.html") == "한미 핵협의그룹 제5차 회의 워싱턴에서 개최"


def test_seeds_saved_as_windows_1252_give_the_same_items(seeded, tmp_path):
    from sitekit import new_project

    other = new_project(tmp_path / "other")
    for seed in (seeded.root / "seeds").iterdir():
        (other.root / "seeds" / seed.name).write_bytes(seed.read_text(encoding="utf-8").encode("cp1252"))
    plain = {r.seed.name: r.reading.extraction for r in seeded.ingest()}
    legacy = {r.seed.name: r.reading.extraction for r in other.ingest()}
    assert plain == legacy
    assert any("“" in q.text or "’" in q.text for e in legacy.values() for q in e.quotes) or any("’" in p for e in legacy.values() for p in e.paragraphs)


def test_text_of_uncertain_encoding_is_refused_naming_the_line(project, capsys):
    data = b"---\ntitle: caf\x81 \xff\xfe\xfd\n---\nx\n"
    assert only_error(project, capsys, "a.md", data) == (
        ":2: error: file is not UTF-8 text, and its encoding cannot be told for certain "
        "(hint: save the file as UTF-8 and run again)"
    )


def test_a_utf8_byte_order_mark_is_dropped(project, capsys):
    put(project, "bom.md", "\ufeff".encode() + article("With a mark").encode())
    assert build(project, capsys) == (0, [])
    assert title_on(project, "articles/bom.html") == "With a mark"


def test_utf16_with_a_byte_order_mark_is_read(project, capsys):
    put(project, "wide.md", article("Saved as UTF-16").encode("utf-16"))
    assert build(project, capsys) == (0, [])
    assert title_on(project, "articles/wide.html") == "Saved as UTF-16"


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_crlf_and_cr_line_endings_are_read(project, capsys, newline):
    text = "---\ntitle: Old line endings\nmeeting: 5\nsummary: They met.\nrepublish: true\n---\nFirst paragraph.\n\nSecond paragraph.\n"
    put(project, "a.md", text.replace("\n", newline).encode())
    assert build(project, capsys) == (0, [])
    page = project.html("articles/a.html")
    assert page.h1.get_text(strip=True) == "Old line endings"
    assert [p.get_text() for p in page.select(".body p")] == ["First paragraph.", "Second paragraph."]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_seeds_with_crlf_or_cr_give_the_same_item(seeded, tmp_path, newline):
    from sitekit import new_project

    other = new_project(tmp_path / "other")
    for seed in (seeded.root / "seeds").iterdir():
        text = seed.read_text(encoding="utf-8").replace("\r\n", "\n")
        (other.root / "seeds" / seed.name).write_bytes(text.replace("\n", newline).encode())
    plain = {r.seed.name: r.reading.extraction for r in seeded.ingest()}
    converted = {r.seed.name: r.reading.extraction for r in other.ingest()}
    assert plain == converted


def test_a_2000_character_line_is_read_quickly(project, capsys):
    seed = "The allies held the fifth meeting of the Nuclear Consultative Group " + "and talked " * 180 + "until late.\n"
    assert len(seed) > 2000
    (project.root / "seeds" / "long.txt").write_text(seed, encoding="utf-8")
    started = time.perf_counter()
    assert main(["ingest", "--root", str(project.root)]) == 0
    put(project, "long-title.md", article("Long " * 400).encode())
    assert build(project, capsys)[0] == 0
    assert time.perf_counter() - started < 20
    (written,) = [p for p in (project.root / "content" / "articles").glob("*.md") if p.name != "long-title.md"]
    assert len(written.name) < 100
    assert project.html("articles/long-title.html").h1.get_text(strip=True) == ("Long " * 400).strip()


def test_a_long_run_of_abbreviations_is_split_quickly():
    """'U.S. U.S. …' never ends a sentence; checking each full stop once keeps this linear."""
    from ncg_digest.text import split_sentences

    started = time.perf_counter()
    assert split_sentences("U.S. " * 40000) == [("U.S. " * 40000).strip()]
    assert time.perf_counter() - started < 10


# --------------------------------------------------------------------------
# Size


def test_a_file_over_the_default_limit_is_refused(project, capsys):
    big = article().encode() + b"x" * (5 * 1024 * 1024)
    assert only_error(project, capsys, "big.md", big) == (
        f": error: file is {len(big):,} bytes, over the 5,242,880-byte limit "
        "(hint: raise max_input_bytes in content/site.yml if the file is meant to be this large)"
    )


def test_the_limit_is_set_in_site_yml(project, capsys):
    project.write("content/site.yml", "title: Small\nmax_input_bytes: 8000\n")
    put(project, "fits.md", article().encode())
    assert build(project, capsys) == (0, [])
    (project.root / "seeds" / "big.txt").write_text("The allies met. " * 600, encoding="utf-8")
    assert main(["ingest", "--root", str(project.root)]) == 1
    assert "over the 8,000-byte limit" in capsys.readouterr().err
    assert "over the 8,000-byte limit" in only_error(project, capsys, "big.md", article("x" * 8100).encode())


# --------------------------------------------------------------------------
# Frontmatter and YAML


def test_unclosed_frontmatter_says_how_to_close_it(project, capsys):
    assert only_error(project, capsys, "a.md", b"\n---\ntitle: A\nmeeting: 5\n\nText\n") == (
        ":2: error: the frontmatter is not closed (hint: add a line '---' after the last field)"
    )


def test_a_yaml_list_instead_of_a_mapping(project, capsys):
    assert only_error(project, capsys, "a.md", b"---\n- title\n- meeting\n---\nText\n") == (
        ":2: error: the frontmatter must be a mapping of keys to values"
    )


def test_a_date_that_is_not_a_date(project, capsys):
    assert only_error(project, capsys, "a.md", b"---\ntitle: A\npublished: 13/45/2025\n---\nx\n") == (
        ":3: error: 'published' must be a date (YYYY-MM-DD) or date and time (YYYY-MM-DD HH:MM), not '13/45/2025'"
    )


def test_an_impossible_iso_date(project, capsys):
    message = only_error(project, capsys, "a.md", b"---\ntitle: A\npublished: 2025-02-30\n---\nx\n")
    assert message == ":3:12: error: invalid YAML: '2025-02-30' is not a real date (day is out of range for month)"


def test_python_object_tags_are_refused_plainly(project, capsys):
    data = b"---\ntitle: A\nsummary: !!python/object/apply:os.system ['touch /tmp/owned']\n---\nx\n"
    assert only_error(project, capsys, "a.md", data) == (
        ":3:10: error: invalid YAML: the tag '!!python/object/apply:os.system' is not allowed; "
        "write plain text, numbers, dates, lists and mappings"
    )


def test_a_local_tag_in_a_data_file_is_refused(project, capsys):
    project.write("content/topics.yml", "- !topic\n  slug: a\n  name: A\n")
    code, err = build(project, capsys)
    assert code == 1
    assert err == [f"{project.root / 'content/topics.yml'}:1:3: error: invalid YAML: the tag '!topic' is not allowed; write plain text, numbers, dates, lists and mappings"]


BILLION_LAUGHS = """---
title: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
x
"""


def test_an_alias_bomb_is_refused_quickly(project, capsys):
    started = time.perf_counter()
    message = only_error(project, capsys, "lol.md", BILLION_LAUGHS.encode())
    assert time.perf_counter() - started < 10
    assert message.startswith(":6:8:")
    assert "invalid YAML: aliases (*name) expand to more than 10,000 values; refusing to load this document" in message


def test_an_alias_bomb_in_a_data_file_is_refused(project, capsys):
    project.write("content/people.yml", BILLION_LAUGHS.replace("---", "").replace("title:", "a:").replace("\nx\n", ""))
    started = time.perf_counter()
    code, err = build(project, capsys)
    assert time.perf_counter() - started < 10
    assert code == 1 and "aliases (*name) expand to more than" in err[0]


def test_an_alias_to_its_own_container_is_refused(project, capsys):
    message = only_error(project, capsys, "a.md", b"---\ntitle: A\nextra: &x [1, *x]\n---\nx\n")
    assert message == ":3:15: error: invalid YAML: the alias *x refers to a value that contains it"


def test_a_few_ordinary_aliases_still_work(project, capsys):
    put(project, "a.md", b"---\ntitle: &t Allies meet\nsubtitle: *t\nmeeting: 5\n---\nx\n")
    assert build(project, capsys) == (0, [])
    assert "Allies meet" in project.html("articles/a.html").find(id="more").parent.get_text()


@pytest.mark.parametrize("nested", ["[" * 5000 + "]" * 5000, "{a: " * 900 + "1" + "}" * 900], ids=["lists", "mappings"])
def test_yaml_nested_thousands_deep_is_refused(project, capsys, nested):
    message = only_error(project, capsys, "a.md", f"---\ntitle: A\nnest: {nested}\n---\nx\n".encode())
    assert message.startswith(":3:") and message.endswith("error: invalid YAML: lists and mappings are nested more than 64 deep")


@pytest.mark.parametrize("ahead", [False, True], ids=["with the pages", "during the digest"])
def test_a_body_nested_hundreds_deep_is_refused(project, capsys, monkeypatch, ahead):
    """Whether the body is rendered with its page or, as on a large site, by a second process during the digest."""
    from ncg_digest import build as build_module

    monkeypatch.setattr(build_module, "BODIES_AHEAD_FROM", 1 if ahead else 10**9)
    body = "\n".join("    " * depth + "- item" for depth in range(400))
    put(project, "0-fine.md", b"---\ntitle: Fine\nrepublish: true\n---\nA *fine* body.\n")
    path = put(project, "a.md", f"---\ntitle: A\nrepublish: true\n---\n{body}\n".encode())
    code, err = build(project, capsys)
    assert code == 1
    assert err == [f"{path}: error: the text is nested too deeply to render (lists or quotes inside each other, hundreds deep)"]


def test_wrong_types_and_unknown_meeting(project, capsys):
    put(project, "a.md", b"---\ntitle: A\nmeeting: five\n---\nx\n")
    put(project, "b.md", b"---\ntitle: B\nmeeting: 42\n---\nx\n")
    code, err = build(project, capsys)
    assert code == 1
    assert err[0].endswith("a.md:3: error: 'meeting' must be a whole number such as 5, not 'five'")
    assert err[1].endswith("b.md:3: error: meeting 42 has no record in meetings.yml (hint: known meetings: 1, 2, 3, 4, 5, 6)")


def test_every_problem_of_a_run_is_listed(project, capsys):
    """One run, many broken files: each is named, in file order, and nothing is built."""
    broken = {
        "1-empty.md": b"",
        "2-binary.md": b"\x00\x01\x02",
        "3-unclosed.md": b"---\ntitle: A\n",
        "4-yaml.md": b"---\ntitle: [A\n---\n",
        "5-list.md": b"---\n- a\n---\n",
        "6-types.md": b"---\ntitle: A\nmeeting: five\npublished: 13/45/2025\nrepublish: maybe\n---\n",
        "7-tag.md": b"---\ntitle: !!python/name:os.system ''\n---\n",
    }
    for name, data in broken.items():
        put(project, name, data)
    put(project, "8-fine.md", article().encode())
    code, err = build(project, capsys)
    assert code == 1
    named = [line.split(":", 1)[0].rsplit("/", 1)[-1] for line in err]
    assert named == ["1-empty.md", "2-binary.md", "3-unclosed.md", "4-yaml.md", "5-list.md"] + ["6-types.md"] * 3 + ["7-tag.md"]
    assert all(": error: " in line for line in err)
    assert not project.out.exists()


# --------------------------------------------------------------------------
# Names, slugs, links


def test_two_items_with_the_same_slug_are_both_published(project, capsys):
    put(project, "a.md", b"---\ntitle: First of two\nslug: talks\nmeeting: 5\n---\nx\n")
    put(project, "b.md", b"---\ntitle: Second of two\nslug: talks\nmeeting: 5\n---\nx\n")
    assert build(project, capsys) == (0, [])
    titles = {title_on(project, "articles/talks.html"), title_on(project, "articles/talks-2.html")}
    assert titles == {"First of two", "Second of two"}
    links = {a["href"] for a in project.html("meetings/ncg-5.html").select("a[href*='articles/talks']")}
    assert links == {"../articles/talks.html", "../articles/talks-2.html"}


@pytest.mark.parametrize(
    "name, page",
    [("my notes on talks.md", "my-notes-on-talks.html"), ("-leading dash.md", "leading-dash.html"), ("서울회의.md", "서울회의.html"), ("Café crème.md", "cafe-creme.html")],
)
def test_awkward_file_names_get_a_page(project, capsys, name, page):
    put(project, name, article("Named awkwardly").encode())
    assert build(project, capsys) == (0, [])
    assert title_on(project, f"articles/{page}") == "Named awkwardly"
    hrefs = [a["href"] for a in project.html("meetings/ncg-5.html").select("a")]
    assert f"../articles/{page}" in hrefs


def test_awkward_seed_names_are_ingested_once(seeded, capsys):
    seeds = seeded.root / "seeds"
    (seeds / "000_65e6f93b41ceedc0.txt").rename(seeds / "-dash and space 서울.txt")
    assert main(["ingest", "--root", str(seeded.root)]) == 0
    assert main(["ingest", "--root", str(seeded.root)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("Ingested 0 new articles into " + str(seeded.root / "content" / "articles"))
    seeds_named = [p.read_text(encoding="utf-8") for p in (seeded.root / "content" / "articles").glob("*.md")]
    assert sum("seed: -dash and space 서울.txt" in t or "seed: '-dash and space 서울.txt'" in t for t in seeds_named) == 1


def test_a_symbolic_link_out_of_content_is_refused(project, capsys, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article("Private notes"), encoding="utf-8")
    link = project.root / "content" / "articles" / "notes.md"
    link.symlink_to(secret)
    code, err = build(project, capsys)
    assert code == 1
    content = project.root / "content"
    assert err == [
        f"{link}: error: this is a symbolic link to {secret}, outside {content}; refusing to read it "
        f"(hint: copy the file into {content} instead of linking to it)"
    ]


def test_a_linked_articles_folder_outside_content_is_refused(project, capsys, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.md").write_text(article("Private"), encoding="utf-8")
    articles = project.root / "content" / "articles"
    articles.rmdir()
    articles.symlink_to(elsewhere, target_is_directory=True)
    code, err = build(project, capsys)
    assert code == 1
    assert err[0].startswith(f"{articles / 'a.md'}: error: this lies, through a linked folder, at {elsewhere / 'a.md'}, outside ")


def test_a_symbolic_link_within_content_is_followed(project, capsys):
    drafts = project.root / "content" / "drafts"
    drafts.mkdir()
    (drafts / "a.md").write_text(article("Linked within"), encoding="utf-8")
    (project.root / "content" / "articles" / "a.md").symlink_to(drafts / "a.md")
    assert build(project, capsys) == (0, [])
    assert title_on(project, "articles/a.html") == "Linked within"


def test_a_seed_linking_out_of_seeds_is_refused(project, capsys, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("The allies held the fifth meeting of the Nuclear Consultative Group.\n", encoding="utf-8")
    (project.root / "seeds" / "a.txt").symlink_to(outside)
    assert main(["ingest", "--root", str(project.root)]) == 1
    assert "refusing to read it" in capsys.readouterr().err
    assert list((project.root / "content" / "articles").iterdir()) == []


@pytest.mark.parametrize("slug", ["../../escaped", "/tmp/escaped", "a/../../escaped", "..", "a\\..\\escaped"])
def test_a_slug_never_leads_out_of_the_site(project, capsys, tmp_path, slug):
    put(project, "a.md", f"---\ntitle: A\nslug: '{slug}'\n---\nx\n".encode())
    code, err = build(project, capsys)
    assert code == 1
    assert err == [f"{project.root / 'content/articles/a.md'}:3: error: slug {slug!r} may hold only letters, digits, '.', '-' and '_'"]
    assert not any("escaped" in p.name for p in tmp_path.rglob("*"))
    assert not Path("/tmp/escaped.html").exists()


@pytest.mark.parametrize("path", ["../x.html", "/tmp/x.html", "a/../../x.html", "a\\..\\x.html", ""])
def test_the_writer_refuses_paths_outside_the_site(tmp_path, path):
    with pytest.raises(NcgError, match="refusing to write outside the site folder"):
        write_site({"index.html": b"ok", path: b"no"}, tmp_path / "site" / "_site")
    assert list(tmp_path.rglob("*")) == []


def test_a_folder_named_like_an_article_is_reported(project, capsys):
    (project.root / "content" / "articles" / "folder.md").mkdir()
    put(project, "fine.md", article().encode())
    code, err = build(project, capsys)
    assert code == 1
    assert err == [f"{project.root / 'content/articles/folder.md'}: error: this is a folder, not a file (hint: rename or remove it)"]


def test_a_dangling_link_is_reported(project, capsys):
    (project.root / "content" / "articles" / "gone.md").symlink_to(project.root / "content" / "articles" / "moved.md")
    code, err = build(project, capsys)
    assert code == 1
    assert err[0].endswith("gone.md: error: cannot read file: No such file or directory (hint: it may be a symbolic link to a file that no longer exists)")


def test_an_unreadable_file_is_reported(project, capsys):
    path = put(project, "locked.md", article().encode())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): permissions cannot make a file unreadable here")
        code, err = build(project, capsys)
        assert err == [f"{path}: error: cannot read file: Permission denied (hint: check the file's permissions (chmod u+r))"]
    finally:
        path.chmod(0o644)


NOBODY = 65534


def test_an_unreadable_file_is_reported_to_an_ordinary_user():
    """As root, permissions do not stop reading; so run the build as the user 'nobody' where that is possible."""
    if os.geteuid() != 0:
        pytest.skip("only root can switch to another user; the test above covers an ordinary user")
    try:
        usable = subprocess.run([sys.executable, "-c", "import ncg_digest"], user=NOBODY, group=NOBODY, extra_groups=[], capture_output=True).returncode == 0
    except OSError:
        usable = False
    if not usable:
        pytest.skip(f"the user nobody cannot run {sys.executable} with ncg_digest here")
    from sitekit import new_project

    root = Path(tempfile.mkdtemp(prefix="ncg-unreadable-"))
    try:
        root.chmod(0o755)
        project = new_project(root / "project")
        locked = put(project, "locked.md", article().encode())
        for path in [project.root, *project.root.rglob("*")]:
            os.chown(path, NOBODY, NOBODY, follow_symlinks=False)
        locked.chmod(0)
        run = subprocess.run(
            [sys.executable, "-m", "ncg_digest", "build", "--root", str(project.root)],
            user=NOBODY, group=NOBODY, extra_groups=[], capture_output=True, text=True, cwd=root,
        )
        assert run.returncode == 1
        assert run.stderr.splitlines() == [f"{locked}: error: cannot read file: Permission denied (hint: check the file's permissions (chmod u+r))"]
    finally:
        shutil.rmtree(root)
