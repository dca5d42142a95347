"""The package-editing xlsx writer gives the openpyxl writer's workbook, cell by cell.

Each case validates a real workbook, writes the annotated copy both ways (``stream=False`` is
the openpyxl writer as it was) and compares every sheet: values, comments, fills, fonts of the
summary, links, merged ranges, validation lists, filters, hidden states. The cases carry what
agencies' files carry: merged headers over a bad cell, hidden choice sheets, formulas, styles
on the cells that get filled, a print area, and a sheet already named like the summary.
"""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side

from catalog_tools.options import ValidationOptions
from catalog_tools.render.rows import iter_rows
from catalog_tools.render.xlsx import SUMMARY_SHEET, _annotate_stream, annotate
from catalog_tools.validate import validate_paths
from tests.outputs_data import fill_template, hostile_workbook, many_findings_workbook
from tests.xlsx_compare import differences, workbook_cells

OPTS = ValidationOptions.from_mapping({})


def _both(src: Path, tmp_path: Path, *, expect_stream: bool = True) -> tuple[Path, Path]:
    report = validate_paths([str(src)], options=OPTS)
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    before = hashlib.sha256(src.read_bytes()).digest()
    a = annotate(report, old, [str(src)], stream=False)
    b = annotate(report, new, [str(src)])
    assert a == b
    assert hashlib.sha256(src.read_bytes()).digest() == before  # the input is never written
    streamed = _annotate_stream(list(iter_rows(report)), src, tmp_path / "probe.xlsx") is not None
    assert streamed is expect_stream
    assert differences(workbook_cells(old), workbook_cells(new)) == []
    return old, new


@pytest.mark.parametrize("name", ["opdc-worked-example.xlsx", "tourism-messy.xlsx", "tourism-template2-3.xlsx",
                                  "tourism-fy2566.xlsx", "nso-gd-catalog-import.xlsx"])
def test_example_workbooks_equal_cell_by_cell(examples: Path, tmp_path: Path, name: str) -> None:
    _both(examples / name, tmp_path)


def _agency_workbook(tmp_path: Path) -> Path:
    """A filled template as agencies send it: merged cells over a bad e-mail, a styled bad cell,
    a hidden sheet of choices, formulas, a print area, and the template's validation lists."""
    src = fill_template(tmp_path / "agency.xlsx", "opdc", dataset={"maintainer_email": "plan(at)tourism.go.th",
                                                                  "update_frequency_unit": "รายปี", "license_id": None})
    wb = load_workbook(src)
    ws = wb["Template 2"]
    ws.merge_cells("E4:F4")  # the bad e-mail (F4) now lies under a merge: E4 gets the mark
    ws["J4"].font = Font(bold=True, color="1F4E78")
    ws["J4"].border = Border(bottom=Side(style="thin"))
    stats = wb.create_sheet("สถิติ")
    stats["A1"] = "จำนวนชุดข้อมูล"
    stats["B1"] = "=COUNTA('Template 2'!A4:A100)"
    stats["A2"] = "รวมทรัพยากร"
    stats["B2"] = "=COUNTA('Template 3'!A4:A100)"
    hidden = wb.create_sheet("ตัวเลือกหน่วยงาน")
    for i, unit in enumerate(["กองยุทธศาสตร์และแผนงาน", "สำนักงานเลขานุการกรม", "กองมาตรฐานธุรกิจท่องเที่ยว"], 1):
        hidden.cell(i, 1, unit)
    hidden.sheet_state = "hidden"
    ws.print_area = "A1:P20"
    wb.active = 0
    wb.save(src)
    return src


def test_agency_workbook_with_merges_hidden_sheet_and_formulas(tmp_path: Path) -> None:
    src = _agency_workbook(tmp_path)
    _, new = _both(src, tmp_path)
    wb = load_workbook(new)
    assert wb.sheetnames[0] == SUMMARY_SHEET and wb.active.title == SUMMARY_SHEET
    assert wb["ตัวเลือกหน่วยงาน"].sheet_state == "hidden"
    assert wb["สถิติ"]["B1"].value == "=COUNTA('Template 2'!A4:A100)"
    ws = wb["Template 2"]
    assert "E4:F4" in {str(r) for r in ws.merged_cells.ranges} and ws["E4"].comment is not None
    assert ws["J4"].font.b and ws["J4"].border.bottom.style == "thin" and ws["J4"].fill.fgColor.rgb.endswith("FFEB9C")
    assert ws.data_validations.dataValidation  # the template's drop-down lists are kept
    assert wb.defined_names.get("_xlnm.Print_Area") is None  # sheet-scoped: still on Template 2, not the summary
    assert ws.print_area is not None and "A$1:$P$20" in ws.print_area.replace("'Template 2'!$", "")
    with zipfile.ZipFile(new) as z:  # the summary is written with inline strings; the comment shapes exist
        assert any(n.endswith(".vml") for n in z.namelist())


def test_hostile_and_many_findings_workbooks(tmp_path: Path) -> None:
    _both(hostile_workbook(tmp_path / "h.xlsx"), tmp_path)
    _both(many_findings_workbook(tmp_path / "many.xlsx"), tmp_path)


def test_summary_name_taken_and_existing_comments_kept(tmp_path: Path) -> None:
    src = _agency_workbook(tmp_path)
    wb = load_workbook(src)
    wb.create_sheet(SUMMARY_SHEET)["A1"] = "บันทึกของหน่วยงาน"
    wb.save(src)
    _both(src, tmp_path)
    wb = load_workbook(src)
    wb["Template 2"]["A1"].comment = Comment("ตรวจทานโดยกองยุทธศาสตร์", "สมชาย")
    wb["Template 2"]["J4"].comment = Comment("ยืนยันกับเจ้าของข้อมูลแล้ว", "สมหญิง")  # a cell we mark: ours wins
    wb.save(src)
    _, new = _both(src, tmp_path)  # the sheet's own comments are kept beside ours
    ws = load_workbook(new)["Template 2"]
    assert ws["A1"].comment.author == "สมชาย" and ws["J4"].comment.author == "catalog-tools"


def test_form_controls_fall_back_to_openpyxl(tmp_path: Path) -> None:
    src = _agency_workbook(tmp_path)
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    from catalog_tools.render.xlsx_stream import T_VML, _relationships, _rels_path, _resolve, _workbook_sheets
    sheets = _workbook_sheets(parts["xl/workbook.xml"], _relationships(parts["xl/_rels/workbook.xml.rels"]), "xl/workbook.xml")
    sheet = next(part for name, part, _ in sheets if name == "Template 2")
    rels = _relationships(parts.get(_rels_path(sheet)))
    vml = next((_resolve(sheet, r["Target"]) for r in rels if r.get("Type") == T_VML), None)
    if vml is not None:  # the template's header notes: add a button beside them
        parts[vml] = parts[vml].replace(b"</xml>", b'<v:shape id="_x0000_s2000" type="#_x0000_t201" '
                                                     b'xmlns:v="urn:schemas-microsoft-com:vml"/></xml>')
    else:  # a drawing of controls only, without comments
        parts[sheet] = parts[sheet].replace(b"</worksheet>", b'<legacyDrawing xmlns:r="http://schemas.openxmlformats.org/'
                                                             b'officeDocument/2006/relationships" r:id="rIdCtl"/></worksheet>')
    with zipfile.ZipFile(src, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    report = validate_paths([str(src)], options=OPTS)
    assert _annotate_stream(list(iter_rows(report)), src, tmp_path / "probe.xlsx") is None
    assert not (tmp_path / "probe.xlsx").exists() and not (tmp_path / "probe.xlsx.partial").exists()
