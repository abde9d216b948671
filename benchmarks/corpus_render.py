"""Render a Story as real feeds deliver it: page-text dumps in outlet layouts, HTML pages, JSON records.

Layouts follow the shapes described in DESIGN.md and sample_data/README.md (our own outlet names
under ``.example`` domains). HTML pages carry the weight real pages carry around the article:
head metadata and JSON-LD, inline scripts and styles, cookie banner, navigation, share tools,
related links and a footer, so their size and parse cost are like real pages (tens of kB).
"""

from __future__ import annotations

import hashlib
import html
import random
from datetime import UTC, datetime, timedelta
from functools import cache

import orjson

from benchmarks.corpus_text import MONTHS, Story

OUTLETS = (
    ("The Harbour Post", "harbourpost.example"), ("Coast Herald", "coastherald.example"),
    ("The Continental Times", "continentaltimes.example"), ("Daily Ledger", "dailyledger.example"),
    ("Northern Courier", "northerncourier.example"), ("The Plains Gazette", "plainsgazette.example"),
    ("Metro Dispatch", "metrodispatch.example"), ("Business Lens", "businesslens.example"),
    ("The Island Observer", "islandobserver.example"), ("Capital Review", "capitalreview.example"),
    ("Valley Informer", "valleyinformer.example"), ("The Morning Wire", "morningwire.example"),
)
_SECTION_TEASERS = ("World", "Business", "Opinion", "Sport", "Health", "Technology", "Environment", "Politics")
_DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
              "November", "Dezember")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre")


def _body(story: Story, dateline: str = "") -> list[str]:
    paras = list(story.paragraphs)
    if dateline:
        paras[0] = dateline + paras[0]
    return paras


def _teasers(rng: random.Random, story: Story, n: int) -> list[tuple[str, str, str]]:
    """Related-article teasers (headline, standfirst, section) made from the story's own words."""
    out = []
    for _ in range(n):
        words = rng.choice(story.paragraphs).split()
        start = rng.randrange(max(1, len(words) - 8))
        head = " ".join(words[start:start + rng.randint(5, 9)]).strip(".,“”\"")
        out.append((head[:1].upper() + head[1:], " ".join(rng.choice(story.paragraphs).split()[:12]).rstrip(".,") + ".",
                    rng.choice(_SECTION_TEASERS)))
    return out


def _ampm(t: datetime) -> str:
    return f"{t.hour % 12 or 12}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def businesslive(rng: random.Random, story: Story) -> str:
    """The seed layout: header line, headline, standfirst, date, byline, caption, body, credit, teasers."""
    t = story.published
    byline = "by " + (" and ".join(story.authors) if story.authors != ["Staff"] else "Staff Writer")
    lines = [f"date {t:%Y-%m-%d} {story.section}", "", story.headline, "", story.standfirst, "",
             f"{t.day:02d} {MONTHS[t.month - 1]} {t.year} - {t:%H:%M}", byline,
             f"{story.caption}. Picture: {(story.agency or 'SUPPLIED').upper()}/{story.photographer.upper()}"]
    lines.append("\n\n".join(_body(story)))
    if story.agency:
        lines += ["", story.agency]
    for head, stand, section in _teasers(rng, story, rng.randint(3, 5)):
        lines += ["", head, "", stand, section, f"{rng.randint(1, 9)} days ago"]
    return "\n".join(lines) + "\n"


def wire(rng: random.Random, story: Story) -> str:
    """A wire agency's own site: kickers, 'By A and B', US-style date, dateline, reporting trailer."""
    t = story.published
    agency = story.agency if story.agency in ("Reuters", "Bloomberg", "AFP") else "Reuters"
    authors = " and ".join(story.authors)
    dateline = f"{story.city.upper()}, {MONTHS[t.month - 1]} {t.day} ({agency}) - "
    lines = ["Skip to main content", story.section, story.country, story.headline, f"By {authors}",
             f"{MONTHS[t.month - 1]} {t.day}, {t.year} {_ampm(t)} GMT+0", f"Updated {rng.randint(1, 9)} hours ago", "",
             "\n\n".join(_body(story, dateline)), "",
             "Get the day's biggest stories in our morning newsletter. Sign up here.", "",
             f"(Reporting by {authors}; Editing by {rng.choice(story.authors)})", "",
             "Our Standards: The Trust Principles.", "Purchase Licensing Rights"]
    return "\n".join(lines) + "\n"


def apnews(rng: random.Random, story: Story) -> str:
    t = story.published
    updated = t + timedelta(minutes=rng.randint(20, 300))
    lines = [story.section.upper(), story.headline, "By " + " and ".join(a.upper() for a in story.authors),
             f"Published {_ampm(t)} GMT, {MONTHS[t.month - 1]} {t.day}, {t.year}",
             f"Updated {_ampm(updated)} GMT, {MONTHS[updated.month - 1]} {updated.day}, {updated.year}", "",
             "\n\n".join(_body(story, f"{story.city.upper()} (AP) — ")), "",
             f"Associated Press writer {story.photographer} in {story.city} contributed to this report.", "",
             "Share", "Copy Link copied"]
    return "\n".join(lines) + "\n"


def broadsheet(rng: random.Random, story: Story) -> str:
    t = story.published
    mod = t + timedelta(minutes=rng.randint(30, 500))

    def stamp(d: datetime) -> str:
        return f"{d:%a} {d.day} {d:%b} {d.year} {d:%H.%M} GMT"

    agency = f"/{story.agency}" if story.agency else ""
    lines = [f"{story.section} news", story.headline, story.standfirst,
             f"{story.authors[0]} {rng.choice(('Political correspondent', 'Economics editor', 'in ' + story.city))}",
             stamp(t), f"Last modified on {stamp(mod)}", "Share",
             f"{story.caption}. Photograph: {story.photographer}{agency}",
             "\n\n".join(_body(story)), "", "Explore more on these topics", story.section, story.country,
             "news", "Share", "Reuse this content"]
    return "\n".join(lines) + "\n"


def german(rng: random.Random, story: Story) -> str:
    t = story.published
    lines = ["Ausland" if rng.random() < 0.3 else "Inland", story.section, story.headline, story.standfirst,
             f"{t:%d.%m.%Y}, {t:%H:%M} Uhr", f"Von {story.authors[0]}, {story.city}",
             f"Lesezeit: {rng.randint(2, 6)} Min.", f"{story.caption}. Foto: {story.photographer}/dpa",
             "\n\n".join(_body(story)), "", "Mehr zum Thema", story.headline.split(":")[0]]
    return "\n".join(lines) + "\n"


def french(rng: random.Random, story: Story) -> str:
    t = story.published
    mod = t + timedelta(minutes=rng.randint(30, 600))
    lines = ["International" if rng.random() < 0.3 else "Politique", story.headline, story.standfirst,
             f"Par {story.authors[0]}",
             f"Publié le {t.day:02d} {_FR_MONTHS[t.month - 1]} {t.year} à {t:%H}h{t:%M}, "
             f"modifié le {mod.day:02d} {_FR_MONTHS[mod.month - 1]} {mod.year} à {mod:%H}h{mod:%M}",
             f"Lecture {rng.randint(2, 7)} min.", f"{story.caption}. Photo : {story.photographer} / AFP",
             "\n\n".join(_body(story)), "", f"Lire aussi | {story.standfirst[:60]}"]
    return "\n".join(lines) + "\n"


TEXT_STYLES = {"businesslive": businesslive, "wire": wire, "apnews": apnews, "broadsheet": broadsheet,
               "de": german, "fr": french}


@cache
def _outlet_furniture(domain: str) -> tuple[str, str, str, str]:
    """Per-outlet page furniture (styles, scripts, navigation, footer), the same on every page."""
    rng = random.Random(domain)
    blob = hashlib.sha256(domain.encode()).hexdigest()
    css = "".join(f".c{blob[i % 60:i % 60 + 4]}-{i}{{margin:{i % 9}px;padding:{i % 7}px;"
                  f"color:#{blob[i % 58:i % 58 + 6]}}}" for i in range(rng.randint(300, 700)))
    js = "".join(f"var k{i}=function(a,b){{return a*{i % 13}+b['{blob[i % 60:i % 60 + 5]}']||window.q{i % 50};}};"
                 for i in range(rng.randint(250, 600)))
    sections = ("World", "Business", "Markets", "Politics", "Opinion", "Sport", "Health", "Science", "Technology",
                "Culture", "Travel", "Climate", "Video", "Podcasts", "Newsletters", "Subscribe")
    nav = "".join(f'<li class="nav-item"><a href="/{s.lower()}/{j}">{s} {j or ""}</a></li>'
                  for s in sections for j in range(rng.randint(1, 4)))
    footer = "".join(f'<li><a href="/about/{w}">{w.replace("-", " ").title()}</a></li>'
                     for w in ("contact-us", "advertise", "privacy-policy", "cookie-settings", "terms-of-use",
                               "careers", "corrections", "ethics-code", "accessibility", "rss-feeds", "archive",
                               "sitemap") for _ in range(2))
    return css, js, nav, footer


def html_page(rng: random.Random, story: Story, outlet: tuple[str, str], url: str) -> str:
    name, domain = outlet
    css, js, nav, footer = _outlet_furniture(domain)
    iso = story.published.astimezone(UTC).isoformat().replace("+00:00", "Z")
    author_ld = (f'{{"@type":"Organization","name":"{story.agency}"}}' if story.agency and rng.random() < 0.5
                 else ",".join(f'{{"@type":"Person","name":"{a}"}}' for a in story.authors))
    esc = html.escape
    paras = [f"<p>{esc(p)}</p>" for p in story.paragraphs]
    if len(paras) > 4:  # inline teaser and newsletter box inside the article body, as real pages do
        paras.insert(3, f'<aside class="related-inline"><a href="/x/{rng.randint(1, 99999)}">Read more: '
                        f'{esc(story.standfirst[:70])}</a></aside>')
        paras.insert(len(paras) - 2, '<div class="newsletter-box"><p>Get our daily briefing in your inbox.</p>'
                                     '<form><input type="email"><button>Sign up</button></form></div>')
    related = "".join(f'<li><a href="/story/{rng.randint(1, 10**6)}"><h3>{esc(h)}</h3><p>{esc(s)}</p></a></li>'
                      for h, s, _ in _teasers(rng, story, rng.randint(4, 8)))
    credit = f"<p class=\"credit\">{esc(story.agency)}</p>" if story.agency else ""
    return f"""<!DOCTYPE html>
<html lang="{story.language}">
<head>
<meta charset="utf-8">
<title>{esc(story.headline)} | {esc(name)}</title>
<meta name="description" content="{esc(story.standfirst)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{esc(name)}">
<meta property="og:title" content="{esc(story.headline)}">
<meta property="og:url" content="{url}?utm_source=feed">
<meta property="article:published_time" content="{iso}">
<meta property="article:section" content="{esc(story.section)}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":{_js(story.headline)},
"datePublished":"{iso}","author":[{author_ld}],"publisher":{{"@type":"Organization","name":"{esc(name)}"}},
"articleSection":"{esc(story.section)}","inLanguage":"{story.language}"}}</script>
<style>{css}</style>
<script>{js}</script>
</head>
<body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience and show you personalised
advertising. By continuing to browse you agree to our cookie policy.</p>
<button>Accept all</button><button>Manage</button></div>
<header class="site-header"><a href="/">{esc(name)}</a><nav><ul>{nav}</ul></nav></header>
<main><article>
<p class="kicker"><a href="/{story.section.lower()}">{esc(story.section)}</a></p>
<h1>{esc(story.headline)}</h1>
<p class="standfirst">{esc(story.standfirst)}</p>
<div class="byline">By {esc(" and ".join(story.authors))}</div>
<time datetime="{iso}" class="published">{story.published:%d %B %Y, %H:%M}</time>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Copy link</a></div>
<figure><img src="/img/{rng.randint(1, 10**6)}.jpg" alt="">
<figcaption>{esc(story.caption)}. Photo: {esc(story.photographer)}</figcaption></figure>
<div class="article-body">
{"".join(paras)}
{credit}
</div>
</article>
<section class="related"><h2>More on this story</h2><ul>{related}</ul></section>
</main>
<footer><ul>{footer}</ul><p>© {story.published.year} {esc(name)}. All rights reserved.</p></footer>
<script>window.__ads={{slot:"{rng.randint(1, 10**9)}"}};</script>
</body>
</html>
"""


def _js(text: str) -> str:
    return orjson.dumps(text).decode()


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def newsapi_item(rng: random.Random, story: Story, outlet: tuple[str, str], url: str) -> dict:
    """A NewsAPI-style element; a few carry NewsAPI's truncated content, as free plans return it."""
    content = "\r\n\r\n".join(story.paragraphs)
    if rng.random() < 0.05:
        content = content[:200] + f"… [+{len(content) - 200} chars]"
    return {"source": {"id": None, "name": outlet[0]}, "author": ", ".join(story.authors), "title": story.headline,
            "description": story.standfirst, "url": url, "urlToImage": f"https://{outlet[1]}/img/{story.key}.jpg",
            "publishedAt": _iso(story.published), "content": content}


def crawler_item(rng: random.Random, story: Story, outlet: tuple[str, str], url: str) -> dict:
    """A crawler record: one of two field-naming schemes, sometimes with an HTML body and epoch millis."""
    if rng.random() < 0.5:
        return {"url": url, "title": story.headline, "description": story.standfirst,
                "content": "\n\n".join(story.paragraphs), "author": ", ".join(story.authors),
                "source": {"id": None, "name": outlet[0]}, "publishedAt": _iso(story.published),
                "language": story.language, "category": [story.section.lower()]}
    return {"link": url, "headline": story.headline, "summary": story.standfirst,
            "body": "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs),
            "published": int(story.published.timestamp() * 1000), "byline": " and ".join(story.authors),
            "site_name": outlet[0], "lang": story.language, "section": story.section}
