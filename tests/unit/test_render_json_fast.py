"""The JSON report written through orjson is byte-identical to ``json.dumps(..., indent=2)``.

orjson spells a few floats differently and writes NaN as null; the writer must notice and fall
back for that dataset. Reports here come from the real validator (fixtures) and, for the odd
values no workbook cell produces easily, from report objects built with them.
"""
from __future__ import annotations

import json
import math

import pytest

from catalog_tools.model import DatasetResult, Finding, Report, ResourceResult, Source
from catalog_tools.render.jsonfmt import iter_report_json
from catalog_tools.validate import validate_paths
from tests.conftest import EXAMPLES

ODD = [1e-5, 1e-7, 2.5e-6, 0.00012, 1e16, 1.2345678901234568e+16, 1e22, -0.0, 5e-324, 1.7976931348623157e308,
       float("nan"), float("inf"), -float("inf"), 2**70, -(2**63) - 1, "\ud83d", "a\x1b[31mb\x07", "\u2028\u2029",
       "ข้อมูล 😀 \\ \" /", "0.00001", "1e-5", {"ชั้น": [1.5, {"deep": [1e-9]}]}, [], {}]


def _expected(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


@pytest.mark.parametrize("name", ["opdc-worked-example.xlsx", "tourism-template2-3.xlsx", "tourism-messy.xlsx",
                                  "tourism-fy2566.xlsx", "ckan-package-search.json"])
def test_fixture_reports_are_byte_identical(name: str) -> None:
    report = validate_paths([str(EXAMPLES / name)])
    assert "".join(iter_report_json(report)) == _expected(report)


@pytest.mark.parametrize("value", ODD, ids=[repr(v)[:20] for v in ODD])
def test_odd_values_fall_back_to_the_same_bytes(value: object) -> None:
    src = Source("ท่องเที่ยว.xlsx", sheet="Template 2", row=4)
    finding = Finding("invalid_number", "error", "update_frequency_interval", "bad number", "ตัวเลขไม่ถูกต้อง",
                      item="9", location="Template 2!K4", value=value)
    res = ResourceResult(name="ไฟล์", url="https://data.tourism.go.th/a.csv", source=src, values={"size": value})
    ds = DatasetResult(id="DataSet_11_01", title="จำนวนนักท่องเที่ยว", source=src, complete=False, items_complete=13,
                       items_present=14, findings=[finding], resources=[res], values={"update_frequency_interval": value})
    plain = DatasetResult(id="DataSet_11_02", title="รายได้", source=src, complete=True, items_complete=14,
                          items_present=14, values={"title": "รายได้", "n": 3})
    report = Report(datasets=[plain, ds], inputs=["ท่องเที่ยว.xlsx"])
    try:
        expected = _expected(report)
    except UnicodeEncodeError:  # pragma: no cover - json itself never raises for these
        raise
    got = "".join(iter_report_json(report))
    assert got == expected
    if isinstance(value, float) and not math.isfinite(value):
        assert "NaN" in got or "Infinity" in got
