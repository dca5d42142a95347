"""Open-format level per dataset from resource metadata (format, access, granularity hints)."""
from __future__ import annotations

import pytest

from catalog_tools.scoring import score_report
from catalog_tools.validate import validate_paths
from tests.scoring_data import build_report, dataset_row, resource_row

URL = "https://catalog.tourism.go.th/dataset"


def _level(fmt: str, url: str, declarations: dict | None = None, options: dict | None = None, **ds_changes: str) -> dict:
    rows = [dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", **ds_changes)]
    res = [resource_row("DataSet_11_01", "นักท่องเที่ยว ปี 2566", fmt, url)]
    result = score_report(build_report(rows, res), fy=2565, declarations=declarations, options=options,
                          catalog_url="https://catalog.tourism.go.th")
    row = result.to_dict()["open_format"][0]
    row["points"] = result.to_dict()["items"][3]["points"]
    return row


@pytest.mark.parametrize("fmt, url, changes, level, points, criteria", [
    # yearly province CSV download: aggregate data, plain file → basic
    ("CSV", f"{URL}/v.csv", {}, "basic", 6.0, {"access": "basic", "format": "advanced", "granularity": "basic"}),
    # monthly data is detailed, but a plain download is still basic access
    ("XLSX", f"{URL}/v.xlsx", {"update_frequency_unit": "เดือน"}, "basic", 6.0,
     {"access": "basic", "format": "advanced", "granularity": "intermediate"}),
    # report PDF: format basic
    ("PDF", f"{URL}/report.pdf", {"geo_coverage": "อำเภอ"}, "basic", 6.0,
     {"access": "basic", "format": "basic", "granularity": "intermediate"}),
    # scanned images meet nothing
    ("JPG", f"{URL}/scan.jpg", {}, "none", 0.0, {"access": "basic", "format": "none", "granularity": "basic"}),
    # API by district, daily: intermediate (live needs real-time units)
    ("API", "https://api.tourism.go.th/visitors?amphoe=", {"update_frequency_unit": "วัน", "geo_coverage": "อำเภอ"},
     "intermediate", 12.0, {"access": "advanced", "format": "advanced", "granularity": "intermediate"}),
    # real-time API: advanced
    ("JSON", "https://api.tourism.go.th/api/points?lat=13.7", {"update_frequency_unit": "ตามเวลาจริง", "geo_coverage": "พิกัด"},
     "advanced", 20.0, {"access": "advanced", "format": "advanced", "granularity": "advanced"}),
    # real-time units without an API are only detailed
    ("CSV", f"{URL}/points.csv", {"update_frequency_unit": "ตามเวลาจริง"}, "basic", 6.0,
     {"access": "basic", "format": "advanced", "granularity": "intermediate"}),
])
def test_levels_from_resources(fmt: str, url: str, changes: dict, level: str, points: float, criteria: dict) -> None:
    row = _level(fmt, url, **changes)
    assert (row["level"], row["points"], row["criteria"]) == (level, points, criteria)
    assert row["source"] == "computed" and row["reason"] and row["reason_th"]


def test_single_source_of_truth_lifts_access() -> None:
    row = _level("CSV", f"{URL}/v.csv", declarations={"single_source_of_truth": ["DataSet_11_01"]}, update_frequency_unit="เดือน")
    assert row["level"] == "intermediate" and row["criteria"]["access"] == "intermediate" and row["points"] == 12.0


def test_declared_level_overrides_with_reason() -> None:
    row = _level("PDF", f"{URL}/report.pdf",
                 declarations={"open_format": {"DataSet_11_01": {"level": "none", "reason": "ไฟล์ PDF เป็นภาพสแกน"}}})
    assert (row["level"], row["source"], row["points"]) == ("none", "declared", 0.0)
    assert row["reason"] == "declared: ไฟล์ PDF เป็นภาพสแกน"


def test_scanned_declaration_and_option() -> None:
    assert _level("PDF", f"{URL}/r.pdf", declarations={"scanned": ["DataSet_11_01"]})["level"] == "none"
    assert _level("XLS", f"{URL}/r.xls", options={"open_formats": ["CSV"]})["criteria"]["format"] == "none"
    assert _level("SAV", f"{URL}/r.sav")["criteria"]["format"] == "intermediate"


def test_unstructured_notice_is_scored_on_documents_and_access() -> None:
    notice = {"data_type": "ข้อมูลประเภทอื่นๆ: ประกาศและระเบียบ", "notes": "ประกาศและระเบียบของกรมการท่องเที่ยว"}
    row = _level("PDF", f"{URL}/notice.pdf", **notice)
    # searchable PDF: the document row is met, so the access level decides (plain download: basic)
    assert (row["level"], row["criteria"]) == ("basic", {"access": "basic", "document": "advanced"})
    row = _level("PDF", f"{URL}/notice.pdf", declarations={"single_source_of_truth": ["DataSet_11_01"]}, **notice)
    assert row["level"] == "intermediate" and row["points"] == 12.0  # granularity does not apply to notices
    row = _level("PDF", f"{URL}/notice.pdf", declarations={"scanned": ["DataSet_11_01"]}, **notice)
    assert row["level"] == "none" and row["criteria"]["document"] == "none"


def test_no_resources_is_none_with_reason() -> None:
    result = score_report(build_report([dataset_row(1, "สถิติการเข้าพักโรงแรม")]), fy=2565)
    row = result.to_dict()["open_format"][0]
    assert row["level"] == "none" and row["limiting"] == "resources"
    assert "Template 3" in row["reason"]


def test_ckan_input_datastore_is_api_and_counts_as_uploaded(examples) -> None:  # type: ignore[no-untyped-def]
    report = validate_paths([str(examples / "ckan-package-search.json")])
    result = score_report(report, fy=2566, catalog_url="https://catalog.tourism.go.th")
    rows = {r["dataset"]: r for r in result.to_dict()["open_format"]}
    assert rows["dataset_11_01"]["criteria"]["access"] == "advanced"  # datastore_active
    assert rows["dataset_11_02"]["criteria"]["access"] == "basic"
    upload = result.item("catalog_upload")
    # all three come from the catalog; dataset_12_01 is incomplete, so it is not counted
    assert upload.basis == "2 of 3 datasets uploaded" and upload.lost_by[0].reasons == ["incomplete"]
    assert result.to_dict()["items"][3]["points"] == 10.0
    off = score_report(report, fy=2566, catalog_url="https://catalog.tourism.go.th",
                       options={"ckan_counts_as_uploaded": False, "datastore_counts_as_api": False})
    assert off.item("catalog_upload").points == 0
    assert {r["dataset"]: r for r in off.to_dict()["open_format"]}["dataset_11_01"]["criteria"]["access"] == "basic"
