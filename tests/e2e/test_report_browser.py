"""newsbeam report in a real headless browser (Debian's chromium): the page loads offline, every
chart decodes, and the screenshot shows the charts where the page lays them out.

Chromium is installed by scripts/system-deps.sh (called by scripts/test.sh); without it the test
is skipped with that reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from tests.fixtures.run_output import write_run

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed: run `bash scripts/system-deps.sh` (Debian package chromium)")

WIDTH = 1100
# Appended to a copy of the page only: the report itself carries no script.
PROBE = """<script>
window.addEventListener('load', () => {
  const imgs = [...document.querySelectorAll('img.chart')];
  const ok = imgs.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0);
  document.body.dataset.charts = JSON.stringify({
    decoded: ok.length, total: imgs.length, height: document.documentElement.scrollHeight,
    rects: imgs.map(i => { const r = i.getBoundingClientRect();
      return [i.id, Math.round(r.left + scrollX), Math.round(r.top + scrollY), Math.round(r.width),
              Math.round(r.height)]; })});
});
</script>"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    run = write_run(root / "run")
    out = root / "site" / "report.html"
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "report", str(run), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "newsbeam report:" in proc.stdout
    return root, out


def test_charts_decode_and_render_in_chromium(report, tmp_path):
    root, page = report
    probe = root / "site" / "probe.html"
    probe.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    dom = chromium(tmp_path, "--virtual-time-budget=5000", f"--window-size={WIDTH},1200", "--dump-dom",
                   probe.as_uri()).stdout
    found = re.search(r'data-charts="([^"]+)"', dom)
    assert found, "the probe did not run: the page did not finish loading"
    info = json.loads(found.group(1).replace("&quot;", '"'))
    assert info["total"] == 5 and info["decoded"] == 5, info

    shot = tmp_path / "shot.png"
    chromium(tmp_path, f"--window-size={WIDTH},{info['height']}", f"--screenshot={shot}", page.as_uri())
    image = Image.open(shot).convert("RGB")
    assert image.size == (WIDTH, info["height"])
    pngs = {p.stem.removeprefix("report-").replace("-", "_"): p for p in (root / "site").glob("report-*.png")}
    for chart_id, left, top, width, height in info["rects"]:
        assert width > 200 and height > 60, (chart_id, width, height)
        region = image.crop((left, top, left + width, top + height))
        grey = region.convert("L")
        ink = sum(grey.histogram()[:200]) / (width * height)  # share of clearly non-white pixels
        assert ink > 0.01 and ImageStat.Stat(grey).stddev[0] > 10, f"{chart_id} looks blank in the screenshot"
        # What the browser shows is the chart file itself, scaled to its box.
        source = Image.open(pngs[chart_id.removeprefix("chart-")]).convert("RGB").resize((width, height))
        diff = ImageStat.Stat(ImageChops.difference(region, source).convert("L")).mean[0]
        assert diff < 12, f"{chart_id}: the screenshot differs from its PNG (mean difference {diff:.1f})"
