"""The next sheet's extent scan runs while calamine parses this one (loaders/workbook._Scans).

A sheet whose XML part is corrupt must be reported exactly where and how it was before the
look-ahead: the sheets before it are read in full, it is skipped with one note, and the report
is the one made with the look-ahead switched off. The scanning thread never outlives the reading.
"""
from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from catalog_tools.loaders import workbook
from catalog_tools.validate import validate_paths

from .files import corrupt_member, full_rows, sheet_xml, write_xlsx
from ..shard_support import as_data


@pytest.fixture
def two_sheets(tmp_path: Path) -> Path:
    big = full_rows(400, email="plan(at)tourism.go.th")  # every row has a finding
    path = write_xlsx(tmp_path / "สองแผ่นงาน-เสีย.xlsx",
                      {"Template 2": sheet_xml(big), "Template 2 (ต่อ)": sheet_xml(full_rows(300, first_row=2))})
    corrupt_member(path, "xl/worksheets/sheet2.xml")
    return path


def test_a_corrupt_next_sheet_is_reported_where_it_was(two_sheets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ahead = as_data(validate_paths([str(two_sheets)]))
    report = ahead[0]
    assert len(report["datasets"]) == 400  # the first sheet, whole
    assert [f["code"] for f in report["findings"]] == ["sheet_skipped"]  # one note, the corrupt sheet's
    assert "Template 2 (ต่อ)" in report["findings"][0]["message"] and "CRC" in report["findings"][0]["message"]
    monkeypatch.setattr(workbook._Scans, "ahead", lambda self, member: None)  # no look-ahead
    assert as_data(validate_paths([str(two_sheets)])) == ahead


def test_the_scanning_thread_never_outlives_the_reading(two_sheets: Path, tmp_path: Path) -> None:
    from catalog_tools.loaders import iter_path

    before = threading.active_count()
    seen: list[int] = []
    for item in iter_path(str(two_sheets)):
        seen.append(threading.active_count())
    assert max(seen) == before == threading.active_count()  # no thread while records are handed out
    fine = write_xlsx(tmp_path / "ครบ.xlsx", {"Template 2": sheet_xml(full_rows(50)),
                                               "Template 2 (ต่อ)": sheet_xml(full_rows(50))})
    counts = [threading.active_count() for _ in iter_path(str(fine))]
    assert counts and max(counts) == before


def test_the_look_ahead_scans_each_sheet_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "สามแผ่นงาน.xlsx", {f"Template 2 ({n})": sheet_xml(full_rows(20)) for n in "กขค"})
    scanned: list[str] = []
    real = workbook.scan_sheet

    def counting(zf: zipfile.ZipFile, member: str) -> Any:
        scanned.append(member)
        return real(zf, member)

    monkeypatch.setattr(workbook, "scan_sheet", counting)
    report = validate_paths([str(path)])
    assert len(report.datasets) == 60
    assert sorted(scanned) == [f"xl/worksheets/sheet{i}.xml" for i in (1, 2, 3)]
