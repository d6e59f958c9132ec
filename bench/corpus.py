"""A synthetic project of N articles for the benchmark, and the same articles for Pelican.

The project uses the repository's templates and vocabularies and a
meetings.yml of about thirty invented meetings. Each article is a few hundred
words of seeded pseudo-random text with an outlet, a meeting, two co-chairs,
two to four topics, a quote and a summary, so the pages exercise every part of
the templates. The same seed always gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
VOCABULARY_FILES = ("site.yml", "topics.yml", "people.yml", "outlets.yml", "places.yml")
MEETINGS = 30

WORDS = (
    "alliance deterrence nuclear planning consultation exercise simulation guidelines posture "
    "capability commitment defense ministry officials delegation talks statement allies peninsula "
    "security cooperation integration conventional strategic assets submarine bomber carrier "
    "information sharing secure communications crisis response training education tabletop "
    "readiness threat missile launch provocation regional stability partners framework joint "
    "review progress agenda session working group policy dialogue senior visit reaffirmed pledged "
    "agreed discussed emphasized assessed continued strengthened expanded planned scheduled"
).split()
CITIES = ("Washington, D.C.", "Seoul", "Honolulu", "Busan")
US_CHAIRS = ("Robert Soofer", "Cara Abercrombie", "Vipin Narang", "Maher Bitar")
ROK_CHAIRS = ("Kim Hong-cheol", "Cho Chang-rae", "Kim Tae-hyo", "Heo Tae-keun")


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    outlet: str
    published: dt.datetime
    meeting: int
    place: str
    topics: tuple[str, ...]
    us_chair: str
    rok_chair: str
    quote: str
    summary: str
    republish: bool
    paragraphs: tuple[str, ...]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def meeting_date(number: int) -> dt.date:
    return dt.date(2023, 7, 18) + dt.timedelta(days=61 * (number - 1))


def make_article(n: int, rng: random.Random, topics: list[str], outlets: list[str]) -> Article:
    meeting = rng.randint(1, MEETINGS)
    city = CITIES[meeting % len(CITIES)]
    published = dt.datetime.combine(meeting_date(meeting), dt.time(9, 0)) + dt.timedelta(hours=rng.randint(0, 96), minutes=rng.randint(0, 59))
    title_words = " ".join(rng.choice(WORDS) for _ in range(6))
    paragraphs = tuple(" ".join(sentence(rng, rng.randint(12, 24)) for _ in range(3)) for _ in range(rng.randint(5, 8)))
    outlet = outlets[n % len(outlets)]
    return Article(
        slug=f"{published:%Y-%m-%d}-article-{n:05d}",
        title=f"Allies hold talks on {title_words} ({n})",
        outlet=outlet,
        published=published,
        meeting=meeting,
        place=city,
        topics=tuple(rng.sample(topics, rng.randint(2, 4))),
        us_chair=US_CHAIRS[meeting % len(US_CHAIRS)],
        rok_chair=ROK_CHAIRS[meeting % len(ROK_CHAIRS)],
        quote=sentence(rng, 14),
        summary=paragraphs[0].split(". ")[0] + ".",
        republish=n % 10 == 0,  # some outlets allow the full text
        paragraphs=paragraphs,
    )


def articles(count: int, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    topics = [t["slug"] for t in yaml.safe_load((REPO / "content" / "topics.yml").read_text(encoding="utf-8"))]
    outlets = [o["name"] for o in yaml.safe_load((REPO / "content" / "outlets.yml").read_text(encoding="utf-8"))]
    return [make_article(n, rng, topics, outlets) for n in range(count)]


def meetings_yaml() -> str:
    meetings = []
    for number in range(1, MEETINGS + 1):
        meetings.append(
            {
                "number": number,
                "status": "held",
                "date": meeting_date(number).isoformat(),
                "city": CITIES[number % len(CITIES)],
                "co_chairs": [
                    {"name": US_CHAIRS[number % len(US_CHAIRS)], "side": "US", "title": "Deputy Assistant Secretary of Defense"},
                    {"name": ROK_CHAIRS[number % len(ROK_CHAIRS)], "side": "ROK", "title": "Deputy Minister for National Defense Policy"},
                ],
                "outcomes": [f"Reviewed progress on the guidelines and planned exercises (session {number})."],
                "confidence": "high",
                "sources": [f"https://example.org/ncg/{number}"],
            }
        )
    founding = {"name": "Washington Declaration", "date": "2023-04-26", "what": "The NCG is announced.", "city": "Washington, D.C."}
    return yaml.safe_dump({"founding": founding, "meetings": meetings}, sort_keys=False, allow_unicode=True)


def ncg_text(a: Article) -> str:
    fields = {
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published.strftime("%Y-%m-%d %H:%M"),
        "meeting": a.meeting,
        "place": a.place,
        "people": [
            {"name": a.us_chair, "side": "US", "role": "co-chair", "title": "Deputy Assistant Secretary of Defense"},
            {"name": a.rok_chair, "side": "ROK", "role": "co-chair", "title": "Deputy Minister for National Defense Policy"},
        ],
        "topics": list(a.topics),
        "quotes": [{"text": a.quote, "speaker": a.us_chair}],
        "summary": a.summary,
        "rights": f"Copyright {a.outlet}",
        "republish": a.republish,
        "url": f"https://example.org/news/{a.slug}",
    }
    front = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{front}---\n\n" + "\n\n".join(a.paragraphs) + "\n"


def pelican_text(a: Article) -> str:
    header = [
        f"Title: {a.title}",
        f"Date: {a.published:%Y-%m-%d %H:%M}",
        f"Category: NCG meeting {a.meeting}",
        f"Tags: {', '.join(a.topics)}",
        f"Authors: {a.outlet}",
        f"Slug: {a.slug}",
        f"Summary: {a.summary}",
    ]
    return "\n".join(header) + "\n\n" + "\n\n".join(a.paragraphs) + "\n"


PELICAN_CONF = """\
# Pelican settings for the benchmark corpus: the bundled 'simple' theme copied
# into theme/, no feeds, relative links; the content cache is used as Pelican
# documents it, so its rebuilds are as fast as it can make them.
SITENAME = "NCG Digest benchmark"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"
RELATIVE_URLS = True
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def write_ncg_project(root: Path, items: list[Article]) -> None:
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content" / "articles").mkdir(parents=True)
    for name in VOCABULARY_FILES:
        shutil.copy(REPO / "content" / name, root / "content" / name)
    (root / "content" / "meetings.yml").write_text(meetings_yaml(), encoding="utf-8")
    (root / "seeds").mkdir()
    for a in items:
        write_ncg_article(root, a)


def write_ncg_article(root: Path, a: Article) -> Path:
    path = root / "content" / "articles" / f"{a.slug}.md"
    path.write_text(ncg_text(a), encoding="utf-8")
    return path


def write_pelican_project(root: Path, items: list[Article]) -> None:
    import pelican

    (root / "content").mkdir(parents=True)
    shutil.copytree(Path(pelican.__file__).parent / "themes" / "simple", root / "theme")
    (root / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    for a in items:
        write_pelican_article(root, a)


def write_pelican_article(root: Path, a: Article) -> Path:
    path = root / "content" / f"{a.slug}.md"
    path.write_text(pelican_text(a), encoding="utf-8")
    return path
