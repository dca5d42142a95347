"""Workbooks with a Template 1 sheet (the dataset list tied to a Focus Area), built in tmp dirs.

Template 2 rows come from ``tests.outputs_data`` (realistic กรมการท่องเที่ยว metadata). Each
builder writes the layout a steward really sends: the template's own, the seed's printed shape
(labels further down, no id column, bullets), or a hostile one.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook

from tests.outputs_data import DATASET, ORDER, T2_HEADER

LABELS = ["1. Focus Area ที่เกี่ยวข้อง", "2. ประเด็นการดำเนินงานภายใต้ Focus Area", "3. เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์",
          "4. หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์"]
HEADER = ["ภารกิจหลักที่เกี่ยวข้องกับประเด็นดำเนินการ", "กระบวนการทำงานหลัก", "กระบวนการทำงานย่อย (ถ้ามี)", "รหัสชุดข้อมูล", "ชุดข้อมูล"]
FIELDS = ["3. ด้านการท่องเที่ยว", "การฟื้นฟูการท่องเที่ยวเมืองรอง", "วางแผนส่งเสริมการท่องเที่ยวรายจังหวัด",
          "สำนักงานปลัดกระทรวงการท่องเที่ยวและกีฬา\nการท่องเที่ยวแห่งประเทศไทย"]

TITLES = {
    "DataSet_11_01": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด",
    "DataSet_11_02": "รายได้จากการท่องเที่ยวรายจังหวัด",
    "DataSet_12_01": "ทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์",
}
MISSION = "1. ภารกิจด้านสถิติและข้อมูลการท่องเที่ยว"
PROCESS = "1.1 จัดเก็บและเผยแพร่สถิตินักท่องเที่ยว"
SUB = "1.1.1 สถิตินักท่องเที่ยวรายจังหวัด"


def t2_rows(ids: Sequence[str]) -> list[list[Any]]:
    """Complete Template 2 rows for ``ids`` (titles from TITLES)."""
    out = []
    for ds_id in ids:
        row = dict(DATASET, id=ds_id, title=TITLES.get(ds_id, f"สถิตินักท่องเที่ยว {ds_id}"))
        out.append([row.get(k) for k in ORDER])
    return out


def table_rows(ids: Sequence[str]) -> list[list[Any]]:
    """One dataset a row; mission and processes on the first row only (they carry down)."""
    rows = []
    for n, ds_id in enumerate(ids):
        first = n == 0
        rows.append([MISSION if first else None, PROCESS if first else None, SUB if first else None, ds_id,
                     TITLES.get(ds_id, f"สถิตินักท่องเที่ยว {ds_id}")])
    return rows


def workbook(path: Path, *, fields: Sequence[Any] = FIELDS, rows: Sequence[Sequence[Any]] | None = None,
             t2_ids: Sequence[str] = ("DataSet_11_01", "DataSet_11_02"), t1_sheet: str = "Template 1",
             merges: Sequence[str] = (), t1: bool = True) -> Path:
    """Template 1 in the template command's layout (A1:B4, header row 6) plus a Template 2 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = t1_sheet
    if t1:
        for label, value in zip(LABELS, fields):
            ws.append([label, value])
        ws.append([])
        ws.append(HEADER)
        for r in (table_rows(t2_ids) if rows is None else rows):
            ws.append(list(r))
        for rng in merges:
            ws.merge_cells(rng)
    t2 = wb.create_sheet("Template 2")
    t2.append(T2_HEADER)
    for r in t2_rows(t2_ids):
        t2.append(r)
    wb.save(path)
    return path


def seed_shape_workbook(path: Path) -> Path:
    """Template 1 as the OPDC slides print it (002:244-255): a title, each label with its value in
    the same cell, the table without an id column, several bulleted datasets in one cell, and a
    mission with "-" (no dataset). Template 2 holds the datasets with their ids."""
    wb = Workbook()
    ws = wb.active
    ws.title = "ชื่อชุดข้อมูล"
    ws.append(["Template 1 รายชื่อชุดข้อมูล (Data Set) ที่สัมพันธ์กับกระบวนการทำงานตามประเด็นการดำเนินงานภายใต้ Focus Area"])
    ws.append([])
    ws.append(["1. Focus Area ที่เกี่ยวข้อง ด้านท่องเที่ยว"])
    ws.append(["2. ประเด็นการดำเนินงานภายใต้ Focus Area การฟื้นฟูการท่องเที่ยวเมืองรอง"])
    ws.append(["3. เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์ วางแผนส่งเสริมการท่องเที่ยวรายจังหวัด"])
    ws.append(["4. หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์ (1) สำนักงานปลัดกระทรวงการท่องเที่ยวและกีฬา "
               "(2) การท่องเที่ยวแห่งประเทศไทย"])
    ws.append([])
    ws.append(["ภารกิจของหน่วยงาน", "กระบวนการทำงานหลัก", "กระบวนการทำงานย่อย (ถ้ามี)", "ชุดข้อมูล"])
    ws.append(["1. ภารกิจด้านนโยบายการท่องเที่ยว", "-", "-", "-"])
    ws.append([MISSION.replace("1.", "2."), PROCESS.replace("1.1", "2.1"), SUB.replace("1.1.1", "2.1.1"),
               f"• {TITLES['DataSet_11_01']}\n• {TITLES['DataSet_11_02']}"])
    ws.append([None, "2.2 กำกับธุรกิจนำเที่ยว", "2.2.1 ทะเบียนธุรกิจ", f"• {TITLES['DataSet_12_01']}"])
    t2 = wb.create_sheet("Template 2")
    t2.append(T2_HEADER)
    for r in t2_rows(["DataSet_11_01", "DataSet_11_02", "DataSet_12_01"]):
        t2.append(r)
    wb.save(path)
    return path
