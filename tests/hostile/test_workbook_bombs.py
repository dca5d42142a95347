"""Workbooks whose cells or merged ranges claim far more than they hold (issue items 1 and 11).

Each child process runs under an address-space limit, so a reader that tries to allocate the
grid the file claims (17 billion cells for one cell at XFD1048576) fails the test instead of
the machine; before the fix these cases aborted (rc 134) or ran out of memory.
"""
from __future__ import annotations

import json
import resource
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.loaders.extent import bound_merges, clip_merges
from catalog_tools.render.xlsx import SUMMARY_SHEET

from .conftest import run_cmd
from .files import full_rows, sheet_xml, write_xlsx

_LIMIT = 3 * 2**30


def _bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_LIMIT, _LIMIT))


def _validate(path: Path, *args: object) -> tuple[dict, str]:
    run = run_cmd("validate", path, "--format", "json", *args, preexec_fn=_bounded, timeout=120)
    assert run.rc in (0, 1) and run.clean, (run.rc, run.stderr[-2000:])
    return json.loads(run.stdout), run.stderr


def _codes(report: dict) -> list[str]:
    return [f["code"] for f in report["findings"]]


def _dataset_findings(report: dict) -> dict[str, list[tuple[str, str | None, str | None]]]:
    return {d["id"]: sorted((f["code"], f["field"], f["location"]) for f in d["findings"]) for d in report["datasets"]}


@pytest.mark.parametrize("far", ["XFD1048576", "D5000000", "AMK3"])
def test_one_far_cell_is_reported_not_fatal(far: str, tmp_path: Path) -> None:
    row = int("".join(ch for ch in far if ch.isdigit()))
    letters = "".join(ch for ch in far if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    rows = [*full_rows(3, email="plan(at)tourism.go.th"), (row, [(col - 1, "x")])]
    src = write_xlsx(tmp_path / "far.xlsx", {"Template 2": sheet_xml(rows)})
    assert src.stat().st_size < 4096
    report, _ = _validate(src)
    assert "cells_outside" in _codes(report)
    outside = next(f for f in report["findings"] if f["code"] == "cells_outside")
    assert far in outside["message"] and far in outside["message_th"]
    assert [d["id"] for d in report["datasets"]] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]

    plain = write_xlsx(tmp_path / "plain.xlsx", {"Template 2": sheet_xml(full_rows(3, email="plan(at)tourism.go.th"))})
    expected, _ = _validate(plain)
    # the bounded reader finds exactly what the fast reader finds in the same data
    assert _dataset_findings(report) == _dataset_findings(expected)


def test_far_cell_inside_excel_limits_is_read(tmp_path: Path) -> None:
    """A sparse sheet: rows 1-3 and row 1,048,576 (a real, far dataset row) — read without a dense grid."""
    rows = [*full_rows(2), (1_048_576, [(0, "DataSet_11_99"), (2, "ข้อมูลท้ายแผ่นงาน"), (3, "กรมการท่องเที่ยว")])]
    src = write_xlsx(tmp_path / "sparse.xlsx", {"Template 2": sheet_xml(rows, dimension="A1:P3")})  # a lying dimension
    report, _ = _validate(src)
    far = next(d for d in report["datasets"] if d["id"] == "DataSet_11_99")
    assert far["source"]["row"] == 1_048_576
    assert "cells_outside" not in _codes(report)


def test_unnumbered_cells_are_read_by_position(tmp_path: Path) -> None:
    xml = sheet_xml(full_rows(2))
    # a writer that leaves out every reference: places are implicit
    import re
    xml = re.sub(r' r="[A-Z]+\d+"', "", xml)
    src = write_xlsx(tmp_path / "implicit.xlsx", {"Template 2": xml})
    report, _ = _validate(src)
    assert [d["id"] for d in report["datasets"]] == ["DataSet_11_01", "DataSet_11_02"]
    assert all(d["complete"] for d in report["datasets"])


def test_merge_bomb_over_the_whole_sheet(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "merged.xlsx", {"Template 2": sheet_xml(full_rows(3), merges=["D3:XFD1048576"])})
    report, _ = _validate(src)
    assert len(report["datasets"]) == 3
    # D3 (the organisation of dataset 2) fills D4 below it: the merge is clipped to the data, not dropped
    assert report["datasets"][2]["metadata"]["owner_org"] == "กรมการท่องเที่ยว"
    out = tmp_path / "annotated.xlsx"
    run = run_cmd("validate", src, "--format", "xlsx", "-o", out, preexec_fn=_bounded, timeout=120)
    assert run.rc in (0, 1) and run.clean, run.stderr[-2000:]
    wb = load_workbook(out)
    assert wb.sheetnames[:1] == [SUMMARY_SHEET] and "Template 2" in wb.sheetnames  # an annotated copy, not summary-only
    assert [str(r) for r in wb["Template 2"].merged_cells.ranges] == ["D3:P4"]


def test_twenty_thousand_huge_merges(tmp_path: Path) -> None:
    merges = [f"{chr(65 + i % 16)}{5 + i}:{chr(65 + i % 16)}{1_000_000}" for i in range(20_000)]
    src = write_xlsx(tmp_path / "merges.xlsx", {"Template 2": sheet_xml(full_rows(3), merges=merges)})
    assert src.stat().st_size < 200_000
    report, _ = _validate(src)
    assert len(report["datasets"]) == 3
    run = run_cmd("validate", src, "--format", "xlsx", "-o", tmp_path / "a.xlsx", preexec_fn=_bounded, timeout=120)
    assert run.rc in (0, 1) and run.clean, run.stderr[-2000:]


def test_overlapping_merges_are_reported(tmp_path: Path) -> None:
    merges = ["D2:D4"] + ["A2:P4"] * 5_000
    src = write_xlsx(tmp_path / "overlap.xlsx", {"Template 2": sheet_xml(full_rows(3), merges=merges)})
    report, _ = _validate(src)
    ignored = [f for f in report["findings"] if f["code"] == "merge_ignored"]
    # the extent is 3 rows x 16 columns = 48 cells: D2:D4 (3) and one A2:P4 (48) fit the bound of
    # 4 x 16 = 64 cells read from row 1; the other 4,999 copies cannot and are named
    assert len(ignored) == 1 and "4,999" in ignored[0]["message"] and "4,999" in ignored[0]["message_th"]


def test_clip_merges_is_bounded_by_the_data() -> None:
    huge = [((2, 3), (1_048_575, 16_383))] * 3
    kept, ignored = clip_merges(huge, 10, 16)
    assert kept == [((2, 3), (9, 15))] and ignored == 2
    assert clip_merges([((20, 0), (30, 3))], 10, 16) == ([], 0)  # below the data: nothing to fill


def test_bound_merges_leaves_ordinary_workbooks_byte_for_byte(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "ok.xlsx", {"Template 2": sheet_xml(full_rows(3), merges=["D2:D4"])})
    data = src.read_bytes()
    assert bound_merges(data) is data
