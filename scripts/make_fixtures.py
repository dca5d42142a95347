"""Regenerate the example and test fixtures in fixtures/ (deterministic; run from the repo root).

    python scripts/make_fixtures.py

The fixtures are committed; this script documents how each was made and lets a maintainer
rebuild them after a schema change. Content is realistic Thai agency metadata.
"""
from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures"

T2_HEADER = ["รหัสชุดข้อมูลตามที่กำหนดใน", "1. ประเภทข้อมูล", "2. ชื่อชุดข้อมูล", "3. องค์กร", "4. ชื่อผู้ติดต่อ",
             "5. อีเมลล์ผู้ติดต่อ", "6. คำสำคัญ", "7. รายละเอียด", "8. วัตถุประสงค์",
             "9.1 หน่วยความถี่ของการปรับปรุงข้อมูล", "9.2 ค่าความถี่ของการปรับปรุงข้อมูล",
             "10. ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "11. แหล่งที่มา", "12. รูปแบบการเก็บข้อมูล",
             "13. หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "14. สัญญานุญาตให้ใช้ข้อมูล"]
T2_HINTS = ["Temp1_Dataset", "(เลือกจากตัวเลือก)", "(กรอกชื่อชุดข้อมูล)", "(กรอกชื่อองค์กร)", "(กรอกชื่อกอง/สำนัก/ฝ่าย)",
            "(กรอกอีเมลล์กอง/สำนัก/ฝ่าย)", "(กรอกหัวข้อ คำ วลี แท็ก)", "(กรอกคำอธิบาย)",
            "(เลือกจากตัวเลือกและตอบได้มากกว่า 1 ข้อ)", "(เลือกจากตัวเลือก)", "(กรอกค่าตัวเลข)", "(เลือกจากตัวเลือก)",
            "(กรอกคำอธิบาย)", "(เลือกจากตัวเลือกและตอบได้มากกว่า 1 ข้อ)", "(เลือกจากตัวเลือก)", "(เลือกจากตัวเลือก)"]
T3_HEADER = ["1.รหัสชุดข้อมูลตามที่กำหนดใน", "2.ชื่อ", "3.URL", "4.รายละเอียด", "5.เงื่อนไขในการเข้าถึงข้อมูล",
             "6.วันที่ปรับปรุงข้อมูลล่าสุด", "7.นามสกุลของไฟล์", "8. วันที่เริ่มต้นสร้าง", "9. หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล"]
T3_HINTS = ["Temp1_Dataset", "(กรอกชื่อ)", "(กรอก URL)", "(กรอกรายละเอียด)", "(กรอกเงื่อนไขการเข้าถึง)",
            "YYYY-MM-DD ในรูปแบบปี พ.ศ.", "(กรอกนามสกุลของไฟล์)", "YYYY-MM-DD ในรูปแบบปี พ.ศ.", "(เลือกจากตัวเลือก)"]

ORG = "กรมการท่องเที่ยว"
OPEN = "Open Data Common"


def ds(i, title, **kw):
    row = {
        "id": f"DataSet_11_0{i}", "data_type": "ข้อมูลสถิติ", "title": title, "owner_org": ORG,
        "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
        "tag_string": "ท่องเที่ยว, นักท่องเที่ยว, สถิติ", "notes": f"{title} จำแนกรายจังหวัด รวบรวมจากรายงานของสำนักงานท่องเที่ยวและกีฬาจังหวัด",
        "objective": "พันธกิจหน่วยงาน", "update_frequency_unit": "เดือน", "update_frequency_interval": 1,
        "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว (กรมการท่องเที่ยว)",
        "data_format": "XLS, CSV", "data_category": "ข้อมูลสาธารณะ", "license_id": OPEN,
    }
    row.update(kw)
    return row


ORDER = ["id", "data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
         "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
         "data_category", "license_id"]
RES_ORDER = ["dataset_id", "name", "url", "description", "resource_accessible_condition", "resource_last_updated_date",
             "format", "resource_created_date", "resource_data_collect"]


def res(dsid, name, fmt, url, updated="2566-09-30", created="2560-01-01", **kw):
    row = {"dataset_id": dsid, "name": name, "url": url, "description": f"{name} (ไฟล์ {fmt})",
           "resource_accessible_condition": "ไม่มีเงื่อนไข เปิดเผยต่อสาธารณะ", "resource_last_updated_date": updated,
           "format": fmt, "resource_created_date": created, "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"}
    row.update(kw)
    return row


T1_LABELS = ["1. Focus Area ที่เกี่ยวข้อง", "2. ประเด็นการดำเนินงานภายใต้ Focus Area", "3. เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์",
             "4. หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์"]
T1_HEADER = ["ภารกิจหลักที่เกี่ยวข้องกับประเด็นดำเนินการ", "กระบวนการทำงานหลัก", "กระบวนการทำงานย่อย (ถ้ามี)", "รหัสชุดข้อมูล",
             "ชุดข้อมูล"]


def template1_sheet(ws, fields: list[str], rows: list[list], merges: tuple[str, ...] = ()) -> None:
    """The Template 1 layout ``catalog-tools template`` writes: labels A1:A4, values B1:B4, table header on
    row 6, one dataset a row from row 7 (mission and process written once, blank or merged below)."""
    for label, value in zip(T1_LABELS, fields):
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.append([])
    ws.append(T1_HEADER)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)


def opdc_workbook(path: Path, datasets: list[dict], resources: list[dict], *, title_rows: bool = True,
                  template1: tuple[list[str], list[list], tuple[str, ...]] | None = None) -> None:
    wb = Workbook()
    ws = wb.active
    if template1 is not None:
        ws.title = "Template 1"
        template1_sheet(ws, *template1)
        ws = wb.create_sheet("Template 2")
    else:
        ws.title = "Template 2"
    if title_rows:
        ws.append(["Template 2 แบบฟอร์มคำอธิบายข้อมูล (Metadata) ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด"])
        ws.append(["รายการคำอธิบายข้อมูลส่วนหลัก (Mandatory Metadata)"])
    ws.append(T2_HEADER)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    ws.append(T2_HINTS)
    for d in datasets:
        ws.append([d.get(k) for k in ORDER])
    ws3 = wb.create_sheet("Template 3")
    if title_rows:
        ws3.append(["Template 3 แบบฟอร์มคำอธิบายข้อมูลของทรัพยากร (Resource Metadata) ที่สอดคล้องตามมาตรฐานที่ สพร. กำหนด"])
    ws3.append(T3_HEADER)
    ws3.append(T3_HINTS)
    for r in resources:
        ws3.append([r.get(k) for k in RES_ORDER])
    ws3.append(["ใน 1 ชุดข้อมูลสามารถประกอบด้วยไฟล์แหล่งข้อมูล (Resources) มากกว่า 1 ไฟล์"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


CLEAN = [
    ds(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"),
    ds(2, "รายได้จากการท่องเที่ยวรายจังหวัด", objective="พันธกิจหน่วยงาน, แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
       tag_string="รายได้, ท่องเที่ยว, จังหวัด"),
    ds(3, "ทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์", data_type="ข้อมูลระเบียน", update_frequency_unit="วัน",
       geo_coverage="ประเทศ", data_format="Database, CSV", tag_string="ธุรกิจนำเที่ยว, มัคคุเทศก์, ใบอนุญาต",
       data_source="ระบบทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์ (กรมการท่องเที่ยว)", maintainer="กองทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์",
       maintainer_email="tourbiz@tourism.go.th"),
]
CLEAN_RES = [
    res("DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทย ปี 2566", "CSV", "https://catalog.tourism.go.th/dataset/visitors-2566.csv"),
    res("DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทย ปี 2566 (Excel)", "XLSX", "https://catalog.tourism.go.th/dataset/visitors-2566.xlsx"),
    res("DataSet_11_02", "รายได้จากการท่องเที่ยว ปี 2566", "CSV", "https://catalog.tourism.go.th/dataset/revenue-2566.csv"),
    res("DataSet_11_03", "API ทะเบียนธุรกิจนำเที่ยว", "API", "https://api.tourism.go.th/tourbiz?province=", updated="2567-01-15",
        created="2562-10-01", resource_data_collect="บริษัท/ห้างร้าน/สถานประกอบการ"),
]

MESSY = [
    ds(1, "จำนวนนักท่องเที่ยวชาวต่างชาติรายจังหวัด", update_frequency_unit="รายปี", update_frequency_interval="๑",
       maintainer_email=" plan@tourism.go.th\u200b "),
    ds(2, "รายได้จากนักท่องเที่ยวชาวต่างชาติ", maintainer_email="plan(at)tourism.go.th"),
    ds(3, "สถิติการเข้าพักโรงแรม", license_id="-", data_format="XLS/XLSX\nPDF"),
    ds(4, "แหล่งท่องเที่ยวชุมชน", data_type="ข้อมูลระเบียน", geo_coverage="อื่นๆ", objective="- เพื่อรายงานสถานการณ์ด้านการท่องเที่ยว"),
    ds(5, "มาตรฐานที่พักนักท่องเที่ยว", data_type="ข้อมูลระเบียน", geo_coverage="อื่นๆ: เขตพัฒนาการท่องเที่ยว",
       license_id="Creative Commons Attribution Non-Commercial", maintainer="นายสมชาย ใจดี", update_frequency_unit="ไตรมาส",
       update_frequency_interval="ทุก 3 เดือน"),
    ds(6, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", id="DataSet_11_01", data_category="สาธารณะ", tag_string="ท่องเที่ยว, ไทย"),
]
MESSY_RES = [
    res("DataSet_11_01", "นักท่องเที่ยวต่างชาติ 2566", "csv", "https://catalog.tourism.go.th/dataset/foreign-2566.csv"),
    res("DataSet_11_02", "รายได้นักท่องเที่ยวต่างชาติ", "XLSX", "catalog.tourism.go.th/revenue-foreign.xlsx",
        updated="2566-01-31", created="2566-05-01"),
    res("DataSet_11_03", "สถิติการเข้าพัก", "PDF", "https://catalog.tourism.go.th/dataset/hotel.pdf", updated="2023-06-30"),
    res("DataSet_12_09", "ไฟล์ที่ไม่มีชุดข้อมูล", "CSV", "https://catalog.tourism.go.th/dataset/unknown.csv"),
    res("DataSet_13_02", None, None, None, updated=None, created=None, description=None, resource_accessible_condition=None,
        resource_data_collect=None),
]

# The official worked example (OPDC slides, FY2565): six datasets, four complete, one with 13
# items and one with 12.
OPDC_ORG = "สำนักงานคณะกรรมการพัฒนาระบบราชการ"


def opdc(i, title, **kw):
    base = ds(i, title, owner_org=OPDC_ORG, maintainer="กองพัฒนารัฐบาลดิจิทัล", maintainer_email="dg@opdc.go.th",
              tag_string="e-Service, รัฐบาลดิจิทัล", notes=f"{title} ของส่วนราชการ",
              objective="นโยบายรัฐบาล/ข้อสั่งการนายกรัฐมนตรี", update_frequency_unit="ไตรมาส", geo_coverage="ประเทศ",
              data_source="รายงานผลการดำเนินงาน (สำนักงาน ก.พ.ร.)", data_format="XLS", data_type="ข้อมูลระเบียน")
    base.update(kw)
    return base


WORKED = [
    opdc(1, "แผนการดำเนินงานขับเคลื่อน Biz Portal"),
    opdc(2, "ผลการดำเนินงานตามแผนขับเคลื่อน Biz Portal"),
    opdc(3, "แผนการดำเนินงานขับเคลื่อน Citizen Portal"),
    opdc(4, "ผลการดำเนินงานตามแผนขับเคลื่อน Citizen Portal", maintainer_email=None),  # 13 items
    opdc(5, "ผลการประเมินส่วนราชการตามเกณฑ์ PMQA 4.0", tag_string=None, license_id=None),  # 12 items
    opdc(6, "ผลการประเมินส่วนราชการตามตัวชี้วัด e-Service"),
]
for _i, _d in enumerate(WORKED, 1):
    _d["id"] = ["DataSet_11_01", "DataSet_11_02", "DataSet_12_01", "DataSet_12_02", "DataSet_21_01", "DataSet_22_01"][_i - 1]

# The OPDC sample Template 1 (002:244-255): the Focus Area, the issue, and the six datasets of the
# worked example under their missions and processes (numbered 1.1.1 → DataSet_11_xx).
WORKED_T1 = (
    ["ด้านการบริหารจัดการภาครัฐ", "การขับเคลื่อน e-Service ในภาครัฐ",
     "นำไปวางแผนการดำเนินงานเพื่อขับเคลื่อนเป้าหมายการเป็นรัฐบาลดิจิทัล",
     "สำนักงาน ก.พ.ร.\nสำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"],
    [
        ["1. ภารกิจด้านพัฒนาการให้บริการประชาชน",
         "1.1 ขับเคลื่อนการให้บริการภาครัฐกิจและภาคประชาชนด้วยระบบดิจิทัลอย่างเต็มรูปแบบ", "1.1.1 Biz Portal",
         "DataSet_11_01", "แผนการดำเนินงานขับเคลื่อน Biz Portal"],
        [None, None, None, "DataSet_11_02", "ผลการดำเนินงานตามแผนขับเคลื่อน Biz Portal"],
        [None, "1.2 สนับสนุนการขับเคลื่อนรัฐบาลดิจิทัลในการเพิ่มขีดความสามารถเชิงดิจิทัลภาครัฐ "
               "ในการบริหารจัดการด้านบูรณาการข้อมูลภาครัฐ", "1.2.1 Citizen Portal",
         "DataSet_12_01", "แผนการดำเนินงานขับเคลื่อน Citizen Portal"],
        [None, None, None, "DataSet_12_02", "ผลการดำเนินงานตามแผนขับเคลื่อน Citizen Portal"],
        ["2. ภารกิจเพิ่มประสิทธิภาพการบริหารจัดการ",
         "2.1 พัฒนาส่วนราชการ จังหวัด และองค์การมหาชน ให้มีขีดสมรรถนะสูง (High Performance Organization) "
         "มุ่งสู่การเป็นระบบราชการ 4.0 และบริหารจัดการภาครัฐตามหลักธรรมาภิบาลของการบริหารกิจการบ้านเมืองที่ดี",
         "2.1.1 PMQA 4.0", "DataSet_21_01", "ผลการประเมินส่วนราชการตามเกณฑ์ PMQA 4.0"],
        [None, "2.2 การประเมินผลสัมฤทธิ์ของการปฏิบัติราชการของส่วนราชการ จังหวัด และองค์การมหาชน "
               "โดยปรับระบบการประเมินผลสัมฤทธิ์การปฏิบัติราชการเพื่อการพัฒนาหน่วยงาน (enable) "
               "ควบคู่กับการประเมินผลการปฏิบัติงาน (performance)", "2.2.1 การประเมินส่วนราชการ",
         "DataSet_22_01", "ผลการประเมินส่วนราชการตามตัวชี้วัด e-Service"],
    ],
    ("A7:A10", "B7:B8", "C7:C8", "B9:B10", "C9:C10"),  # mission and processes merged over their datasets
)

# One submission with Templates 1, 2 and 3 that disagree, each mismatch in a known cell:
# Template 1 lists DataSet_11_01 twice (D10), names DataSet_11_02 differently (E8) and lists
# DataSet_11_04, which has no metadata (D9); Template 2's DataSet_11_03 is not in the list.
SUBMISSION_T1 = (
    ["3. ด้านการท่องเที่ยว", "การฟื้นฟูการท่องเที่ยวเมืองรอง",
     "วางแผนส่งเสริมการท่องเที่ยวรายจังหวัดและติดตามรายได้จากการท่องเที่ยว",
     "สำนักงานปลัดกระทรวงการท่องเที่ยวและกีฬา, การท่องเที่ยวแห่งประเทศไทย"],
    [
        ["1. ภารกิจด้านสถิติและข้อมูลการท่องเที่ยว", "1.1 จัดเก็บและเผยแพร่สถิตินักท่องเที่ยว", "1.1.1 สถิตินักท่องเที่ยวรายจังหวัด",
         "DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"],
        [None, None, None, "DataSet_11_02", "รายได้จากการท่องเที่ยวจำแนกรายจังหวัด"],
        [None, "1.2 พัฒนาข้อมูลแหล่งท่องเที่ยว", "1.2.1 แหล่งท่องเที่ยวชุมชน", "DataSet_11_04", "แหล่งท่องเที่ยวชุมชน"],
        [None, None, None, "DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"],
    ],
    ("A7:A10",),
)


def nso_workbook(path: Path) -> None:
    """The NSO GD Catalog import layout (thai_gdc 2.2: data_classification after data_category)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Temp2_Meta_Record"
    rec_cols = ["ชื่อชุดข้อมูล (ภาษาอังกฤษ)", "ประเภทข้อมูล", "ชื่อชุดข้อมูล", "องค์กร", "ชื่อผู้ติดต่อ", "อีเมลผู้ติดต่อ",
                "คำสำคัญ", "รายละเอียด", "วัตถุประสงค์", "หน่วยความถี่ของการปรับปรุงข้อมูล", "ค่าความถี่ของการปรับปรุงข้อมูล",
                "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "แหล่งที่มา", "รูปแบบการเก็บข้อมูล", "หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ",
                "ระดับชั้นข้อมูล", "สัญญาอนุญาตให้ใช้ข้อมูล", "เงื่อนไขในการเข้าถึงข้อมูล", "วันที่เริ่มต้นสร้าง",
                "วันที่ปรับปรุงข้อมูลล่าสุด", "URL", "ผู้สนับสนุนหรือผู้ร่วมดำเนินการ", "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล",
                "ภาษาที่ใช้", "ชุดข้อมูลที่มีคุณค่าสูง", "ข้อมูลอ้างอิง"]
    ws.append(["Template การจัดทำบัญชีข้อมูล : ข้อมูลระเบียน"])
    ws.append(["กรุณากรอกข้อมูลตั้งแต่แถวที่ 6"])
    ws.append([])
    ws.append(rec_cols)
    ws.append(["name", "d_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
               "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
               "data_category", "data_classification", "license_id", "accessible_condition", "created_date",
               "last_updated_date", "url", "data_support", "data_collect", "data_language", "high_value_dataset",
               "reference_data"])
    ws.append(["hospital-registry", "", "ทะเบียนสถานพยาบาลเอกชน", "กรมสนับสนุนบริการสุขภาพ", "กองสถานพยาบาลและการประกอบโรคศิลปะ",
               "mrd@hss.mail.go.th", "สถานพยาบาล, โรงพยาบาลเอกชน, คลินิก", "ทะเบียนสถานพยาบาลเอกชนที่ได้รับอนุญาตทั่วประเทศ",
               "กฎหมายที่เกี่ยวข้อง,เพื่อการให้บริการประชาชน", "เดือน", 1, "ตำบล", "ระบบใบอนุญาตสถานพยาบาล (กรมสนับสนุนบริการสุขภาพ)",
               "Database,CSV", "ข้อมูลสาธารณะ", "เปิดเผย", "Open Data Common", "ไม่มีการจำกัดการเข้าถึงข้อมูล", "2560-10-01",
               "2566-09-30", "https://hss.moph.go.th", "ไม่มี", "บริษัท/ห้างร้าน/สถานประกอบการ", "ไทย", "ใช่", "ไม่ใช่"])
    ws.append(["health-volunteers", "", "จำนวนอาสาสมัครสาธารณสุขประจำหมู่บ้าน", "กรมสนับสนุนบริการสุขภาพ", "กองสนับสนุนสุขภาพภาคประชาชน",
               "phc@hss.mail.go.th", "อสม., อาสาสมัคร", "จำนวน อสม. รายหมู่บ้าน", "พันธกิจหน่วยงาน", "ปี", "", "หมู่บ้าน",
               "ระบบสารสนเทศงานสุขภาพภาคประชาชน", "XLS", "ข้อมูลสาธารณะ", "เปิดเผย", "Open Data Common", "", "", "", "", "", "", "",
               "", ""])
    ws2 = wb.create_sheet("Temp3_Resource_Record")
    ws2.append(["Template การจัดทำบัญชีข้อมูล : ทรัพยากรข้อมูลระเบียน"])
    ws2.append([])
    ws2.append([])
    ws2.append(["ชื่อชุดข้อมูล", "ชื่อทรัพยากร", "URL", "รายละเอียด", "เงื่อนไขในการเข้าถึงข้อมูล", "วันที่ปรับปรุงข้อมูลล่าสุด",
                "นามสกุลของไฟล์", "วันที่เริ่มต้นสร้าง", "หน่วยที่ย่อยที่สุดของการจัดเก็บข้อมูล"])
    ws2.append(["dataset_name", "resource_name", "resource_url", "description", "resource_accessible_condition",
                "resource_last_updated_date", "format", "resource_created_date", "resource_data_collect"])
    ws2.append(["hospital-registry", "ทะเบียนสถานพยาบาล 2566", "https://hss.moph.go.th/opendata/hospital-2566.csv", "รายชื่อสถานพยาบาล",
                "ไม่มีเงื่อนไข", "2566-09-30", "CSV", "2566-01-01", "บริษัท/ห้างร้าน/สถานประกอบการ"])
    ws2.append(["health-volunteers", "อสม. รายหมู่บ้าน 2566", "https://hss.moph.go.th/opendata/osm-2566.xlsx", "จำนวน อสม.",
                "ไม่มีเงื่อนไข", "2566-12-31", "XLSX", "2567-01-10", "บุคคล"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def write_csv_cp874(path: Path, datasets: list[dict]) -> None:
    lines = [",".join(T2_HEADER)]
    for d in datasets:
        cells = []
        for k in ORDER:
            v = d.get(k)
            v = "" if v is None else str(v)
            if any(ch in v for ch in ',"\n'):
                v = '"' + v.replace('"', '""') + '"'
            cells.append(v)
        lines.append(",".join(cells))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp874"))


def ckan_packages(path: Path) -> None:
    """A package_search response: one scheming-style package, one with extras, one bad."""
    good = {
        "name": "dataset_11_01", "title": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", "private": False,
        "organization": {"name": "tourism-dept", "title": ORG}, "owner_org": "8f0c",
        "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
        "tags": [{"name": "ท่องเที่ยว"}, {"name": "นักท่องเที่ยว"}], "notes": "จำนวนนักท่องเที่ยวชาวไทย จำแนกรายจังหวัด",
        "data_type": "ข้อมูลสถิติ", "objective": "[\"พันธกิจหน่วยงาน\"]", "update_frequency_unit": "เดือน",
        "update_frequency_interval": "1", "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว",
        "data_format": "[\"CSV\", \"XLS\"]", "data_category": "ข้อมูลสาธารณะ", "license_id": OPEN,
        "resources": [{"id": "r1", "name": "นักท่องเที่ยว 2566", "url": "https://catalog.tourism.go.th/visitors-2566.csv",
                       "format": "CSV", "description": "ไฟล์ CSV", "resource_accessible_condition": "ไม่มีเงื่อนไข",
                       "resource_last_updated_date": "2023-09-30", "resource_created_date": "2017-01-01",
                       "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "datastore_active": True}],
    }
    extras = {
        "name": "dataset_11_02", "title": "รายได้จากการท่องเที่ยวรายจังหวัด", "private": False,
        "organization": {"name": "tourism-dept", "title": ORG},
        "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
        "tags": [{"name": "รายได้"}, {"name": "ท่องเที่ยว"}], "notes": "รายได้จากการท่องเที่ยว จำแนกรายจังหวัด",
        "license_id": OPEN,
        "extras": [{"key": k, "value": v} for k, v in {
            "data_type": "ข้อมูลสถิติ", "objective": "พันธกิจหน่วยงาน", "update_frequency_unit": "ปี",
            "geo_coverage": "จังหวัด", "data_source": "รายงานสถิติ", "data_format": "XLS", "data_category": "ข้อมูลสาธารณะ"}.items()],
        "resources": [{"id": "r2", "name": "รายได้ 2566", "url": "https://catalog.tourism.go.th/revenue-2566.xlsx", "format": "XLSX"}],
    }
    bad = {
        "name": "dataset_12_01", "title": "ข้อมูลร้องเรียนนักท่องเที่ยว", "private": False,
        "organization": {"name": "tourism-dept", "title": ORG}, "maintainer": "", "maintainer_email": "complaint at tourism",
        "tags": [], "notes": "เรื่องร้องเรียน", "data_type": "ข้อมูลระเบียน", "objective": "[\"เพื่อการร้องเรียน\"]",
        "update_frequency_unit": "วัน", "geo_coverage": "ประเทศ", "data_source": "ศูนย์รับเรื่องร้องเรียน",
        "data_format": "[\"PDF\"]", "data_category": "ข้อมูลสาธารณะ", "license_id": "License not specified",
        "resources": [{"id": "r3", "name": "เรื่องร้องเรียน", "url": "https://catalog.tourism.go.th/complaints.pdf", "format": "PDF",
                       "resource_last_updated_date": "2566-01-01"}],
    }
    path.write_text(json.dumps({"help": "package_search", "success": True, "result": {"count": 3, "results": [good, extras, bad]}},
                               ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def bad_inputs(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04" + b"\x00garbage" * 64)
    (folder / "not-a-workbook.xlsx").write_text("นี่ไม่ใช่ไฟล์ Excel\n", encoding="utf-8")
    (folder / "empty.csv").write_bytes(b"")
    (folder / "no-header.csv").write_text("ชื่อ,นามสกุล,เบอร์โทร\nสมชาย,ใจดี,0812345678\n", encoding="utf-8")
    (folder / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (folder / "broken.json").write_text('{"name": "dataset_11_01", "title": ', encoding="utf-8")
    # formulas, merged cells and a hidden sheet in one workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 2"
    ws.append(T2_HEADER)
    d = ds(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด")
    ws.append([d.get(k) for k in ORDER])
    d2 = ds(2, "รายได้จากการท่องเที่ยวรายจังหวัด")
    ws.append([d2.get(k) for k in ORDER])
    ws.merge_cells("D2:D3")  # องค์กร merged over both rows, a common habit
    ws["K3"] = "=K2*1"  # a formula with no saved result
    hidden = wb.create_sheet("ตัวเลือก")
    hidden.append(["ข้อมูลระเบียน", "ข้อมูลสถิติ"])
    hidden.sheet_state = "hidden"
    wb.save(folder / "formulas-merged-hidden.xlsx")


# ---------------------------------------------------------------------------------------------
# Scoring (Data Catalog KPI) examples: an FY2566 agency workbook with six datasets whose
# resources reach different open-format levels (CSV/XLSX, PDF, API, real-time API, none).
# ---------------------------------------------------------------------------------------------
FY2566 = [
    ds(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"),
    ds(2, "รายได้จากการท่องเที่ยวรายจังหวัด", update_frequency_unit="ปี", tag_string="รายได้, ท่องเที่ยว, จังหวัด"),
    ds(3, "ทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์", data_type="ข้อมูลระเบียน", update_frequency_unit="วัน", geo_coverage="ประเทศ",
       data_format="Database, CSV", tag_string="ธุรกิจนำเที่ยว, มัคคุเทศก์, ใบอนุญาต",
       data_source="ระบบทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์ (กรมการท่องเที่ยว)"),
    ds(4, "สถิติการเข้าพักโรงแรมรายอำเภอ", id="DataSet_12_01", geo_coverage="อำเภอ", data_format="PDF",
       tag_string="โรงแรม, การเข้าพัก, อำเภอ"),
    ds(5, "จุดบริการข้อมูลนักท่องเที่ยวแบบเรียลไทม์", id="DataSet_12_02", data_type="ข้อมูลภูมิสารสนเทศเชิงพื้นที่",
       update_frequency_unit="ตามเวลาจริง", update_frequency_interval=None, geo_coverage="พิกัด", data_format="JSON",
       tag_string="จุดบริการ, นักท่องเที่ยว, แผนที่"),
    ds(6, "เรื่องร้องเรียนของนักท่องเที่ยว", id="DataSet_13_01", data_type="ข้อมูลระเบียน", data_category="ข้อมูลใช้ภายใน",
       license_id="อื่นๆ: ใช้ภายในหน่วยงานเท่านั้น", update_frequency_unit="วัน", geo_coverage="จังหวัด", data_format="Database",
       tag_string="ร้องเรียน, นักท่องเที่ยว", data_source="ศูนย์รับเรื่องร้องเรียนนักท่องเที่ยว (กรมการท่องเที่ยว)"),
]
FY2566_RES = [
    res("DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทย ปี 2566", "CSV", "https://catalog.tourism.go.th/dataset/visitors-2566.csv"),
    res("DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทย ปี 2566 (Excel)", "XLSX", "https://catalog.tourism.go.th/dataset/visitors-2566.xlsx"),
    res("DataSet_11_02", "รายได้จากการท่องเที่ยว ปี 2566", "CSV", "https://catalog.tourism.go.th/dataset/revenue-2566.csv"),
    res("DataSet_11_03", "API ทะเบียนธุรกิจนำเที่ยว", "API", "https://api.tourism.go.th/tourbiz?province=", updated="2567-01-15",
        created="2562-10-01", resource_data_collect="บริษัท/ห้างร้าน/สถานประกอบการ"),
    res("DataSet_12_01", "รายงานการเข้าพักโรงแรม ปี 2566", "PDF", "https://catalog.tourism.go.th/dataset/hotel-stay-2566.pdf"),
    res("DataSet_12_02", "API จุดบริการนักท่องเที่ยว", "API", "https://api.tourism.go.th/service-points?lat=&lon=", updated="2567-02-01",
        created="2565-06-01"),
]


def scoring_examples() -> None:
    opdc_workbook(FIX / "examples" / "tourism-fy2566.xlsx", FY2566, FY2566_RES)


def main() -> None:
    ex = FIX / "examples"
    opdc_workbook(ex / "tourism-template2-3.xlsx", CLEAN, CLEAN_RES)
    opdc_workbook(ex / "tourism-messy.xlsx", MESSY, MESSY_RES)
    opdc_workbook(ex / "opdc-worked-example.xlsx", WORKED, [], title_rows=False, template1=WORKED_T1)
    opdc_workbook(ex / "tourism-template1-2-3.xlsx", CLEAN, CLEAN_RES, template1=SUBMISSION_T1)
    nso_workbook(ex / "nso-gd-catalog-import.xlsx")
    write_csv_cp874(ex / "tourism-template2-cp874.csv", CLEAN)
    ckan_packages(ex / "ckan-package-search.json")
    bad_inputs(FIX / "bad")
    scoring_examples()


if __name__ == "__main__":
    main()
