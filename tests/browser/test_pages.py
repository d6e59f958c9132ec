"""Every page of the bundled site, in Chromium: loads cleanly, passes axe-core, works from the keyboard.

Pages are discovered from the built output, so every page type the site has is
covered, whatever types are added later.
"""

from __future__ import annotations

import pytest

from pagekit import AXE, SCREENSHOTS, file_name, page_type, representatives, require

# axe-core's tags for the WCAG 2.0, 2.1 and 2.2 success criteria at levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = ["light", "dark"]

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""

# Opens every disclosure (a reader can) and numbers every visible link, so the
# keyboard walk can tell which ones it reached.
MARK_LINKS = """() => {
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const links = [...document.querySelectorAll("a[href]")]  // HTML and SVG links.filter(a => a.getClientRects().length > 0);
  links.forEach((a, i) => { a.dataset.kbd = String(i); });
  return links.map(a => a.getAttribute("href"));
}"""

# The numbers of the marked links still shown.
SHOWN_MARKS = """() => [...document.querySelectorAll("a[data-kbd]")].filter(a => a.getClientRects().length > 0).map(a => a.dataset.kbd)"""

# What has the keyboard focus now, and how its focus ring is drawn; null once focus has left the page.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    kbd: el.dataset.kbd ?? null,
    tag: el.tagName.toLowerCase(),
    cls: el.className,
    href: el.getAttribute("href"),
    text: el.textContent.trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    outlineColor: style.outlineColor,
    onScreen: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
    inMain: !!el.closest("main"),
  };
}"""

VIEWPORTS = [(375, 812), (1280, 800)]


def visit(watched, site_url: str, path: str, settle: bool = False) -> list[str]:
    """Open `path` in the watched page; what went wrong while it loaded.

    With `settle`, wait until the network is quiet, so late requests (the icon) are seen to finish.
    """
    before = len(watched.problems)
    response = watched.page.goto(site_url + path)
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    watched.page.wait_for_load_state("networkidle" if settle else "load")
    return [f"{path}: {p}" for p in watched.problems[before:]]


def test_every_page_loads_without_errors_or_foreign_requests(watched_pages, site_url, site_pages):
    watched = watched_pages()
    problems = []
    for path in site_pages:
        problems += visit(watched, site_url, path, settle=True)
    assert problems == []


def test_the_site_has_every_page_type(bundled_site):
    kinds = set(representatives(bundled_site.out))
    assert {"timeline", "meeting", "article", "topic", "topic index", "person", "people index", "search", "404"} <= kinds


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_wcag_violation(watched_pages, site_url, site_pages, scheme):
    axe = require(AXE, "run `npm ci` in the repository to install axe-core")
    # The site's Content-Security-Policy forbids injected scripts, axe-core among them.
    watched = watched_pages(color_scheme=scheme, bypass_csp=True)
    violations = []
    for path in site_pages:
        visit(watched, site_url, path)
        watched.page.add_script_tag(path=str(axe))
        found = watched.page.evaluate(RUN_AXE, WCAG_TAGS)
        violations += [f"{path} ({scheme}): {v}" for v in found]
    assert violations == []


def tab_through(page) -> list[dict]:
    """Press Tab until focus leaves the page or comes back round; what was focused, in order."""
    limit = page.evaluate("() => document.querySelectorAll('a, button, input, select, textarea, summary, [tabindex]').length") + 5
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (stops and identity(focused) == identity(stops[0])):
            break
        stops.append(focused)
    return stops


def identity(stop: dict) -> tuple:
    return stop["kbd"], stop["tag"], stop["href"], stop["text"]


def focus_ring_problem(stop: dict) -> str | None:
    if stop["outlineStyle"] in ("none", "hidden") or stop["outlineWidth"] < 2:
        return f"no visible focus outline ({stop['outlineStyle']} {stop['outlineWidth']}px)"
    if stop["outlineColor"] in ("transparent", "rgba(0, 0, 0, 0)"):
        return "a transparent focus outline"
    if not stop["onScreen"]:
        return "focused but off screen"
    return None


def keyboard_problems(page) -> list[str]:
    """Walk the open page with Tab: the skip link must come first, every link be reached, every stop show a ring."""
    hrefs = page.evaluate(MARK_LINKS)
    stops = tab_through(page)
    problems = []
    if not stops or "skip-link" not in stops[0]["cls"] or stops[0]["href"] != "#main":
        problems.append(f"the first Tab stop is {stops[:1]}, not the skip link to #main")
    reached = {s["kbd"] for s in stops}
    # A link a script hid meanwhile (the search page's fallback notice) is not expected to be reached.
    shown = set(page.evaluate(SHOWN_MARKS))
    problems += [f"link {href!r} is not reachable with Tab" for i, href in enumerate(hrefs) if str(i) not in reached and str(i) in shown]
    for stop in stops:
        problem = focus_ring_problem(stop)
        if problem:
            problems.append(f"{stop['tag']} {stop['text']!r}: {problem}")
    return problems


def test_keyboard_skip_link_first_every_link_reachable_focus_visible(watched_pages, site_url, site_pages):
    watched = watched_pages()
    problems = []
    for path in site_pages:
        visit(watched, site_url, path)
        problems += [f"{path}: {p}" for p in keyboard_problems(watched.page)]
    assert problems == []


# A page with faults of each kind the checks above look for.
FAULTY_PAGE = """<!doctype html><html><head><title>faulty</title>
<style>a:focus, a:focus-visible { outline: none; } .faint { color: #bbb; background: #fff; }</style></head>
<body><a href="#one">a link without a focus ring</a><p class="faint">faint text</p>
<img src="data:,"><a href="#two" tabindex="-1">a link the keyboard cannot reach</a></body></html>"""


def test_the_checks_catch_a_faulty_page(watched_pages):
    axe = require(AXE, "run `npm ci` in the repository to install axe-core")
    page = watched_pages().page
    page.set_content(FAULTY_PAGE)
    page.add_script_tag(path=str(axe))
    found = {v.split(" ")[0] for v in page.evaluate(RUN_AXE, WCAG_TAGS)}
    assert {"color-contrast", "image-alt", "html-has-lang"} <= found
    problems = keyboard_problems(page)
    assert any("not the skip link" in p for p in problems)
    assert any("'#two' is not reachable" in p for p in problems)
    assert any("no visible focus outline" in p for p in problems)


def test_skip_link_moves_focus_to_the_main_content(watched_pages, site_url, site_pages):
    watched = watched_pages()
    problems = []
    for path in site_pages:
        visit(watched, site_url, path)
        page = watched.page
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not (focused and focused["inMain"]):
            problems.append(f"{path}: after the skip link, Tab goes to {focused}")
    assert problems == []


@pytest.mark.parametrize("width,height", VIEWPORTS)
def test_screenshots_of_every_page_type_fit_the_screen(watched_pages, site_url, bundled_site, width, height):
    """Saves a full-page screenshot of each page type (light, and dark on the phone) and checks nothing is wider than the screen."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    schemes = SCHEMES if width < 600 else ["light"]
    problems = []
    for scheme in schemes:
        watched = watched_pages(viewport={"width": width, "height": height}, color_scheme=scheme)
        page = watched.page
        for kind, path in representatives(bundled_site.out).items():
            problems += visit(watched, site_url, path, settle=True)
            suffix = "" if scheme == "light" else f"-{scheme}"
            shot = SCREENSHOTS / f"{file_name(kind)}-{width}x{height}{suffix}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 0
            overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
            if overflow > 0:
                problems.append(f"{kind} ({path}) at {width}px, {scheme}: {overflow}px wider than the screen")
    assert problems == []


def test_page_types_are_named_from_where_pages_live():
    assert page_type("index.html") == "timeline"
    assert page_type("meetings/ncg-5.html") == "meeting"
    assert page_type("topics/index.html") == "topic index"
    assert page_type("topics/guidelines.html") == "topic"
    assert page_type("topics/guidelines/ncg-4.html") == "topic articles"
    assert page_type("search.html") == "search"
    assert page_type("search/index.html") == "search"
    assert page_type("people/kim.html") == "person"
    assert page_type("places/seoul.html") == "places"  # a type added later is named from its folder
