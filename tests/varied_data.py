"""A Template 2 + 3 workbook whose rows carry many kinds of findings, for equivalence tests.

Fast paths (cell caches, batched writers) must give exactly what the plain code gives; this
workbook exercises them with what real submissions hold: synonyms and labels, placeholders, Thai
digits, Buddhist and Gregorian dates, "อื่นๆ: …" choices, broken e-mails, person names, test
values and template variables, duplicate ids and titles, orphan resource rows, formulas-looking
and markup-looking text. Rows are drawn with a seeded generator, so a failure reproduces.
"""
from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

from scripts.make_fixtures import ORDER, RES_ORDER, T2_HEADER, T2_HINTS, T3_HEADER, T3_HINTS

GOOD = {
    "data_type": "ข้อมูลสถิติ", "owner_org": "กรมการท่องเที่ยว", "maintainer": "กองยุทธศาสตร์และแผนงาน",
    "maintainer_email": "plan@tourism.go.th", "tag_string": "ท่องเที่ยว, สถิติ",
    "notes": "จำนวนนักท่องเที่ยวชาวไทย จำแนกรายจังหวัด", "objective": "พันธกิจหน่วยงาน, แผนแม่บทภายใต้ยุทธศาสตร์ชาติ",
    "update_frequency_unit": "เดือน", "update_frequency_interval": 1, "geo_coverage": "จังหวัด",
    "data_source": "รายงานสถิตินักท่องเที่ยว (กรมการท่องเที่ยว)", "data_format": "XLS, CSV",
    "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
}
VARIANTS = {
    "data_type": ["ข้อมูลระเบียน", "ข้อมูลสถิติ ", "สถิติ", "-", "", "ข้อมูลภูมิสารสนเทศเชิงพื้นที่", "อื่นๆ: ข้อมูลเสียง", "อื่นๆ"],
    "title": ["จำนวนนักท่องเที่ยว", "รายได้ =SUM(A1)", "test", "ทดสอบ", "$package_name", "{{title}}", "ชื่อ\u200bชุดข้อมูล\u00a0",
              "  ช่องว่าง  ", "-", "N/A", "ก" * 300],
    "owner_org": ["สำนักงานสถิติแห่งชาติ", "", "-", "กรม<script>alert(1)</script>"],
    "maintainer": ["นายสมชาย ใจดี", "Mr. John Smith", "test contact", "", "@admin"],
    "maintainer_email": ["stat(at)nso.go.th", "test@test.local", "mailto:plan@tourism.go.th", "a b@tourism.go.th", "", "-"],
    "tag_string": ["ที่พัก/โรงแรม", "ก", "สถิติ;ท่องเที่ยว;สถิติ", "", "-", "+เพิ่มเติม"],
    "notes": ["", "-", "lorem ipsum dolor", "ข้อความ\nหลายบรรทัด\r\nบรรทัดที่สาม", "ค่าที่วัดได้ 1e-05 หน่วย"],
    "objective": ["พันธกิจหน่วยงาน", "ยุทธศาสตร์", "อื่นๆ: งานวิจัย", "", "ข้อมูลเปิด"],
    "update_frequency_unit": ["ปี", "รายปี", "ไม่ทราบ", "ตามเวลาจริง", "", "รายสัปดาห์", "ทุกวัน"],
    "update_frequency_interval": [2, "", "๒", "หนึ่ง", -1, 1.5, "1,000", "1e400", 0.00001],
    "geo_coverage": ["ประเทศ", "ระดับลุ่มน้ำ", "ไม่มี", "", "อื่นๆ (ลุ่มน้ำ)"],
    "data_source": ["", "-", '=HYPERLINK("http://evil.example/","คลิก")'],
    "data_format": ["CSV", "XLS/XLSX", ".csv", "Database, CSV", "PDF", "", "ไฟล์ข้อมูล", "JSON; XML"],
    "data_category": ["ข้อมูลส่วนบุคคล", "ข้อมูลความลับทางราชการ", "สาธารณะ", "", "ข้อมูลใช้ภายใน"],
    "license_id": ["Creative Commons Attribution Non-Commercial", "-", "cc-by", "", "License not specified"],
}
RES_GOOD = {
    "name": "จำนวนนักท่องเที่ยวชาวไทย ปี 2566", "url": "https://catalog.tourism.go.th/dataset/visitors-2566.csv",
    "description": "ไฟล์ CSV จำแนกรายจังหวัด", "resource_accessible_condition": "ไม่มีเงื่อนไข เปิดเผยต่อสาธารณะ",
    "resource_last_updated_date": "2566-09-30", "format": "CSV", "resource_created_date": "2560-01-01",
    "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
}
RES_VARIANTS = {
    "name": ["", "test", "ไฟล์ <b>ตัวหนา</b>"],
    "url": ["ftp://files.tourism.go.th/a.csv", "http://localhost/x.csv", "", "www.example.com/x", "https://a b.go.th/x"],
    "description": ["", "-"],
    "resource_accessible_condition": ["", "-"],
    "resource_last_updated_date": ["2023-09-30", "30/09/2566", "2566-13-01", "", "๒๕๖๖-๐๙-๓๐", "31/02/2566"],
    "format": ["xlsx", ".json", "", "PDF", "ไฟล์"],
    "resource_created_date": ["2567-01-01", "", "ไม่ทราบ"],
    "resource_data_collect": ["", "อื่นๆ: หมู่บ้าน", "รายบุคคล"],
}


def varied_workbook(path: Path, n: int, *, seed: int = 2566) -> Path:
    """``n`` Template 2 rows (about 40 % with findings) and n/3 Template 3 rows (some orphans)."""
    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Template 2")
    ws.append(T2_HEADER)
    ws.append(T2_HINTS)
    ids = []
    for i in range(n):
        dsid = f"DataSet_{i // 100 + 10}_{i:05d}" if rnd.random() > 0.02 else rnd.choice(["", "DataSet_10_00001", "dup"])
        ids.append(dsid)
        clean = rnd.random() < 0.6
        row = {"id": dsid, "title": f"จำนวนนักท่องเที่ยวชุดที่ {i} {rnd.choice(['ภาคเหนือ', 'ภาคใต้'])}"}
        for key in ORDER[1:]:
            if key == "title":
                if not clean and rnd.random() < 0.3:
                    row[key] = rnd.choice(VARIANTS[key])
                continue
            row[key] = GOOD[key] if clean or rnd.random() < 0.5 else rnd.choice(VARIANTS[key])
        ws.append([row[k] for k in ORDER])
    ws3 = wb.create_sheet("Template 3")
    ws3.append(T3_HEADER)
    ws3.append(T3_HINTS)
    for _ in range(n // 3):
        dsid = rnd.choice(ids) if rnd.random() > 0.05 else rnd.choice(["DataSet_99_1O", "ไม่มี", ids[0] + "x"])
        clean = rnd.random() < 0.6
        ws3.append([dsid] + [RES_GOOD[k] if clean or rnd.random() < 0.5 else rnd.choice(RES_VARIANTS[k])
                             for k in RES_ORDER[1:]])
    wb.save(path)
    return path
