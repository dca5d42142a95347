"""CSV of findings: one row per finding, Thai readable in Excel (BOM), formula-safe."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from catalog_tools.options import ValidationOptions
from catalog_tools.render.csvfmt import BOM, findings_csv, neutralise
from catalog_tools.render.rows import COLUMNS
from catalog_tools.validate import validate_paths
from tests.outputs_data import hostile_workbook, many_findings_workbook


def _rows(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM):])))


@pytest.mark.parametrize("value,expected", [
    ("=1+1", "'=1+1"), ("+66 2 123 4567", "'+66 2 123 4567"), ("-", "'-"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tแท็บ", "'\tแท็บ"), ("\r=x", "'\r=x"), ("กรมการท่องเที่ยว", "กรมการท่องเที่ยว"), ("a=b", "a=b"), (3, 3),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_one_row_per_finding_with_both_languages(examples: Path):
    report = validate_paths([str(examples / "tourism-messy.xlsx")], options=ValidationOptions.from_mapping({}))
    rows = _rows(findings_csv(report))
    assert list(rows[0].keys()) == [k for k, _, _ in COLUMNS]
    assert len(rows) == len(list(report.iter_findings())) == report.error_count + report.warning_count
    email = next(r for r in rows if r["location"] == "Template 2!F6")
    assert (email["dataset"], email["code"], email["severity"], email["item"]) == ("DataSet_11_02", "format", "error", "5")
    assert "อีเมล" in email["message_th"] and "e-mail" in email["message"]
    resource = next(r for r in rows if r["location"] == "Template 3!C5")
    assert resource["resource"] == "1" and resource["dataset"] == "DataSet_11_02"


def test_hostile_values_are_neutralised(tmp_path: Path):
    report = validate_paths([str(hostile_workbook(tmp_path / "h.xlsx"))], options=ValidationOptions.from_mapping({}))
    rows = _rows(findings_csv(report))
    values = {r["code"] + ":" + r["field"]: r["value"] for r in rows}
    assert values["format:maintainer_email"].startswith("'=HYPERLINK")
    assert values["choice:geo_coverage"].startswith("'+cmd")
    assert values["choice:data_category"] == "'@ข้อมูลสาธารณะ"
    assert values["required:maintainer"] == "'-"
    for r in rows:  # no cell anywhere can start a formula
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r")), v


def test_thousand_findings(tmp_path: Path):
    report = validate_paths([str(many_findings_workbook(tmp_path / "many.xlsx"))], options=ValidationOptions.from_mapping({}))
    rows = _rows(findings_csv(report))
    assert len(rows) == 1000
    assert {r["code"] for r in rows} == {"format", "choice"}
    assert sum(1 for r in rows if "ภูมิภาคอาเซียน" in r["message_th"]) == 500
