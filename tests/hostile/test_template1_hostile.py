"""Hostile Template 1 sheets: merge bombs, an empty table, duplicate ids, labels in odd places,
a huge list, formulas and markup in its cells. Each gives findings or one clear line, never a
traceback, never a silently dropped row; sizes are bounded so the suite stays fast."""
from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from catalog_tools.render.html import render_page
from catalog_tools.render.xlsx import annotate
from catalog_tools.scoring import score_report
from catalog_tools.validate import validate_paths
from tests.template1_data import FIELDS, HEADER, LABELS, MISSION, PROCESS, SUB, T2_HEADER, TITLES, t2_rows, workbook

ROOT = Path(__file__).resolve().parents[2]


def _inject_merges(path: Path, sheet_xml: str, refs: list[str]) -> None:
    """Rewrite the sheet's <mergeCells> with ``refs``: a few bytes each, however large the range."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_xml:
                text = re.sub(r"<mergeCells.*?</mergeCells>", "", data.decode("utf-8"), flags=re.DOTALL)
                cells = "".join(f'<mergeCell ref="{r}"/>' for r in refs)
                text = text.replace("</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{cells}</mergeCells>', 1)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    tmp.replace(path)


def _limited_validate(path: Path, gib: int = 3) -> subprocess.CompletedProcess[str]:
    """``catalog-tools validate`` in a child process that may not use more than ``gib`` GiB."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (gib * 2**30, gib * 2**30))

    return subprocess.run([sys.executable, "-m", "catalog_tools", "validate", str(path), "--format", "json"],
                          capture_output=True, text=True, timeout=300, preexec_fn=limit, cwd=ROOT)


def test_merge_bomb_down_to_the_last_excel_row_is_bounded(tmp_path: Path) -> None:
    # 300 ranges of 1,048,570 rows each: remembered row by row, they would need some 100 GB
    path = workbook(tmp_path / "bomb.xlsx")
    refs = [f"{chr(65 + i % 3)}{7 + i // 3}:{chr(65 + i % 3)}1048576" for i in range(300)]
    _inject_merges(path, "xl/worksheets/sheet1.xml", refs)
    assert path.stat().st_size < 50_000
    run = _limited_validate(path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    (dl,) = report["dataset_lists"]
    assert [e["id"] for e in dl["datasets"]] == ["DataSet_11_01", "DataSet_11_02"]
    assert {e["mission"] for e in dl["datasets"]} == {MISSION}
    assert report["summary"]["errors"] == 0


def test_id_and_title_cells_merged_over_many_rows_are_one_dataset_each(tmp_path: Path) -> None:
    ids = [f"DataSet_{11 + n // 100}_{n % 100:02d}" for n in range(2000)]
    rows = []
    for n, ds_id in enumerate(ids):
        rows.append([MISSION if n == 0 else None, PROCESS if n == 0 else None, SUB if n == 0 else None, ds_id,
                     f"สถิตินักท่องเที่ยวรายจังหวัด ชุดที่ {n + 1}"])
        rows.append([None, None, None, None, None])  # the row the merge covers
    path = workbook(tmp_path / "merged.xlsx", rows=rows, t2_ids=ids[:3])
    refs = [f"{col}{7 + 2 * n}:{col}{8 + 2 * n}" for n in range(len(ids)) for col in ("D", "E")]
    refs.append("D4005:E1048576")  # and one range far past the data
    _inject_merges(path, "xl/worksheets/sheet1.xml", refs)
    report = validate_paths([str(path)])
    (dl,) = report.dataset_lists
    assert [e.id for e in dl.entries] == ids  # not 4,000: a merged cell names its dataset once
    assert [e.row for e in dl.entries[:3]] == [7, 9, 11]
    codes = [f.code for f in report.iter_findings()]
    assert "list_duplicate_id" not in codes
    assert codes.count("listed_without_metadata") == len(ids) - 3


def test_empty_table_is_an_error_and_fails_the_basic_level(tmp_path: Path) -> None:
    path = workbook(tmp_path / "empty.xlsx", rows=[[None] * 5, ["-", "-", "-", "-", "-"], ["....", "", "", "", "• ...."]])
    report = validate_paths([str(path)])
    codes = sorted((f.code, f.location) for f in report.iter_findings())
    assert codes == [("list_empty", "Template 1!6:6"), ("not_in_dataset_list", "Template 2!A2"),
                     ("not_in_dataset_list", "Template 2!A3")]
    assert score_report(report, fy=2565).to_dict()["levels"]["basic"] is False


def test_only_labels_and_no_table_is_still_read_as_an_empty_list(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "แผ่นงาน1"
    for label, value in zip(LABELS, FIELDS):
        ws.append([label, value])
    path = tmp_path / "labels-only.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])
    assert not report.load_errors
    assert sorted((f.code, f.location) for f in report.iter_findings()) == [("list_empty", "แผ่นงาน1!1:1"),
                                                                           ("no_data", str(path))]


def test_thousands_of_duplicate_ids_each_named_with_a_bounded_message(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_11_01", TITLES["DataSet_11_01"]]]
    rows += [[None, None, None, "dataset_11_01 ", TITLES["DataSet_11_01"]] for _ in range(2999)]
    report = validate_paths([str(workbook(tmp_path / "dups.xlsx", rows=rows, t2_ids=["DataSet_11_01"]))])
    dups = [f for f in report.iter_findings() if f.code == "list_duplicate_id"]
    assert len(dups) == 2999
    assert [f.location for f in dups[:2]] == ["Template 1!D8", "Template 1!D9"] and dups[-1].location == "Template 1!D3006"
    assert "(+2990)" in dups[0].message and len(dups[0].message) < 300
    # the list still scores one dataset, not 3,000
    assert score_report(report, fy=2565).to_dict()["summary"]["datasets"] == 1


def test_labels_far_down_long_texts_and_look_alike_values(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for _ in range(12):
        ws.append([])
    long_label = "ประเด็นการดำเนินงาน " + "ที่ยาวมาก " * 40  # a long text that starts like a label is not one
    ws.append([None, None, long_label])
    ws.append([None, None, "Focus Area ที่เกี่ยวข้อง", "ด้านการเกษตร"])
    ws.append([None, None, "ประเด็นการดำเนินงาน", "การยกระดับสินค้าเกษตรปลอดภัย"])
    ws.append([None, None, "เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์", "วางแผนการตรวจรับรองแปลง"])
    ws.append([None, None, "หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์", "กรมวิชาการเกษตร\n\nสำนักงานมาตรฐานสินค้าเกษตรและอาหารแห่งชาติ"])
    ws.append([])
    ws.append([None, None, *HEADER])
    # a dataset title that starts like a label is data below the header
    ws.append([None, None, "1. ภารกิจรับรองมาตรฐาน", "1.1 ตรวจรับรองแปลง", "-", "DataSet_11_01", "เป้าหมายการตรวจรับรองแปลง GAP รายจังหวัด"])
    t2 = wb.create_sheet("Template 2")
    t2.append(T2_HEADER)
    row = t2_rows(["DataSet_11_01"])[0]
    row[2] = "เป้าหมายการตรวจรับรองแปลง GAP รายจังหวัด"
    t2.append(row)
    path = tmp_path / "far.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])
    (dl,) = report.dataset_lists
    assert dl.values["focus_area"] == "ด้านการเกษตร" and dl.values["issue"] == "การยกระดับสินค้าเกษตรปลอดภัย"
    assert dl.cells["issue"] == "Sheet1!D15"
    assert dl.values["agencies"] == ["กรมวิชาการเกษตร", "สำนักงานมาตรฐานสินค้าเกษตรและอาหารแห่งชาติ"]
    (e,) = dl.entries
    assert (e.id_cell, e.subprocess, e.matched) == ("Sheet1!F20", None, "DataSet_11_01")
    assert [f.code for f in report.iter_findings()] == []


def test_table_header_beyond_the_first_rows_is_reported_not_guessed(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 1"
    for _ in range(40):
        ws.append([])
    ws.append(HEADER)
    ws.append([MISSION, PROCESS, SUB, "DataSet_11_01", TITLES["DataSet_11_01"]])
    t2 = wb.create_sheet("Template 2")
    t2.append(T2_HEADER)
    t2.append(t2_rows(["DataSet_11_01"])[0])
    path = tmp_path / "deep.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])
    assert report.dataset_lists == []
    assert [(f.code, f.value) for f in report.iter_findings()] == [("sheet_skipped", "Template 1")]


def test_huge_list_is_read_whole_with_bounded_hints(tmp_path: Path) -> None:
    n = 20_000
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Template 1")
    for label, value in zip(LABELS, FIELDS):
        ws.append([label, value])
    ws.append([])
    ws.append(HEADER)
    for i in range(n):
        ws.append([MISSION if i == 0 else None, None, None, f"DataSet_{100 + i // 100}_{i % 100:02d}",
                   f"จำนวนผู้เข้าพักโรงแรมรายอำเภอ ชุดที่ {i + 1}"])
    t2 = wb.create_sheet("Template 2")
    t2.append(T2_HEADER)
    for r in t2_rows(["DataSet_100_00", "DataSet_100_01"]):
        t2.append(r)
    path = tmp_path / "huge.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])
    (dl,) = report.dataset_lists
    assert len(dl.entries) == n and dl.entries[-1].id_cell == f"Template 1!D{6 + n}"
    missing = [f for f in report.iter_findings() if f.code == "listed_without_metadata"]
    assert len(missing) == n - 2  # every row named, none dropped
    assert sum(1 for f in missing if f.suggestion) <= 200  # "did you mean" look-ups are bounded
    d = score_report(report, fy=2565).to_dict()
    assert d["summary"]["datasets"] == n and d["items"][1]["basis"] == f"2 of {n} datasets complete"


def test_formulas_markup_and_control_characters_stay_text(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_11_09", "<script>alert(1)</script>"],
            [None, None, None, "DataSet_11_01", TITLES["DataSet_11_01"]]]
    path = workbook(tmp_path / "evil.xlsx", rows=rows, fields=["<b>9</b>", "x", "\u200b\u00a0", "กรมการท่องเที่ยว"],
                    t2_ids=["DataSet_11_01"])
    wb = load_workbook(path)
    for ref, text in (("D7", '=HYPERLINK("http://evil.example","x")'), ("B2", "=1+1")):
        wb["Template 1"][ref].value = text
        wb["Template 1"][ref].data_type = "s"  # typed text that looks like a formula
    wb.save(path)
    report = validate_paths([str(path)])
    found = sorted((f.code, f.location) for f in report.iter_findings())
    assert found == [("focus_area_invalid", "Template 1!B1"), ("list_field_missing", "Template 1!B3"),
                     ("listed_without_metadata", "Template 1!D7")]
    assert report.dataset_lists[0].values["issue"] == "=1+1"
    page = render_page(report, "validate", "en")
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page and "<b>9</b>" not in page
    out = tmp_path / "annotated.xlsx"
    annotate(report, out, [str(path)])
    summary = load_workbook(out).worksheets[0]
    formulas = [c for row in summary.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(c.data_type == "s" for c in formulas)
