"""The Markdown tables and the PNG chart of a benchmark summary (benchmarks/report.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.report import E2E_LABELS, STAGE_LABELS, _ratio


def _n(x: float | None, digits: int = 0) -> str:
    if x is None:
        return "–"
    return f"{x:,.{digits}f}"


def _rate(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.1f}" if x >= 10 else f"{x:,.2f}"


def _spread(s: dict[str, float]) -> str:
    return f"{s['median']:.2f} [{s['min']:.2f}–{s['max']:.2f}]"


def _partial(invocation: dict[str, Any]) -> str:
    """A note when a suite stopped (or is still running) before all its measurements ran."""
    measured, planned = invocation.get("measured"), invocation.get("planned")
    if measured is None or planned is None or measured >= planned:
        return ""
    return f"; **partial: {measured} of {planned} measurements ran**, later rounds have fewer samples"


def _header(s: dict[str, Any]) -> list[str]:
    m, c, load = s["machine"], s["config"], s["load1"]
    runs = "; ".join(
        f"`python -m benchmarks.run --sizes {i['sizes']} --repeat {i['repeat']}"
        f"{' --only ' + i['only'] if i.get('only') else ''}{' --merge' if i.get('merge') else ''}` "
        f"(NER end to end up to n={i['ner_max']}, NER stages on {i['ner_cap']} articles"
        f"{_partial(i)})"
        for i in c.get("invocations", [c]))
    lines = [
        "# newsbeam benchmarks", "",
        f"Generated {s['generated']} from {runs}; corpus seed {c['seed']}.", "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GiB RAM, {m['os']}; Python {m['python']}, "
        f"Apache Beam {m['beam']}, spaCy {m['spacy']}.",
    ]
    if load:
        lines.append(f"Load (1-min load average when each measurement started): median {load['median']:.1f}, "
                     f"range {load['min']:.1f}–{load['max']:.1f} on {m['cores']} cores. The machine is shared: "
                     "wall-clock rates are slowed by other work; rates per CPU-second much less, and ratios "
                     "pair paths of the same round.")
    return [*lines, ""]


def _targets(s: dict[str, Any]) -> list[str]:
    lines = ["## Targets", "", "| target | measured | at n | verdict |", "|---|---|---|---|"]
    for t in s["targets"]:
        value = "not measured" if t["value"] is None else f"{_rate(t['value'])} {t['unit']}".strip()
        if t.get("cpu") is not None:
            value += f" wall, {t['cpu']:.2f} x CPU"
        if t.get("basis"):
            value += f" ({t['basis']})"
        verdict = "–" if t["ok"] is None else ("met" if t["ok"] else "**missed**")
        lines.append(f"| {t['target']} | {value} | {_n(t['size'])} | {verdict} |")
    return [*lines, ""]


def _ratios(s: dict[str, Any]) -> list[str]:
    lines = ["## Same-run ratios", "",
             "Throughput of the path divided by throughput of its baseline, per round, median over rounds "
             "[min–max]; 1.00x means no overhead.", "",
             "| ratio | n | wall | CPU |", "|---|---|---|---|"]
    for label, r in s["ratios"].items():
        lines.append(f"| {label} | {_n(r['size'])} | {_spread(r['wall'])}x | {r['cpu']['median']:.2f}x |")
    return [*lines, ""]


def _stages(s: dict[str, Any]) -> list[str]:
    lines = ["## Stages", "",
             "Pure functions on one core unless noted; wall time median [min–max] over rounds.", "",
             "| stage | n | items | wall s | items/s | items per CPU-s | MB/s | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|"]
    order = list(STAGE_LABELS)
    rows = [m for m in s["measurements"].values() if m["name"] in STAGE_LABELS]
    for m in sorted(rows, key=lambda m: (order.index(m["name"]), m["size"])):
        if "wall_s" not in m:
            lines.append(f"| {STAGE_LABELS[m['name']]} | {_n(m['size'])} | – | error: {m['errors'][:1]} | | | | |")
            continue
        lines.append(f"| {STAGE_LABELS[m['name']]} | {_n(m['size'])} | {_n(m['items'])} | {_spread(m['wall_s'])} | "
                     f"{_rate(m['rate_wall'])} | {_rate(m['rate_cpu'])} | {_rate(m['mb_s'])} | "
                     f"{_n(m['peak_rss_mb'])} |")
    return [*lines, ""]


def _e2e(s: dict[str, Any]) -> list[str]:
    lines = ["## End to end (input files -> articles/duplicates/dead_letters JSON Lines)", "",
             "| run | NER | n | wall s | records/s | CPU s | peak RSS MB | vs plain loop, same round: wall / CPU |",
             "|---|---|---|---|---|---|---|---|"]
    ms = s["measurements"]
    rows = [m for m in ms.values() if m["name"].removesuffix("_noner") in E2E_LABELS]
    for m in sorted(rows, key=lambda m: (m["name"].endswith("_noner"), m["size"], m["name"])):
        base = m["name"].removesuffix("_noner")
        ner = "no" if m["name"].endswith("_noner") else "yes"
        if "wall_s" not in m:
            lines.append(f"| {E2E_LABELS[base]} | {ner} | {_n(m['size'])} | error: {m['errors'][:1]} | | | | |")
            continue
        r = _ratio(ms, m["name"], "e2e_plain" + ("_noner" if ner == "no" else ""), m["size"])
        vs = ("baseline" if base == "e2e_plain" else
              f"{_spread(r['wall'])}x / {r['cpu']['median']:.2f}x" if r else "–")
        lines.append(f"| {E2E_LABELS[base]} | {ner} | {_n(m['size'])} | {_spread(m['wall_s'])} | "
                     f"{_rate(m['rate_wall'])} | {m['cpu_s']['median']:.1f} | {_n(m['peak_rss_mb'])} | {vs} |")
    return [*lines, ""]


def _scaling(s: dict[str, Any]) -> list[str]:
    lines = ["## Scaling", "",
             "Slopes are least-squares fits of log(time) and log(peak RSS) on log(n): 1.0 is linear growth, "
             "below 1 means fixed costs (start-up, models) still dominate.", "",
             "| run | n | wall s | time slope | CPU slope | peak RSS MB | RSS slope |", "|---|---|---|---|---|---|---|"]
    for name, f in s["scaling"].items():
        sizes = " / ".join(_n(x) for x in f["sizes"])
        wall = " / ".join(f"{x:.1f}" for x in f["wall_s"])
        rss = " / ".join(_n(x) for x in f["peak_rss_mb"])
        lines.append(f"| {name} | {sizes} | {wall} | {_n(f['time_slope'], 2)} | {_n(f['cpu_slope'], 2)} | "
                     f"{rss} | {_n(f['rss_slope'], 2)} |")
    return [*lines, ""]


def _corpus(s: dict[str, Any]) -> list[str]:
    lines = ["## Corpus (benchmarks/corpus.py)", "",
             "| n | files | MB | page text / HTML / JSON records | wire copies | exact redeliveries | bad inputs |",
             "|---|---|---|---|---|---|---|"]
    for n, c in s["corpora"].items():
        shapes = c["shapes"]
        html = shapes.get("html", 0)
        js = shapes.get("crawler", 0) + shapes.get("newsapi", 0)
        text = sum(shapes.values()) - html - js
        mb = sum(c["bytes"].values()) / 2**20
        p = c["planted"]
        lines.append(f"| {int(n):,} | {c['files']:,} | {mb:,.0f} | {text:,} / {html:,} / {js:,} | {p['near_copy']:,} | "
                     f"{p['exact_redelivery']:,} | {p['bad']:,} |")
    return [*lines, ""]


def markdown(s: dict[str, Any]) -> str:
    parts = _header(s) + _targets(s) + _ratios(s) + _e2e(s) + _stages(s) + _scaling(s) + _corpus(s)
    return "\n".join(parts)


def chart(s: dict[str, Any], path: Path) -> None:
    """Throughput by stage (largest size measured) and time and memory against corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(17, 6), gridspec_kw={"width_ratios": [1.5, 1, 1]})
    latest: dict[str, dict] = {}
    for m in s["measurements"].values():
        if m["name"] in STAGE_LABELS and "rate_cpu" in m and m["size"] >= latest.get(m["name"], {}).get("size", 0):
            latest[m["name"]] = m
    names = [n for n in STAGE_LABELS if n in latest][::-1]
    ys = range(len(names))
    ax1.barh([y + 0.2 for y in ys], [latest[n]["rate_cpu"] for n in names], height=0.4, label="per CPU-second")
    ax1.barh([y - 0.2 for y in ys], [latest[n]["rate_wall"] for n in names], height=0.4, label="per wall second")
    ax1.set_yticks(list(ys), [f"{STAGE_LABELS[n]} (n={latest[n]['items']:,})" for n in names], fontsize=8)
    ax1.set_xscale("log")
    ax1.set_xlabel("items per second (log)")
    ax1.set_title("Throughput by stage")
    ax1.legend(fontsize=8, loc="lower right")
    ax1.grid(axis="x", alpha=0.3)
    for name, f in s["scaling"].items():
        if not name.startswith("e2e"):
            continue
        style = "--" if name.endswith("_noner") else "-"
        label = E2E_LABELS[name.removesuffix("_noner")] + (" (no NER)" if name.endswith("_noner") else " (NER)")
        ax2.plot(f["sizes"], f["wall_s"], style, marker="o", label=f"{label}, slope {f['time_slope']:.2f}")
        ax3.plot(f["sizes"], f["peak_rss_mb"], style, marker="o", label=label)
    for ax, title, ylabel in ((ax2, "End to end: wall time vs records", "seconds (log)"),
                              (ax3, "End to end: peak RSS vs records", "MB (log)")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("records in corpus (log)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(alpha=0.3, which="both")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    ax3.axhline(2048, color="red", alpha=0.5, linestyle=":")
    m = s["machine"]
    fig.suptitle(f"newsbeam benchmarks, {s['generated']}: {m['cpu']}, {m['cores']} cores, Python {m['python']}, "
                 f"Beam {m['beam']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
