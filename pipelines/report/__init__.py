"""``newsbeam report``: a run's output folder -> one self-contained HTML page plus PNG charts."""

from __future__ import annotations

import os
from dataclasses import dataclass

from pipelines.report.charts import draw_all
from pipelines.report.data import NoRunOutput, RunStats, load_run
from pipelines.report.html import render_html

__all__ = ["NoRunOutput", "Report", "write_report"]


@dataclass
class Report:
    html: str                # path of the page
    charts: dict[str, str]   # chart name -> path of its PNG, next to the page
    stats: RunStats


def write_report(run_dir: str, out_html: str) -> Report:
    """Read ``run_dir`` and write ``out_html`` and ``<stem>-<chart>.png`` beside it."""
    stats = load_run(run_dir)
    charts = draw_all(stats)
    out_dir = os.path.dirname(os.path.abspath(out_html))
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(out_html))[0]
    paths = {}
    for name, png in charts.items():
        path = os.path.join(out_dir, f"{stem}-{name.replace('_', '-')}.png")
        with open(path, "wb") as f:
            f.write(png)
        paths[name] = path
    with open(out_html, "w", encoding="utf-8") as f:
        f.write(render_html(stats, charts, run_dir))
    return Report(html=out_html, charts=paths, stats=stats)
