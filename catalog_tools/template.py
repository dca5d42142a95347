"""A blank Template 1 + 2 + 3 workbook generated from ``schemas/`` and the rubric's Focus Areas.

Stewards fill metadata in Excel, so the fastest way to conforming metadata is a workbook that
only lets them pick the standard's values. Everything here comes from the schemas through
``schema_info``: Thai headers with item numbers, the hint row, drop-down lists for every
choice field (from a hidden ``lists`` sheet, because Excel's inline lists are limited to 255
characters), e-mail and number validation, text-formatted date and id columns (so Excel does not
turn ``2566-09-30`` into a Gregorian date serial), a frozen header and column widths.

Two layouts:

- ``opdc``: sheets "Template 1" (the dataset list tied to a Focus Area: four fields in
  A1:B4, the table header on row 6, one dataset a row from row 7), "Template 2" and
  "Template 3" as in the OPDC KPI documents (title row, header row, hint row, data from row 4).
- ``nso``: the NSO GD Catalog import workbook (``Temp2_Meta_*`` / ``Temp3_Resource_*``):
  header on row 4, hint row 5, data from row 6. The importer maps columns *by position*, so
  the column orders come from ``loaders.nso`` and must never be reordered here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .loaders.nso import DATA_TYPES, layouts
from .loaders.workbook import TEMPLATE_LISTS_SHEET
from .schemas_api import STANDARDS, FieldSpec, schema_info

LAYOUTS = ("opdc", "nso")
#: the hidden sheet feeding the drop-downs (the workbook loader ignores it)
LISTS_SHEET = TEMPLATE_LISTS_SHEET
#: how many data rows get drop-downs and validation
DATA_ROWS = 1000

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_HINT_FONT = Font(italic=True, color="595959")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

TEMPLATE1_SHEET = "Template 1"
OPDC_T2_TITLE = "Template 2 แบบฟอร์มคำอธิบายข้อมูล (Metadata) ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด"
OPDC_T3_TITLE = "Template 3 แบบฟอร์มคำอธิบายข้อมูลของทรัพยากร (Resource Metadata) ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด"


class TemplateError(ValueError):
    """An unknown layout or standard."""


@dataclass(slots=True)
class Column:
    """One template column: the field it holds, its header and hint, and how Excel checks it."""

    field: str
    header: str
    hint: str
    spec: FieldSpec | None
    required: bool = False


def build_template(layout: str = "opdc", standard: str = "2.2", *, rows: int = DATA_ROWS) -> Workbook:
    """Return the blank workbook (openpyxl) for ``layout`` and ``standard``."""
    if layout not in LAYOUTS:
        raise TemplateError(f"unknown layout {layout!r}; choose one of: {', '.join(LAYOUTS)}")
    if standard not in STANDARDS:
        raise TemplateError(f"unknown standard {standard!r}; choose one of: {', '.join(STANDARDS)}")
    wb = Workbook()
    wb.remove(wb.active)
    lists = _Lists(wb)
    if layout == "opdc":
        template1_sheet(wb.create_sheet(TEMPLATE1_SHEET), lists)
        ws = wb.create_sheet("Template 2")
        _fill_sheet(ws, OPDC_T2_TITLE, opdc_columns("dataset", standard), header_row=2, lists=lists, rows=rows)
        ws = wb.create_sheet("Template 3")
        _fill_sheet(ws, OPDC_T3_TITLE, opdc_columns("resource", standard), header_row=2, lists=lists, rows=rows)
    else:
        for t, dtype in DATA_TYPES.items():
            ws = wb.create_sheet(f"Temp2_Meta_{t.capitalize() if t != 'gis' else 'GIS'}")
            _fill_sheet(ws, f"Template การจัดทำบัญชีข้อมูล : {dtype}", nso_columns(ws.title, standard),
                        header_row=4, lists=lists, rows=rows, note="กรุณากรอกข้อมูลตั้งแต่แถวที่ 6 (Fill in from row 6)")
        for t, dtype in DATA_TYPES.items():
            ws = wb.create_sheet(f"Temp3_Resource_{t.capitalize() if t != 'gis' else 'GIS'}")
            _fill_sheet(ws, f"Template การจัดทำบัญชีข้อมูล : ทรัพยากรของ{dtype}", nso_columns(ws.title, standard),
                        header_row=4, lists=lists, rows=rows, note="กรุณากรอกข้อมูลตั้งแต่แถวที่ 6 (Fill in from row 6)")
    lists.sheet.sheet_state = "hidden"
    wb.move_sheet(lists.sheet, offset=len(wb.sheetnames))
    wb.active = 0
    return wb


def write_template(path: str | Path, layout: str = "opdc", standard: str = "2.2") -> Path:
    """Build the template and save it to ``path`` (the parent folder must exist)."""
    from .fileio import save_workbook

    path = Path(path)
    save_workbook(build_template(layout, standard), path)
    return path


# --- columns ---------------------------------------------------------------------------------

def _numbered(spec: FieldSpec) -> str:
    return f"{spec.item}. {spec.title_th}" if spec.item and "." not in spec.item else (
        f"{spec.item} {spec.title_th}" if spec.item else spec.title_th)


def _hint(spec: FieldSpec | None) -> str:
    if spec is None:
        return "(กรอกข้อความ)"
    if spec.hint_th:
        return spec.hint_th
    if spec.kind == "multi":
        return "(เลือกจากตัวเลือกและตอบได้มากกว่า 1 ข้อ)"
    if spec.is_choice:
        return "(เลือกจากตัวเลือก)"
    if spec.kind == "date":
        return "YYYY-MM-DD ในรูปแบบปี พ.ศ."
    if spec.kind == "url":
        return "(กรอก URL)"
    return "(กรอกข้อความ)"


def opdc_columns(kind: str, standard: str) -> list[Column]:
    """The OPDC layout: the id column, then every numbered item in item order."""
    info = schema_info(kind, standard)
    cols: list[Column] = []
    if kind == "dataset":
        spec = info.fields["id"]
        cols.append(Column("id", "รหัสชุดข้อมูลตามที่กำหนดใน Template 1", "Temp1_Dataset", spec, True))
    for spec in info.ordered_item_fields():
        header = _numbered(spec)
        cols.append(Column(spec.name, header, _hint(spec), spec, spec.required))
    return cols


def nso_columns(sheet: str, standard: str) -> list[Column]:
    """The NSO layout for ``sheet``, in the exact order the importer reads by position."""
    order = layouts(sheet)
    names = order[0] if standard == "2.2" or not sheet.lower().startswith("temp2_") else order[1]
    dataset = schema_info("dataset", standard)
    resource = schema_info("resource", standard)
    is_resource = sheet.lower().startswith("temp3_")
    cols: list[Column] = []
    spec: FieldSpec | None
    for name in names:
        if name == "d_type":
            if sheet.lower().endswith("_other"):
                spec = dataset.fields["data_type_other"]
                cols.append(Column("data_type_other", "1. ประเภทข้อมูล (อื่นๆ โปรดระบุ)", "(กรอกประเภทข้อมูล)", spec, True))
            else:
                dtype = DATA_TYPES[sheet.lower().rsplit("_", 1)[-1]]
                cols.append(Column("d_type", "1. ประเภทข้อมูล", f"(ไม่ต้องกรอก: แผ่นงานนี้คือ {dtype})", None))
            continue
        if name == "id":
            cols.append(Column("id", "ชื่อชุดข้อมูล (ภาษาอังกฤษ ใช้เป็น URL)", "(กรอกชื่อภาษาอังกฤษ เช่น hospital-registry)",
                               dataset.fields["id"], True))
            continue
        if name == "dataset_id":
            cols.append(Column("dataset_id", "ชื่อชุดข้อมูล (ภาษาอังกฤษ ตาม Temp2)", "(ชื่อชุดข้อมูลตามคอลัมน์ A ของ Temp2)",
                               resource.fields["dataset_id"], True))
            continue
        if is_resource:
            spec = resource.fields.get(name) or dataset.fields.get(name.removeprefix("resource_"))
        else:
            spec = dataset.fields.get(name)
        if spec is None:  # a column the schemas do not describe: keep its place, plain text
            cols.append(Column(name, name, "(กรอกข้อความ)", None))
            continue
        header = _numbered(spec) if (is_resource or spec.item) else spec.title_th
        if is_resource and spec.name != name:  # a dataset field reused on a resource sheet
            header = spec.title_th
        hint = "(เลือกจากตัวเลือก 1 ข้อต่อเซลล์: ระบบนำเข้าของ สสช. อ่านทั้งเซลล์เป็นค่าเดียว)" if spec.kind == "multi" else _hint(spec)
        cols.append(Column(name, header, hint, spec, spec.required and (is_resource or spec.item is not None)))
    return cols


# --- sheets ----------------------------------------------------------------------------------

class _Lists:
    """The hidden sheet holding one column of allowed values per choice field."""

    def __init__(self, wb: Workbook) -> None:
        self.sheet = wb.create_sheet(LISTS_SHEET)
        self.ranges: dict[tuple[str, tuple[str, ...]], str] = {}

    def range_for(self, spec: FieldSpec) -> str:
        return self.range_of(spec.name, spec.title_th, spec.choices)

    def range_of(self, name: str, title_th: str, choices: tuple[str, ...]) -> str:
        key = (name, choices)
        if key not in self.ranges:
            col = len(self.ranges) + 1
            letter = get_column_letter(col)
            self.sheet.cell(1, col, name)
            self.sheet.cell(2, col, title_th)
            for i, value in enumerate(choices, start=3):
                self.sheet.cell(i, col, value)
            self.ranges[key] = f"={LISTS_SHEET}!${letter}$3:${letter}${2 + len(choices)}"
        return self.ranges[key]


def template1_sheet(ws: Worksheet, lists: _Lists) -> None:
    """Template 1 as ``loaders.template1`` reads it: labels A1:A4 with their values in B1:B4
    (a drop-down of the 10 Focus Areas in B1), the table header on row 6, datasets from row 7.

    The id column is text-formatted: it holds the ids Template 2 and 3 refer to.
    """
    from .dataset_list import focus_areas
    from .loaders.template1 import COLUMN_LABELS, FIELD_LABELS

    hints = {
        "focus_area": "เลือก 1 ใน 10 Focus Area (ปีงบประมาณ 2566: พิมพ์ขอบเขตการนำข้อมูลไปใช้ประโยชน์)\n"
                      "Pick one of the 10 Focus Areas (FY2566: type the use scope).",
        "issue": "ประเด็นการดำเนินงานที่เลือกภายใต้ Focus Area / The issue chosen under the Focus Area.",
        "goal": "ชุดข้อมูลจะนำไปใช้ประโยชน์อย่างไร / How the datasets will be used.",
        "agencies": "บรรทัดละ 1 หน่วยงาน หรือคั่นด้วยจุลภาค (,) / One agency a line, or comma-separated.",
    }
    for r, (key, label) in enumerate(FIELD_LABELS.items(), start=1):
        head = ws.cell(r, 1, label)
        head.font = Font(bold=True)
        head.fill = _REQUIRED_FILL if key == "focus_area" else _HEADER_FILL
        head.border = _BORDER
        value = ws.cell(r, 2)
        value.border = _BORDER
        value.alignment = Alignment(wrap_text=True, vertical="top")
        value.comment = Comment(hints[key], "catalog-tools", width=320, height=90)
    areas = focus_areas()
    if areas:
        dv = DataValidation(type="list", formula1=lists.range_of("focus_area", "Focus Area", areas), allow_blank=True)
        dv.showErrorMessage = True
        dv.errorStyle = "warning"  # FY2566 agencies type their use scope here
        dv.errorTitle = "ไม่อยู่ใน 10 Focus Area"
        dv.error = _clip("ค่านี้ไม่ใช่ 1 ใน 10 Focus Area (ปี 2566 ให้พิมพ์ขอบเขตการนำข้อมูลไปใช้ประโยชน์)\n"
                         "Not one of the 10 Focus Areas (FY2566: type the use scope).")
        dv.showInputMessage = True
        dv.promptTitle = "Focus Area"
        dv.prompt = _clip("เลือก 1 ใน 10 Focus Area / Pick one of the 10 Focus Areas.")
        ws.add_data_validation(dv)
        dv.add(ws.cell(1, 2).coordinate)  # B1, the Focus Area value
    header_row = 6
    widths = {"mission": 45, "process": 34, "subprocess": 26, "id": 18, "title": 45}
    for c, (key, label) in enumerate(COLUMN_LABELS.items(), start=1):
        head = ws.cell(header_row, c, label)
        head.font = Font(bold=True)
        head.fill = _REQUIRED_FILL if key in ("id", "title") else _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        head.border = _BORDER
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = widths[key]
        ws.column_dimensions[letter].number_format = "@"
    ws.cell(header_row, 4).comment = Comment(
        "รหัสชุดข้อมูลที่ Template 2 และ 3 อ้างถึง เช่น DataSet_11_01 (ภารกิจ 1 กระบวนการ 1 ลำดับ 01)\n"
        "The id Templates 2 and 3 refer to, e.g. DataSet_11_01.", "catalog-tools", width=320, height=90)
    ws.cell(header_row, 1).comment = Comment(
        "กรอกภารกิจและกระบวนการครั้งเดียวในแถวแรก แถวถัดไปเว้นว่างหรือผสานเซลล์ได้ / "
        "Write the mission and processes once; leave the rows below blank or merge them.",
        "catalog-tools", width=320, height=90)
    ws.row_dimensions[header_row].height = 45
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def _fill_sheet(ws: Worksheet, title: str, columns: list[Column], *, header_row: int, lists: _Lists, rows: int,
                note: str | None = None) -> None:
    ws.cell(1, 1, title).font = Font(bold=True, size=13)
    if note:
        ws.cell(2, 1, note).font = _HINT_FONT
    hint_row = header_row + 1
    first, last = hint_row + 1, hint_row + rows
    for c, col in enumerate(columns, start=1):
        letter = get_column_letter(c)
        head = ws.cell(header_row, c, col.header)
        head.font = Font(bold=True)
        head.fill = _REQUIRED_FILL if col.required else _HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="center")
        head.border = _BORDER
        if col.spec is not None and col.spec.description_th:
            head.comment = Comment(f"{col.spec.description_th}\n\n{col.spec.description}\n[{col.field}]", "catalog-tools",
                                   width=320, height=140)
        hint = ws.cell(hint_row, c, col.hint)
        hint.font = _HINT_FONT
        hint.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = _width(col)
        kind = col.spec.kind if col.spec else "text"
        if kind in ("date", "id", "text", "tags", "url", "other") or col.spec is None:
            # text format for the whole column: Excel must not turn BE dates or ids into numbers
            ws.column_dimensions[letter].number_format = "@"
        dv = _validation(col, lists, f"{letter}{first}")
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}{first}:{letter}{last}")
    ws.row_dimensions[header_row].height = 45
    ws.freeze_panes = ws.cell(hint_row + 1, 2)


def _width(col: Column) -> float:
    longest = max(len(col.header), len(col.hint) * 0.8)
    if col.spec is not None and col.spec.is_choice and col.spec.choices:
        longest = max(longest, max(len(v) for v in col.spec.choices))
    # Thai combining marks take no width; a rough 0.85 keeps columns from being too wide.
    return float(min(45, max(14, round(longest * 0.85) + 2)))


def _validation(col: Column, lists: _Lists, top_left: str) -> DataValidation | None:
    spec = col.spec
    if spec is None:
        return None
    if spec.is_choice and spec.choices:
        dv = DataValidation(type="list", formula1=lists.range_for(spec), allow_blank=True)
        if spec.kind == "multi":
            # One pick from the list; more values are typed, comma-separated, so no error box.
            dv.showErrorMessage = False
            dv.promptTitle = "เลือกได้มากกว่า 1 ข้อ"
            dv.prompt = _clip("เลือกจากรายการ หรือพิมพ์หลายค่าคั่นด้วยจุลภาค (,) เช่น CSV, XLS\n"
                              "Pick one, or type several values separated by commas.")
        elif spec.other_value:
            # "อื่นๆ: รายละเอียด" must stay possible: warn, do not refuse.
            dv.showErrorMessage = True
            dv.errorStyle = "warning"
            dv.errorTitle = "ค่าไม่อยู่ในรายการ"
            dv.error = _clip(f"ค่านี้ไม่อยู่ในรายการของมาตรฐาน หากเป็นค่าอื่นให้พิมพ์ '{spec.other_value}: รายละเอียด'\n"
                             "Not in the standard's list; for another value type 'อื่นๆ: details'.")
            dv.promptTitle = "เลือกจากรายการ"
            dv.prompt = _clip(f"เลือกจากรายการ หากไม่มีให้พิมพ์ '{spec.other_value}: รายละเอียด'\n"
                              "Pick from the list; otherwise type 'อื่นๆ: details'.")
        else:
            dv.showErrorMessage = True
            dv.errorStyle = "stop"
            dv.errorTitle = "ค่าไม่อยู่ในรายการ"
            dv.error = "กรุณาเลือกจากรายการ / Please pick a value from the list."
            dv.promptTitle = "เลือกจากรายการ"
            dv.prompt = "เลือกจากรายการ / Pick a value from the list."
        dv.showInputMessage = True
        return dv
    if spec.kind == "email":
        c = top_left
        formula = (f'AND(LEN({c})-LEN(SUBSTITUTE({c},"@",""))=1,ISERROR(FIND(" ",{c})),'
                   f'ISNUMBER(FIND(".",{c},FIND("@",{c}))),LEFT({c},1)<>"@")')
        dv = DataValidation(type="custom", formula1=formula, allow_blank=True)
        dv.errorTitle = "อีเมลไม่ถูกต้อง"
        dv.error = "กรุณากรอกอีเมลของหน่วยงาน เช่น plan@agency.go.th / Enter an e-mail address."
        dv.promptTitle = "อีเมลกอง/สำนัก/ฝ่าย"
        dv.prompt = "อีเมลของหน่วยงาน (ไม่ใช่อีเมลบุคคล) / The unit's e-mail address."
        return dv
    if spec.kind == "number":
        dv = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
        dv.errorTitle = "ต้องเป็นตัวเลข"
        dv.error = "กรอกตัวเลขมากกว่า 0 หรือเว้นว่าง / A number above 0, or leave blank."
        dv.promptTitle = "ค่าตัวเลข"
        dv.prompt = "ตัวเลขมากกว่า 0 หรือเว้นว่างได้ / A number above 0 (may be blank)."
        return dv
    return None


def _clip(text: str, limit: int = 255) -> str:
    """Excel refuses prompts and error texts longer than 255 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def template_fields(layout: str, standard: str) -> dict[str, list[str]]:
    """Sheet name → field names in column order (for tests and docs)."""
    wb_cols: Iterable[tuple[str, list[Column]]]
    if layout == "opdc":
        wb_cols = [("Template 2", opdc_columns("dataset", standard)), ("Template 3", opdc_columns("resource", standard))]
    else:
        sheets = [f"Temp2_Meta_{t.capitalize() if t != 'gis' else 'GIS'}" for t in DATA_TYPES]
        sheets += [f"Temp3_Resource_{t.capitalize() if t != 'gis' else 'GIS'}" for t in DATA_TYPES]
        wb_cols = [(s, nso_columns(s, standard)) for s in sheets]
    return {s: [c.field for c in cols] for s, cols in wb_cols}
