"""Templates a user writes render exactly as Jinja2 renders them.

The renderer calls macros and plain functions by a shorter way than Jinja2's
own (see ``render._Context``); every kind of call a template can make must give
the same text, and the same errors.
"""

from __future__ import annotations

import re

import jinja2
import pytest
from bs4 import BeautifulSoup

from ncg_digest.errors import RenderError
from ncg_digest.render import environment
from sitekit import BASE_URL, CROWD, crowd_article, new_project

TEMPLATE = """\
{%- macro card(title, kind="h3") -%}<{{ kind }}>{{ title }}</{{ kind }}>{%- endmacro -%}
{%- macro boxed() -%}[{{ caller() }}|{{ varargs|join(",") }}|{{ kwargs|dictsort }}]{%- endmacro -%}
{%- macro listed(items) -%}{% for i in items %}{{ loop.cycle("odd", "even") }}:{{ i }} {% endfor %}{%- endmacro -%}
{{ card("A <b>") }} {{ card(title="B", kind="h2") }}
{% call boxed(1, 2, size=3) %}inside {{ shout("x") }}{% endcall %}
{{ listed(range(4)) }}
{{ shout("plain") }} {{ whose() }} {{ settings() }} {{ words.get("a") }} {{ "%s-%s"|format(1, 2) }}
{% for x in [1, 2] %}{{ card(x) }}{% endfor %}
{{ stop() is undefined }}|{{ obj() }}
"""


@jinja2.pass_context
def whose(context: jinja2.runtime.Context) -> str:
    return f"context of {context.name}"


@jinja2.pass_environment
def settings(env: jinja2.Environment) -> str:
    return f"autoescape={env.autoescape}"


def stop() -> str:
    raise StopIteration


class Callable:
    def __call__(self) -> str:
        return "an object called"


GLOBALS = {"shout": lambda s: s.upper() + "!", "whose": whose, "settings": settings, "words": {"a": "b"}, "stop": stop, "obj": Callable()}


def rendered(env: jinja2.Environment, tmp_path) -> str:
    (tmp_path / "page.html").write_text(TEMPLATE, encoding="utf-8")
    env.globals.update(GLOBALS)
    return env.get_template("page.html").render()


def test_every_kind_of_call_in_a_template_gives_what_jinja2_gives(tmp_path):
    ours = environment(tmp_path)
    stock = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    assert ours.context_class is not stock.context_class  # the shorter way is the one tested
    text = rendered(ours, tmp_path)
    assert text == rendered(stock, tmp_path)
    assert "<h3>A &lt;b&gt;</h3> <h2>B</h2>" in text
    assert "[inside X!|1,2|[(&#39;size&#39;, 3)]]" in text
    assert "odd:0 even:1 odd:2 even:3" in text
    assert "PLAIN! context of page.html autoescape=True b 1-2" in text
    assert "True|an object called" in text


@pytest.mark.parametrize("call", ["card()", "card('a', 'b', 'c')", "card(colour='red')"])
def test_a_macro_called_wrongly_fails_as_in_jinja2(tmp_path, call):
    template = '{% macro card(title, kind="h3") %}{{ title }}{% endmacro %}{{ ' + call + " }}"
    (tmp_path / "wrong.html").write_text(template, encoding="utf-8")
    stock = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), undefined=jinja2.StrictUndefined)
    with pytest.raises(Exception) as expected:
        stock.get_template("wrong.html").render()
    with pytest.raises(type(expected.value)) as raised:
        environment(tmp_path).get_template("wrong.html").render()
    assert str(raised.value) == str(expected.value)


@pytest.mark.parametrize("hosted", [False, True], ids=["relative links", "hosted at a base URL"])
def test_macros_imported_with_the_page_context_give_the_same_site(tmp_path, hosted):
    """The templates import their macros without the page's context, and the macros' links still start from
    the page they are on. A project whose templates import them `with context` (as templates written before
    did) gets the same site, byte for byte."""
    sites = []
    for name, with_context in (("plain", False), ("with-context", True)):
        project = new_project(tmp_path / name, with_seeds=True, with_articles=True)
        for n in range(CROWD):  # enough reports for a topic to have a page per meeting
            project.write(f"content/articles/2025-01-crowd-{n:02d}.md", crowd_article(n))
        if hosted:
            project.host_at(BASE_URL)
        if with_context:
            rewritten = 0
            for template in (project.root / "templates").glob("*.html"):
                text, count = re.subn(r'(\{% from "_macros.html" import [^%]*?) %\}', r"\1 with context %}", template.read_text(encoding="utf-8"))
                template.write_text(text, encoding="utf-8")
                rewritten += count
            assert rewritten >= 5  # every page template that imports macros
        project.build()
        sites.append({p.relative_to(project.root / "_site"): p.read_bytes() for p in sorted((project.root / "_site").rglob("*")) if p.is_file()})
    plain, with_context = sites
    assert plain == with_context
    # A macro's link on a page two folders down (an article card on a topic's page for one meeting).
    nested = next(path for path in plain if len(path.parts) == 3 and path.parts[0] == "topics")
    card = BeautifulSoup(plain[nested], "html.parser").select_one("article.card a")
    assert card["href"].startswith("../../articles/")


def test_url_outside_a_page_says_so(tmp_path):
    (tmp_path / "loose.html").write_text('{{ url("articles/a.html") }}', encoding="utf-8")
    with pytest.raises(RenderError, match="no page was being rendered"):
        environment(tmp_path).get_template("loose.html").render()
