"""``newsbeam report DIR [--out FILE]``: what a run found, as an HTML page with charts."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write an HTML report (with PNG charts) of a run's output folder",
        description="Read DIR/articles, DIR/duplicates and DIR/dead_letters (as written by `newsbeam run "
                    "--output DIR`) and write a self-contained HTML page: top entities, topics over time, "
                    "duplicate clusters (which outlets carried which story), dead letters by reason and the "
                    "accounting. The charts are also written as PNG files next to the page.")
    p.add_argument("run_dir", metavar="DIR", help="output folder of a run (any Beam filesystem)")
    p.add_argument("--out", default=None, metavar="FILE", help="HTML file to write (default: DIR/report.html)")
    p.set_defaults(func=_report, pipeline_options=False)


def _report(args: argparse.Namespace, beam_args: list[str]) -> int:
    from pipelines.report import write_report

    out = args.out or os.path.join(args.run_dir, "report.html")
    report = write_report(args.run_dir, out)
    s = report.stats
    print(f"newsbeam report: {args.run_dir} -> {report.html}")
    print(f"  records in {s.records_in}: {s.articles} articles, {s.duplicates} duplicates, "
          f"{s.dead_letters} dead letters")
    for name, path in report.charts.items():
        print(f"  chart          {name:<13} {path}")
    return 0
