"""The quality report opened in headless Chromium: the chart draws, the cells that cost each
metric are shown, and markup from the data stays text."""
from __future__ import annotations

import json

import pytest

from tests.integration.test_html_chromium import CHROMIUM, _dom, _screenshot, _visible_text
from tests.quality.corpus import CORPUS
from tests.quality.workbook import write_workbook

if CHROMIUM is None:
    pytestmark = pytest.mark.skip(reason="chromium not installed; run scripts/ensure-chromium.sh")


def test_quality_page_in_chromium(tmp_path, run_cli) -> None:
    for name in ("visitors-messy.csv", "report-2566.csv", "visitors-2566.xlsx"):
        (tmp_path / name).write_bytes(CORPUS[name][0]())
    (tmp_path / "hostile.csv").write_bytes("จังหวัด,<script>document.title='x'</script>,<script>document.title='x'</script>\r\nน่าน,1,2\r\n".encode())
    wb = write_workbook(tmp_path / "tourism.xlsx", "", ["visitors-messy.csv", "report-2566.csv", "visitors-2566.xlsx"],
                        [{"dataset_id": "DataSet_11_01", "name": "ไฟล์แปลก", "url": "hostile.csv", "format": "CSV"}])
    page = tmp_path / "quality.html"
    res = run_cli("quality", wb, "--no-cache", "--format", "html", "-o", page, "--lang", "th")
    assert res.exit_code == 1, res.stderr
    dom = _dom(page, tmp_path)
    text = _visible_text(dom)
    assert "รายงานคุณภาพเนื้อหาของทรัพยากรข้อมูล" in text
    assert "visitors-messy.csv!row 8 col 3" in text and "ข้อมูล!C8" in text
    assert "<script>document.title" in text  # shown as text, not run
    assert 'id="quality-chart"' in dom and dom.count('class="earned"') >= 4
    data = json.loads(run_cli("quality", wb, "--no-cache", "--format", "json").stdout)
    shown = data["quality"]["means"]["completeness"]
    assert f"{shown:.0f}%" in text
    _screenshot(page, tmp_path, "quality-report.png")
