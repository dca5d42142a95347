"""Annotated workbook: the input copied with offending cells highlighted and explained."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.options import ValidationOptions
from catalog_tools.render.xlsx import ERROR_RGB, SUMMARY_SHEET, WARNING_RGB, annotate
from catalog_tools.validate import validate_paths
from tests.outputs_data import hostile_workbook, many_findings_workbook

OPTS = ValidationOptions.from_mapping({})


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_opdc_copy_is_annotated_and_input_untouched(examples: Path, tmp_path: Path):
    src = examples / "tourism-messy.xlsx"
    before = _sha(src)
    report = validate_paths([str(src)], options=OPTS)
    out = tmp_path / "annotated.xlsx"
    counts = annotate(report, out, [str(src)])
    assert _sha(src) == before
    wb = load_workbook(out)
    assert wb.sheetnames == [SUMMARY_SHEET, "Template 2", "Template 3"]
    email = wb["Template 2"]["F6"]
    assert email.value == "plan(at)tourism.go.th"  # the data itself is unchanged
    assert email.fill.fgColor.rgb.endswith(ERROR_RGB)
    assert "อีเมล" in email.comment.text and "e-mail" in email.comment.text
    synonym = wb["Template 2"]["J5"]
    assert synonym.fill.fgColor.rgb.endswith(WARNING_RGB)
    assert "suggestion: ปี" in synonym.comment.text
    assert wb["Template 3"]["C5"].comment is not None  # resource findings too
    assert wb["Template 2"]["A8"].comment is not None  # a row-level finding (no_resources) on the row's first cell
    summary = wb[SUMMARY_SHEET]
    assert summary.max_row - 1 == counts["findings"] == len(list(report.iter_findings()))
    assert summary.auto_filter.ref.startswith("A1:")
    links = [c.hyperlink.location for c in summary["G"][1:] if c.hyperlink is not None]
    assert "'Template 2'!F6" in links and "'Template 3'!C5" in links


def test_nso_layout(examples: Path, tmp_path: Path):
    src = examples / "nso-gd-catalog-import.xlsx"
    wb_in = load_workbook(src)
    ws = wb_in["Temp2_Meta_Record"]
    ws["F6"] = "mrd at hss.mail.go.th"
    bad = tmp_path / "nso.xlsx"
    wb_in.save(bad)
    report = validate_paths([str(bad)], options=OPTS)
    out = tmp_path / "nso-annotated.xlsx"
    annotate(report, out, [str(bad)])
    wb = load_workbook(out)
    cell = wb["Temp2_Meta_Record"]["F6"]
    assert cell.comment is not None and "อีเมล" in cell.comment.text
    assert wb["Temp2_Meta_Record"]["A4"].value == ws["A4"].value  # the layout is kept as it was


def test_json_input_gives_summary_only(examples: Path, tmp_path: Path):
    src = examples / "ckan-package-search.json"
    report = validate_paths([str(src)], options=OPTS)
    out = tmp_path / "ckan.xlsx"
    annotate(report, out, [str(src)])
    wb = load_workbook(out)
    assert wb.sheetnames == [SUMMARY_SHEET]
    assert wb[SUMMARY_SHEET].max_row - 1 == len(list(report.iter_findings())) > 0
    assert all(c.hyperlink is None for c in wb[SUMMARY_SHEET]["G"])


def test_several_inputs_annotate_the_first_workbook(examples: Path, tmp_path: Path):
    first, second = examples / "tourism-messy.xlsx", examples / "ckan-package-search.json"
    report = validate_paths([str(first), str(second)], options=OPTS)
    out = tmp_path / "multi.xlsx"
    annotate(report, out, [str(first), str(second)])
    wb = load_workbook(out)
    files = {c.value for c in wb[SUMMARY_SHEET]["L"][1:]}
    assert files == {str(first), str(second)}
    assert wb["Template 2"]["F6"].comment is not None


def test_refuses_to_overwrite_the_input(examples: Path, tmp_path: Path):
    src = tmp_path / "input.xlsx"
    src.write_bytes((examples / "tourism-messy.xlsx").read_bytes())
    before = _sha(src)
    report = validate_paths([str(src)], options=OPTS)
    with pytest.raises(OSError):
        annotate(report, src, [str(src)])
    assert _sha(src) == before


def test_hostile_values_stay_text(tmp_path: Path):
    src = hostile_workbook(tmp_path / "h.xlsx")
    report = validate_paths([str(src)], options=OPTS)
    out = tmp_path / "h-out.xlsx"
    annotate(report, out, [str(src)])
    summary = load_workbook(out)[SUMMARY_SHEET]
    values = [c.value for c in summary["H"][1:]]
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in values)
    assert all(c.data_type == "s" for c in summary["H"][1:] if c.value)


def test_thousand_findings(tmp_path: Path):
    src = many_findings_workbook(tmp_path / "many.xlsx")
    before = _sha(src)
    report = validate_paths([str(src)], options=OPTS)
    out = tmp_path / "many-annotated.xlsx"
    counts = annotate(report, out, [str(src)])
    assert counts == {"findings": 1000, "annotated_cells": 1000}
    assert _sha(src) == before
    wb = load_workbook(out)
    ws = wb["Template 2"]
    commented = [c for row in ws.iter_rows() for c in row if c.comment is not None]
    assert len(commented) == 1000
    assert wb[SUMMARY_SHEET].max_row == 1001
