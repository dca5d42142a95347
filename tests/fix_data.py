"""Messy Template 2/3 files for the ``fix`` tests: each automatic fix, each thing fix must not
touch, and the workbook parts a copy must keep (formulas, styles, validation, hidden sheets).

Built in tmp dirs from realistic กรมการท่องเที่ยว metadata; nothing here is a committed binary.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from tests.outputs_data import DATASET, RESOURCE, T2_HEADER, fill_template

T3_HEADER = ["1.รหัสชุดข้อมูลตามที่กำหนดใน", "2.ชื่อ", "3.URL", "4.รายละเอียด", "5.เงื่อนไขในการเข้าถึงข้อมูล",
             "6.วันที่ปรับปรุงข้อมูลล่าสุด", "7.นามสกุลของไฟล์", "8. วันที่เริ่มต้นสร้าง", "9. หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล"]
T2_ORDER = ["id", "data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
            "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
            "data_category", "license_id"]
T3_ORDER = ["dataset_id", "name", "url", "description", "resource_accessible_condition", "resource_last_updated_date",
            "format", "resource_created_date", "resource_data_collect"]
OTHER_HEADER = "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่ (อื่นๆ โปรดระบุ)"

#: (row in Template 2, field, raw value, fixed value, rule) — what fix must do
EXPECTED_T2 = [
    (3, "update_frequency_unit", "รายปี", "ปี", "fix_synonym"),
    (3, "data_category", " สาธารณะ ", "ข้อมูลสาธารณะ", "fix_synonym"),
    (3, "maintainer_email", "mailto:plan@tourism.go.th", "plan@tourism.go.th", "fix_email"),
    (4, "update_frequency_unit", "Yearly", "ปี", "fix_synonym"),
    (4, "update_frequency_interval", "๑๒", "12", "fix_thai_digits"),
    (4, "title", "สถิติ\u00a0นักท่องเที่ยวชาวต่างชาติ\u200b", "สถิติ นักท่องเที่ยวชาวต่างชาติ", "fix_whitespace"),
    (4, "data_format", "csv;XLSX\nPDF", "CSV, XLS, PDF", "fix_separator"),
    (4, "tag_string", "ท่องเที่ยว;นักท่องเที่ยว\nต่างชาติ", "ท่องเที่ยว, นักท่องเที่ยว, ต่างชาติ", "fix_separator"),
    (5, "geo_coverage", "อื่น ๆ : เขตพัฒนาการท่องเที่ยว", "อื่นๆ", "fix_other"),
    (5, "objective", "พันธกิจหน่วยงาน, อื่น ๆ (รายงานต่อคณะรัฐมนตรี)", "พันธกิจหน่วยงาน, อื่นๆ: รายงานต่อคณะรัฐมนตรี", "fix_other"),
    (5, "maintainer_email", "plan @ tourism.go.th", "plan@tourism.go.th", "fix_email"),
]
#: (row, field, raw value) that fix must leave exactly as they are
UNTOUCHED_T2 = [
    (6, "update_frequency_unit", "รายสองปี"),  # not a known value: a choice finding, not a guess
    (6, "geo_coverage", "-"),  # a placeholder: a required finding, never an invented value
    (6, "maintainer_email", "plan at tourism"),  # still not an address after removing spaces
    (6, "data_format", "CSV, ไฟล์นำเสนอ"),  # one unknown part keeps the whole cell
]
#: Template 3: (row, field, raw, fixed, rule)
EXPECTED_T3 = [
    (3, "resource_last_updated_date", "2023-09-30", "2566-09-30", "fix_date_era"),
    (3, "resource_created_date", "๒๕๖๐-๐๑-๐๑", "2560-01-01", "fix_thai_digits"),
]


def _row(values: dict, order: list[str]) -> list:
    return [values.get(name) for name in order]


def messy_opdc_workbook(path: Path) -> Path:
    """An OPDC Template 2/3 workbook with one case per fix rule, cases fix must leave, a formula,
    styles, data validation, a hidden sheet and a notes sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 2"
    ws.append(["แบบฟอร์ม Template 2 คำอธิบายชุดข้อมูล กรมการท่องเที่ยว"])
    ws.append(T2_HEADER + [OTHER_HEADER])
    rows = {r: dict(DATASET, id=f"DataSet_11_0{r}", title=f"สถิตินักท่องเที่ยว ชุดที่ {r}") for r in range(3, 8)}
    for r, name, raw, _, _ in EXPECTED_T2:
        rows[r][name] = raw
    for r, name, raw in UNTOUCHED_T2:
        rows[r][name] = raw
    rows[7]["title"] = None  # a formula: its saved value is not something fix may rewrite
    for r in range(3, 8):
        ws.append(_row(rows[r], T2_ORDER))
    ws.cell(7, 3).value = '=CONCATENATE("สถิติ", " ", "นักท่องเที่ยวรายเดือน")'
    ws.cell(3, 3).font = Font(bold=True, color="1F4E78")
    ws.cell(4, 10).fill = PatternFill("solid", fgColor="DDEBF7")  # a steward's own fill on a cell fix changes
    dv = DataValidation(type="list", formula1="=ตัวเลือก!$A$1:$A$3", allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("J3:J200")
    t3 = wb.create_sheet("Template 3")
    t3.append(["แบบฟอร์ม Template 3 คำอธิบายทรัพยากรข้อมูล"])
    t3.append(T3_HEADER)
    res = dict(RESOURCE, dataset_id="DataSet_11_03")
    for _, name, raw, _, _ in EXPECTED_T3:
        res[name] = raw
    t3.append(_row(res, T3_ORDER))
    t3.append(_row(dict(RESOURCE, dataset_id="DataSet_11_04", name="สถิติรายเดือน", resource_last_updated_date=None), T3_ORDER))
    t3.cell(4, 6).value = dt.datetime(2023, 9, 30)  # a real Excel date: already right, left alone
    lists = wb.create_sheet("ตัวเลือก")
    for v in ("ปี", "เดือน", "ไตรมาส"):
        lists.append([v])
    lists.sheet_state = "hidden"
    notes = wb.create_sheet("หมายเหตุ")
    notes.append(["ผู้จัดทำ", "กองยุทธศาสตร์และแผนงาน"])
    notes.append(["จำนวนชุดข้อมูล", "=COUNTA('Template 2'!A3:A7)"])
    wb.save(path)
    return path


def messy_nso_workbook(path: Path) -> Path:
    """The NSO GD Catalog import layout (from ``catalog-tools template --layout nso``) with messy values."""
    return fill_template(path, "nso", dataset={"update_frequency_unit": "รายเดือน", "data_format": "XLS;CSV",
                                               "maintainer_email": " plan@tourism.go.th\u200b",
                                               "geo_coverage": "ระดับจังหวัด", "data_category": "สาธารณะ"},
                         resource={"resource_last_updated_date": "2023-09-30"})


def messy_csv(path: Path, *, encoding: str = "utf-8-sig", delimiter: str = ";") -> Path:
    """Template 2 as a CSV export (semicolons, BOM or TIS-620) with messy values."""
    rows = [dict(DATASET, id="DataSet_11_01", update_frequency_unit="รายไตรมาส", update_frequency_interval="๓",
                 data_category="สาธารณะ", license_id="CC-BY", maintainer_email="MAILTO:plan@tourism.go.th"),
            dict(DATASET, id="DataSet_11_02", title="สถิติรายได้จากการท่องเที่ยว", geo_coverage="ทั่วประเทศ",
                 data_format="XLS\nCSV")]
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(T2_HEADER)
        for r in rows:
            w.writerow(["" if r.get(n) is None else r.get(n) for n in T2_ORDER])
    return path


def messy_ckan_json(path: Path) -> Path:
    """A CKAN package_search response with Buddhist Era dates and a synonym."""
    pkg = {"name": "tourist-arrivals-province", "title": "จำนวนนักท่องเที่ยวรายจังหวัด",
           "organization": {"name": "dot", "title": "กรมการท่องเที่ยว"}, "data_type": "ข้อมูลสถิติ",
           "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": " mailto:plan@tourism.go.th ",
           "tags": [{"name": "ท่องเที่ยว"}], "notes": "จำนวนนักท่องเที่ยวชาวไทยจำแนกรายจังหวัด",
           "objective": '["พันธกิจหน่วยงาน"]', "update_frequency_unit": "รายเดือน", "update_frequency_interval": "1",
           "geo_coverage": "อื่น ๆ (เขตพัฒนาการท่องเที่ยวอันดามัน)", "data_source": "กรมการท่องเที่ยว", "data_format": '["CSV"]',
           "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common", "last_updated_date": "2566-09-30",
           "resources": [{"name": "นักท่องเที่ยว 2566", "url": "https://catalog.tourism.go.th/dataset/arrivals.csv",
                          "format": "CSV", "resource_last_updated_date": "2566-09-30",
                          "resource_created_date": "2017-01-01"}]}
    path.write_text(json.dumps({"success": True, "result": {"count": 1, "results": [pkg]}}, ensure_ascii=False, indent=1),
                    encoding="utf-8")
    return path
