"""The FY2566 open-format item scored on the formats measured in the files instead of the declared ones."""
from __future__ import annotations

import json

from catalog_tools.quality.fetch import FetchOptions
from catalog_tools.quality.run import measure_report
from catalog_tools.quality.sources import report_for_paths
from catalog_tools.scoring import score_report

from .workbook import write_workbook


def _open_item(result) -> dict:
    (item,) = [i for i in result.to_dict()["items"] if i["key"] == "open_quality"]
    return item


def test_a_pdf_declared_csv_counts_as_pdf_when_measured(corpus_server, tmp_path) -> None:
    wb = write_workbook(tmp_path / "tourism.xlsx", f"{corpus_server.url}/f/", ["report-2566.csv"])
    report = report_for_paths([str(wb)])
    assert measure_report(report, fetch=FetchOptions(cache_dir=None)).report is report
    declared = _open_item(score_report(report, fy=2566))
    measured = _open_item(score_report(report, fy=2566, options={"open_format_source": "measured"}))
    assert "format advanced (open format CSV)" in declared["lost_by"][0]["reason"]
    assert "format basic (report document PDF (measured in 1 of 1 files))" in measured["lost_by"][0]["reason"]
    assert measured["points"] < declared["points"] or measured["lost_by"][0]["level"] != "advanced"


def test_quality_command_scores_with_measured_formats(corpus_dir, run_cli) -> None:
    wb = write_workbook(corpus_dir / "tourism.xlsx", "", ["visitors-2566.ods"])
    res = run_cli("quality", wb, "--no-cache", "--fy", "2566", "--format", "json")
    item = _item(json.loads(res.stdout))
    assert "open format ODS (measured in 1 of 1 files)" in item["lost_by"][0]["reason"]
    text = run_cli("quality", wb, "--no-cache", "--fy", "2566", "--lang", "th").stdout
    assert "open_quality" in text and "ตรวจจากเนื้อไฟล์" in text


def _item(data: dict) -> dict:
    (item,) = [i for i in data["score"]["items"] if i["key"] == "open_quality"]
    return item
