"""No cell of the annotated workbook is a formula unless the tool made it one.

The old summary sheet checked ``startswith("=")`` on the raw value but wrote the value with
control characters removed, so ``"\\x01=HYPERLINK(…)"`` became a live formula.
"""
from __future__ import annotations

import copy
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.render.xlsx import SUMMARY_SHEET

from .conftest import EXAMPLES, run_cmd

HOSTILE = [
    "\x01=HYPERLINK(\"http://evil.example/steal\",\"คลิกที่นี่\")",
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+2",
    "\r=1+2",
    "\x1b=CONCAT(\"a\",\"b\")",
]


def _hostile_packages(tmp_path: Path) -> Path:
    """A CKAN package_search answer whose values are each a would-be formula (in fields that get findings)."""
    data = json.loads((EXAMPLES / "ckan-package-search.json").read_text(encoding="utf-8"))
    base = data["result"]["results"][0]
    packages = []
    for i, bad in enumerate(HOSTILE):
        pkg = copy.deepcopy(base)
        pkg["name"] = f"tourism_{i:02d}"
        pkg["title"] = f"สถิตินักท่องเที่ยว ชุดที่ {i}"
        pkg["maintainer_email"] = bad  # not an e-mail: a ``format`` finding quotes the value
        pkg["geo_coverage"] = bad  # not an allowed value: a ``choice`` finding quotes it
        packages.append(pkg)
    data["result"]["results"] = packages
    data["result"]["count"] = len(packages)
    path = tmp_path / "hostile-packages.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _formula_elements(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [name for name in zf.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")
                and re.search(rb"<f[ >]", zf.read(name))]


@pytest.mark.parametrize("with_workbook", [False, True], ids=["summary-only", "annotated-copy"])
def test_no_formula_in_any_written_cell(with_workbook: bool, tmp_path: Path) -> None:
    src = _hostile_packages(tmp_path)
    inputs = [src]
    if with_workbook:
        wb_copy = tmp_path / "tourism.xlsx"
        wb_copy.write_bytes((EXAMPLES / "tourism-template2-3.xlsx").read_bytes())
        inputs.insert(0, wb_copy)
    out = tmp_path / "annotated.xlsx"
    run = run_cmd("validate", *inputs, "--format", "xlsx", "-o", out)
    assert run.rc == 1 and run.clean, run.stderr
    assert _formula_elements(out) == []
    wb = load_workbook(out)
    ws = wb[SUMMARY_SHEET]
    seen = 0
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert cell.quotePrefix, (cell.coordinate, cell.value)
                seen += 1
    # every hostile value is reported (twice: e-mail and geographic coverage) and shown as text
    assert seen >= len(HOSTILE)
    values = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert '=HYPERLINK("http://evil.example/steal","คลิกที่นี่")' in values
