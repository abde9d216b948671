"""The report's charts as PNG bytes, drawn with matplotlib's Agg backend (no display, no pyplot state).

Each function returns None when there is nothing to draw, so the page says so in words instead
of showing an empty frame.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from datetime import date

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from pipelines.report.data import RunStats, time_buckets

PALETTE = ["#2f6db5", "#e0803a", "#3f9e5a", "#c4453c", "#8a62b8", "#8c6d4f", "#d36fb0", "#7a7a7a",
           "#b5b83a", "#35a9b8"]
ACCOUNTING_COLOURS = {"articles": "#3f9e5a", "duplicates": "#e0803a", "dead letters": "#c4453c"}
DPI = 100


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    with warnings.catch_warnings():  # names in scripts DejaVu Sans lacks are drawn as boxes, not errors
        warnings.filterwarnings("ignore", message="Glyph .* missing")
        fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    fig.patch.set_facecolor("white")
    return fig


def _short(text: str, width: int) -> str:
    """At most ``width`` characters, cut at a word when there is one (file names have none)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[width // 2:] else cut) + "…"


def entities_chart(stats: RunStats, n: int = 15) -> bytes | None:
    top = stats.top_entities(n)
    if not top:
        return None
    types = list(dict.fromkeys(t for _, t, _, _ in top))
    colour = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    fig = _figure(8.5, 0.36 * len(top) + 1.2)
    ax = fig.add_subplot()
    labels = [_short(name, 32) for name, *_ in top][::-1]
    values = [docs for _, _, docs, _ in top][::-1]
    bars = ax.barh(labels, values, color=[colour[t] for _, t, _, _ in top][::-1])
    ax.bar_label(bars, labels=[f"{d} ({m} mentions)" for _, _, d, m in top][::-1], padding=3, fontsize=8)
    ax.set_xlabel("articles naming the entity")
    ax.set_xlim(0, max(values) * 1.3)
    for t in types:
        ax.barh([labels[0]], [0], color=colour[t], label=t)  # legend handles only
    ax.legend(title="type", loc="lower right", fontsize=8, title_fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def topics_chart(stats: RunStats, n_topics: int = 7) -> bytes | None:
    unit, buckets = time_buckets(stats.top_topic_by_day)
    if not buckets:
        return None
    totals: Counter[str] = Counter()
    for counts in buckets.values():
        totals.update(counts)
    shown = [label for label, _ in totals.most_common(n_topics)]
    days: list[date] = sorted(buckets)
    fig = _figure(9.5, 4.6)
    ax = fig.add_subplot()
    x = list(range(len(days)))
    bottom = [0] * len(days)
    series = [*shown, "other"] if len(totals) > len(shown) else shown
    for i, label in enumerate(series):
        values = [sum(v for k, v in buckets[d].items() if k not in shown) if label == "other"
                  else buckets[d].get(label, 0) for d in days]
        ax.bar(x, values, bottom=bottom, color=PALETTE[i % len(PALETTE)] if label != "other" else "#bbbbbb",
               label=_short(label, 40), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    fmt = {"day": "%d %b", "week": "wk %d %b", "month": "%b %Y"}[unit]
    step = max(1, len(days) // 16)
    ax.set_xticks(x[::step], [d.strftime(fmt) for d in days][::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(f"articles per {unit} (by top topic)")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def clusters_chart(stats: RunStats, n: int = 12) -> bytes | None:
    """Who carried what: stories (rows) by outlets (columns); the star is the canonical copy."""
    clusters = stats.duplicate_clusters(n)
    if not clusters:
        return None
    outlets = list(dict.fromkeys(o for c in clusters for o in c.outlets))
    fig = _figure(max(6.0, 1.0 + 0.55 * len(outlets) + 4.5), 0.5 * len(clusters) + 2.2)
    ax = fig.add_subplot()
    for row, cluster in enumerate(clusters):
        y = len(clusters) - 1 - row
        if cluster.canonical:
            ax.scatter([outlets.index(cluster.canonical.outlet)], [y], marker="*", s=220, color="#2f6db5",
                       zorder=3, label="canonical copy" if row == 0 else None)
        for copy in cluster.copies:
            ax.scatter([outlets.index(copy.outlet)], [y], s=90, color="#e0803a", zorder=3,
                       label="dropped copy" if row == 0 and copy is cluster.copies[0] else None)
    headline = [_short((c.canonical or c.copies[0]).headline, 46) + (f"  ({c.agency})" if c.agency else "")
                for c in clusters]
    ax.set_yticks(range(len(clusters)), headline[::-1], fontsize=8)
    ax.set_xticks(range(len(outlets)), [_short(o, 28) for o in outlets], rotation=40, ha="right", fontsize=8)
    ax.set_xlim(-0.6, len(outlets) - 0.4)
    ax.set_ylim(-0.6, len(clusters) - 0.4)
    ax.grid(True, color="#e5e5e5", zorder=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def dead_letters_chart(stats: RunStats) -> bytes | None:
    reasons = stats.dead_letter_reasons()
    if not reasons:
        return None
    stages = list(dict.fromkeys(s for s, _, _ in reasons))
    colour = {s: PALETTE[(i + 3) % len(PALETTE)] for i, s in enumerate(stages)}
    fig = _figure(8.5, 0.4 * len(reasons) + 1.2)
    ax = fig.add_subplot()
    labels = [f"{stage}: {error}" for stage, error, _ in reasons][::-1]
    values = [n for *_, n in reasons][::-1]
    bars = ax.barh(labels, values, color=[colour[s] for s, _, _ in reasons][::-1])
    ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_xlim(0, max(values) * 1.2)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("dead letters")
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def accounting_chart(stats: RunStats) -> bytes | None:
    parts = {"articles": stats.articles, "duplicates": stats.duplicates, "dead letters": stats.dead_letters}
    total = sum(parts.values())
    if not total:
        return None
    fig = _figure(9.0, 1.5)
    ax = fig.add_subplot()
    left = 0
    for label, value in parts.items():
        if not value:
            continue
        ax.barh([0], [value], left=left, color=ACCOUNTING_COLOURS[label], height=0.6)
        if value / total > 0.08:
            ax.text(left + value / 2, 0, f"{label}\n{value}", ha="center", va="center", color="white",
                    fontsize=9, fontweight="bold")
        left += value
    ax.set_xlim(0, total)
    ax.set_yticks([])
    ax.set_xlabel(f"records in = {total}")
    ax.spines[["top", "right", "left"]].set_visible(False)
    return _png(fig)


CHARTS = {
    "accounting": accounting_chart,
    "entities": entities_chart,
    "topics": topics_chart,
    "clusters": clusters_chart,
    "dead_letters": dead_letters_chart,
}


def draw_all(stats: RunStats) -> dict[str, bytes]:
    """Name -> PNG bytes for every chart that has data."""
    out = {}
    for name, draw in CHARTS.items():
        png = draw(stats)
        if png is not None:
            out[name] = png
    return out
