"""The blank Template 2 + 3 workbook: built from the schemas, and a filled copy validates cleanly."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.loaders.nso import layouts
from catalog_tools.options import ValidationOptions
from catalog_tools.schemas_api import schema_info
from catalog_tools.template import LISTS_SHEET, TemplateError, build_template, template_fields, write_template
from catalog_tools.validate import validate_paths
from tests.outputs_data import fill_template


def _validations(ws):  # column letter → DataValidation
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def _column(ws, header_row: int, field_title: str) -> str:
    for cell in ws[header_row]:
        if isinstance(cell.value, str) and field_title in cell.value:
            return cell.column_letter
    raise AssertionError(f"no column for {field_title}")


def test_opdc_headers_have_item_numbers_and_thai_titles():
    wb = build_template("opdc", "2.2", rows=10)
    ws = wb["Template 2"]
    headers = [c.value for c in ws[2]]
    assert headers[0].startswith("รหัสชุดข้อมูล")
    assert "5. อีเมลผู้ติดต่อ" in headers
    assert "9.1 หน่วยความถี่ของการปรับปรุงข้อมูล" in headers and "9.2 ค่าความถี่ของการปรับปรุงข้อมูล" in headers
    assert "14. สัญญาอนุญาตให้ใช้ข้อมูล" in headers
    assert len(headers) == 16  # id + 14 items (item 9 is two columns)
    hints = [c.value for c in ws[3]]
    assert hints[0] == "Temp1_Dataset" and "(เลือกจากตัวเลือก)" in hints
    assert ws.freeze_panes == "B4"
    assert [c.value for c in wb["Template 3"][2]][2] == "3. URL"


def test_every_choice_field_has_a_dropdown_from_the_hidden_lists_sheet():
    wb = build_template("opdc", "2.2", rows=10)
    lists = wb[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    info = schema_info("dataset", "2.2")
    ws = wb["Template 2"]
    dvs = _validations(ws)
    for spec in info.ordered_item_fields():
        if not spec.is_choice:
            continue
        dv = dvs[_column(ws, 2, spec.title_th)]
        assert dv.type == "list"
        sheet, ref = dv.formula1.lstrip("=").split("!")
        col = ref.split(":")[0].strip("$").rstrip("0123456789").strip("$")
        values = [c.value for c in lists[col][2:] if c.value is not None]
        assert tuple(values) == spec.choices, spec.name
        if spec.kind == "multi":
            assert dv.showErrorMessage is False and "จุลภาค" in dv.prompt
        else:
            assert dv.showErrorMessage is True


def test_email_and_number_validation():
    wb = build_template("opdc", "2.2", rows=10)
    ws = wb["Template 2"]
    dvs = _validations(ws)
    email = dvs[_column(ws, 2, "อีเมลผู้ติดต่อ")]
    assert email.type == "custom" and "@" in email.formula1
    number = dvs[_column(ws, 2, "ค่าความถี่")]
    assert (number.type, number.operator, number.formula1) == ("decimal", "greaterThan", "0")
    assert number.allow_blank  # 9.2 may be blank


def test_licence_list_follows_the_standard():
    for standard in ("2.2", "2.0"):
        wb = build_template("opdc", standard, rows=5)
        values = {c.value for col in wb[LISTS_SHEET].iter_cols() if col[0].value == "license_id" for c in col[2:]}
        assert ("License not specified" in values) == (standard == "2.0")


@pytest.mark.parametrize("standard", ["2.2", "2.0"])
def test_nso_columns_match_the_importer_positions(standard):
    wb = build_template("nso", standard, rows=5)
    fields = template_fields("nso", standard)
    assert set(wb.sheetnames) == set(fields) | {LISTS_SHEET}
    for sheet, names in fields.items():
        expected = layouts(sheet)[0] if standard == "2.2" or sheet.startswith("Temp3") else layouts(sheet)[1]
        ws = wb[sheet]
        headers = [c.value for c in ws[4]]
        assert len(headers) == len(expected), sheet  # the importer skips sheets whose width differs
        assert all(isinstance(h, str) and h.strip() for h in headers), sheet
        assert ws.freeze_panes == "B6"
        mapped = ["d_type" if n in ("d_type", "data_type_other") else n for n in names]
        assert mapped == expected, sheet


def test_unknown_layout_or_standard_is_refused():
    with pytest.raises(TemplateError):
        build_template("gdx", "2.2")
    with pytest.raises(TemplateError):
        build_template("opdc", "3.0")


@pytest.mark.parametrize("layout,standard", [("opdc", "2.2"), ("opdc", "2.0"), ("nso", "2.2"), ("nso", "2.0")])
def test_round_trip_filled_template_validates_cleanly(tmp_path: Path, layout, standard):
    extra = {"license_id": "Creative Commons Attributions"} if standard == "2.0" else None
    path = fill_template(tmp_path / f"{layout}-{standard}.xlsx", layout, standard=standard, dataset=extra)
    report = validate_paths([str(path)], options=ValidationOptions.from_mapping({}, standard=standard))
    assert not report.load_errors
    assert report.summary()["datasets"] == 1 and report.summary()["resources"] == 1
    assert [f.code for f in report.iter_findings()] == []  # not even the hidden lists sheet is reported
    assert report.datasets[0].complete


def test_round_trip_catches_a_bad_value(tmp_path: Path):
    """The round trip is not vacuous: a wrong e-mail typed past Excel's check is still found."""
    path = fill_template(tmp_path / "bad.xlsx", "opdc", dataset={"maintainer_email": "plan(at)tourism.go.th"})
    report = validate_paths([str(path)], options=ValidationOptions.from_mapping({}))
    assert [(f.code, f.location) for f in report.iter_findings()] == [("format", "Template 2!F4")]


def test_write_template_creates_a_readable_file(tmp_path: Path):
    out = write_template(tmp_path / "แม่แบบ.xlsx", "opdc")
    wb = load_workbook(out)
    assert wb.sheetnames == ["Template 1", "Template 2", "Template 3", LISTS_SHEET]
    assert "Template 2" in wb["Template 2"]["A1"].value
