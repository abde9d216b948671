"""The report page: one self-contained HTML file (inline CSS, charts as PNG data URIs, no scripts,
no external URL), readable offline and safe to mail around."""

from __future__ import annotations

import base64
import struct
from datetime import UTC, datetime
from html import escape

from pipelines import __version__
from pipelines.report.data import Cluster, RunStats

CSS = """
:root { --ink:#1d2733; --muted:#5d6b7a; --line:#dde3ea; --bg:#f5f7fa; --ok:#3f9e5a; --bad:#c4453c; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 28px 24px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 12px; }
.sub { color: var(--muted); margin: 0 0 22px; word-break: break-all; }
section { background:#fff; border:1px solid var(--line); border-radius:10px; padding:18px 20px; margin:0 0 18px; }
.cards { display:grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap:12px;
         background:none; border:none; padding:0; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.card b { display:block; font-size:24px; }
.card span { color: var(--muted); font-size: 13px; }
.card.wide { grid-column: span 2; } .card.wide b { font-size: 19px; padding: 3px 0; }
img.chart { display:block; max-width:100%; height:auto; margin: 6px 0 12px; }
table { border-collapse: collapse; width:100%; font-size: 13.5px; }
th, td { text-align:left; padding:6px 8px; border-bottom:1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight:600; }
td.n { text-align:right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ok { color: var(--ok); font-weight:600; } .bad { color: var(--bad); font-weight:600; }
.none { color: var(--muted); font-style: italic; }
.tag { display:inline-block; background:#eef2f7; border-radius:4px; padding:0 6px; margin:1px 2px; }
.tag.canon { background:#dfe9f7; font-weight:600; }
footer { color: var(--muted); font-size: 12.5px; text-align:center; }
"""

CHART_TITLES = {
    "accounting": "Where the records went",
    "entities": "Top entities",
    "topics": "Topic distribution over time",
    "clusters": "Which outlets carried which story",
    "dead_letters": "Dead letters by reason",
}


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), so the page lays out before images decode."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _img(name: str, charts: dict[str, bytes]) -> str:
    png = charts.get(name)
    if png is None:
        return ""
    width, height = png_size(png)
    data = base64.b64encode(png).decode("ascii")
    return (f'<img class="chart" id="chart-{name}" alt="{escape(CHART_TITLES[name])}" width="{width}" '
            f'height="{height}" src="data:image/png;base64,{data}">')


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _card(value: object, label: str, wide: bool = False) -> str:
    cls = "card wide" if wide else "card"
    return f'<div class="{cls}"><b>{escape(str(value))}</b><span>{escape(label)}</span></div>'


def _overview(stats: RunStats) -> str:
    days = "—"
    if stats.first_day:
        days = stats.first_day.isoformat() if stats.first_day == stats.last_day else \
            f"{stats.first_day:%d %b} – {stats.last_day:%d %b %Y}"
    cards = [_card(stats.records_in, "records in"), _card(stats.articles, "articles"),
             _card(stats.duplicates, "duplicates dropped"), _card(stats.dead_letters, "dead letters"),
             _card(len(stats.outlets), "outlets / sources"), _card(len(stats.languages), "languages"),
             _card(days, "published", wide=True)]
    return f'<section class="cards" id="overview">{"".join(cards)}</section>'


def _accounting(stats: RunStats, charts: dict[str, bytes]) -> str:
    line = (f"records in <b>{stats.records_in}</b> = articles <b>{stats.articles}</b> + duplicates "
            f"<b>{stats.duplicates}</b> + dead letters <b>{stats.dead_letters}</b>")
    extra = ""
    if stats.sink_rejects:
        extra = (f'<p><span class="bad">{stats.sink_rejects} record(s) rejected by a sink</span> after they were '
                 "counted (in dead_letters/ with stage “sink”, outside the accounting).</p>")
    note = ('<p class="none">Counted from the files in this folder; <code>newsbeam run</code> checks the same '
            "equation against its counters and fails when it does not hold.</p>")
    chart = _img("accounting", charts)
    return f'<section id="accounting"><h2>Accounting</h2><p>{line}</p>{chart}{extra}{note}</section>'


def _entities(stats: RunStats, charts: dict[str, bytes]) -> str:
    if not stats.entities:
        return '<section id="entities"><h2>Top entities</h2><p class="none">No entities were tagged.</p></section>'
    return f'<section id="entities"><h2>Top entities</h2>{_img("entities", charts)}</section>'


def _topics(stats: RunStats, charts: dict[str, bytes]) -> str:
    body = _img("topics", charts) or '<p class="none">No article has a publication date.</p>'
    if stats.undated:
        body += f'<p class="none">{stats.undated} article(s) without a publication date are not in the chart.</p>'
    if stats.topics:
        rows = [[escape(label), str(n), f"{100 * n / max(stats.articles, 1):.0f}%"]
                for label, n in stats.topics.most_common(12)]
        body += _table(["IPTC Media Topic (any rank)", "articles", "share"], rows, {1, 2})
    return f'<section id="topics"><h2>Topic distribution over time</h2>{body}</section>'


def _carriers(cluster: Cluster) -> str:
    tags = []
    if cluster.canonical:
        tags.append(f'<span class="tag canon" title="canonical copy">{escape(cluster.canonical.outlet)}</span>')
    for copy in cluster.copies:
        sim = f"{copy.similarity:.2f}" if copy.similarity is not None else "?"
        tags.append(f'<span class="tag" title="{escape(copy.method or "")}, similarity {sim}">'
                    f"{escape(copy.outlet)} <small>{escape(copy.method or '')} {sim}</small></span>")
    return " ".join(tags)


def _clusters(stats: RunStats, charts: dict[str, bytes]) -> str:
    clusters = stats.duplicate_clusters()
    if not clusters:
        return ('<section id="clusters"><h2>Duplicate clusters</h2>'
                '<p class="none">No duplicates were dropped.</p></section>')
    rows = [[escape((c.canonical or c.copies[0]).headline), escape(c.agency or "—"), _carriers(c), str(c.size)]
            for c in clusters]
    table = _table(["story (canonical headline)", "wire", "carried by (canonical first)", "copies"], rows, {3})
    return f'<section id="clusters"><h2>Duplicate clusters</h2>{_img("clusters", charts)}{table}</section>'


def _dead_letters(stats: RunStats, charts: dict[str, bytes]) -> str:
    reasons = stats.dead_letter_reasons()
    if not reasons:
        return ('<section id="dead-letters"><h2>Dead letters by reason</h2>'
                '<p class="none">No dead letters: every record was processed.</p></section>')
    rows = []
    for stage, error, n in reasons:
        message, where = stats.dead_examples[(stage, error)]
        rows.append([escape(stage), f"<code>{escape(error)}</code>", str(n), escape(message[:200]), escape(where)])
    table = _table(["stage", "error", "count", "example message", "example source"], rows, {2})
    return f'<section id="dead-letters"><h2>Dead letters by reason</h2>{_img("dead_letters", charts)}{table}</section>'


def render_html(stats: RunStats, charts: dict[str, bytes], run_dir: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [_overview(stats), _accounting(stats, charts), _entities(stats, charts), _topics(stats, charts),
                _clusters(stats, charts), _dead_letters(stats, charts)]
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>newsbeam report: {escape(run_dir)}</title><style>{CSS}</style></head>\n<body><main>"
            f'<h1>newsbeam run report</h1><p class="sub">{escape(run_dir)} · generated {when}</p>'
            + "\n".join(sections)
            + f"<footer>newsbeam {escape(__version__)}</footer></main></body></html>\n")
