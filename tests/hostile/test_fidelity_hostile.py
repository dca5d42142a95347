"""Hostile inputs for the hint-row, date-cell and suspicious-value readings: a finding, never a traceback."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from catalog_tools.loaders.nso import layouts
from catalog_tools.model import RawRecord, Source
from catalog_tools.rules.record import suspicious_kind
from catalog_tools.validate import validate_paths, validate_records
from tests.scoring_data import dataset_row, resource_row


def test_nso_row_5_with_control_characters_and_a_huge_cell(tmp_path: Path) -> None:
    cols = layouts("Temp2_Meta_Record")[0]
    row5 = list(cols)
    row5[cols.index("notes")] = "ทะเบียน\x00\x07สถานพยาบาล " * 4000  # ~64,000 characters with control characters
    row5[cols.index("title")] = "=#REF!"
    wb = Workbook()
    ws = wb.active
    ws.title = "Temp2_Meta_Record"
    for row in (["Template การจัดทำบัญชีข้อมูล"], [], [], [f"คอลัมน์ {c}" for c in cols], row5):
        ws.append([str(c).replace("\x00", "").replace("\x07", "") for c in row])
    path = tmp_path / "nso-hostile.xlsx"
    wb.save(path)
    before = path.read_bytes()
    report = validate_paths([str(path)])
    notes = [f for f in report.findings if f.code == "hint_row_data"]
    assert len(notes) == 1 and notes[0].severity == "error" and len(notes[0].message) < 600
    assert report.datasets == [] and path.read_bytes() == before  # nothing read as a dataset, input untouched


def test_suspicious_check_on_long_and_odd_values() -> None:
    long_braces = "{" * 50_000 + "ข้อมูลนักท่องเที่ยว" + "}" * 50_000
    assert suspicious_kind(long_braces, "text") is None  # beyond the length any placeholder has
    assert suspicious_kind("lorem ipsum" + " " * 280 + "x", "text") == "test"  # filler text
    assert suspicious_kind("lorem ipsum" + " " * 5000 + "x", "text") is None  # longer than any test value: not matched
    assert suspicious_kind("mailto:@", "email") is None
    rec = RawRecord("dataset", dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", notes=long_braces), {},
                    Source("tourism.xlsx", "Template 2", 4))
    assert not [f for f in validate_records([rec]).iter_findings() if f.code == "suspicious_value"]
    # zero-width characters pasted from a web form do not hide a test value (the normaliser strips them first)
    rec = RawRecord("dataset", dataset_row(1, "test\u200b\u00a0"), {}, Source("tourism.xlsx", "Template 2", 4))
    assert [f.field for f in validate_records([rec]).iter_findings() if f.code == "suspicious_value"] == ["title"]


def test_extreme_date_cells_never_crash() -> None:
    ds = RawRecord("dataset", dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"), {}, Source("tourism.xlsx", "Template 2", 4))
    cells = [dt.datetime(9999, 12, 31), dt.datetime(2400, 1, 1), dt.date(2564, 2, 29), dt.datetime(1, 1, 1)]
    recs = [ds] + [RawRecord("resource", resource_row("DataSet_11_01", f"ไฟล์ {n}", "CSV", "https://catalog.tourism.go.th/a.csv",
                                                      resource_created_date=c), {}, Source("tourism.xlsx", "Template 3", 4 + n))
                   for n, c in enumerate(cells)]
    res = validate_records(recs).datasets[0].resources
    assert [r.values.get("resource_created_date") for r in res] == ["9456-12-31", "1857-01-01", None, "0001-01-01"]
    assert [sum(f.code == "date_era" for f in r.findings) for r in res] == [1, 1, 1, 0]
