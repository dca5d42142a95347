"""Workbooks for the output tests (templates, annotated copies, CSV, HTML), built in tmp dirs.

Realistic Thai agency metadata; nothing here is committed as a binary fixture.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook

from catalog_tools.template import template_fields, write_template

ORG = "กรมการท่องเที่ยว"

DATASET = {
    "id": "DataSet_11_01", "data_type": "ข้อมูลสถิติ", "title": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", "owner_org": ORG,
    "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
    "tag_string": "ท่องเที่ยว, นักท่องเที่ยว, สถิติ", "notes": "จำนวนนักท่องเที่ยวชาวไทย จำแนกรายจังหวัด รวบรวมจากสำนักงานท่องเที่ยวและกีฬาจังหวัด",
    "objective": "พันธกิจหน่วยงาน, แผนแม่บทภายใต้ยุทธศาสตร์ชาติ", "update_frequency_unit": "เดือน", "update_frequency_interval": 1,
    "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว (กรมการท่องเที่ยว)", "data_format": "XLS, CSV",
    "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย", "license_id": "Open Data Common",
}
RESOURCE = {
    "dataset_id": "DataSet_11_01", "name": "จำนวนนักท่องเที่ยวชาวไทย ปี 2566",
    "url": "https://catalog.tourism.go.th/dataset/visitors-2566.csv", "description": "ไฟล์ CSV จำแนกรายจังหวัด",
    "resource_accessible_condition": "ไม่มีเงื่อนไข เปิดเผยต่อสาธารณะ", "resource_last_updated_date": "2566-09-30",
    "format": "CSV", "resource_created_date": "2560-01-01", "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
}


def fill_template(path: Path, layout: str, *, standard: str = "2.2", dataset_sheet: str | None = None,
                  resource_sheet: str | None = None, dataset: dict | None = None, resource: dict | None = None) -> Path:
    """Generate the blank template, then fill one dataset and one resource row the way a steward would."""
    blank = path.with_name(path.stem + "-blank.xlsx")
    write_template(blank, layout, standard)
    wb = load_workbook(blank)
    first = 4 if layout == "opdc" else 6
    fields = template_fields(layout, standard)
    t2 = dataset_sheet or ("Template 2" if layout == "opdc" else "Temp2_Meta_Record")
    t3 = resource_sheet or ("Template 3" if layout == "opdc" else "Temp3_Resource_Record")
    ds = dict(DATASET, **(dataset or {}))
    res = dict(RESOURCE, **(resource or {}))
    if layout == "nso":
        ds["id"] = res["dataset_id"] = "tourist-arrivals-province"
        # the NSO importer reads a cell as one value: one choice per multi-value cell
        for name in ("objective", "data_format"):
            if name not in (dataset or {}):
                ds[name] = ds[name].split(",")[0].strip()
    for c, name in enumerate(fields[t2], 1):
        if name in ds:
            wb[t2].cell(first, c, ds[name])
    for c, name in enumerate(fields[t3], 1):
        if name in res:
            wb[t3].cell(first, c, res[name])
    wb.save(path)
    return path


T2_HEADER = ["รหัสชุดข้อมูลตามที่กำหนดใน", "1. ประเภทข้อมูล", "2. ชื่อชุดข้อมูล", "3. องค์กร", "4. ชื่อผู้ติดต่อ",
             "5. อีเมลผู้ติดต่อ", "6. คำสำคัญ", "7. รายละเอียด", "8. วัตถุประสงค์",
             "9.1 หน่วยความถี่ของการปรับปรุงข้อมูล", "9.2 ค่าความถี่ของการปรับปรุงข้อมูล",
             "10. ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "11. แหล่งที่มา", "12. รูปแบบการเก็บข้อมูล",
             "13. หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "14. สัญญาอนุญาตให้ใช้ข้อมูล"]
ORDER = ["id", "data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
         "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
         "data_category", "license_id"]
PROVINCES = ["เชียงใหม่", "ขอนแก่น", "นครราชสีมา", "ภูเก็ต", "สงขลา", "ชลบุรี", "อุดรธานี", "พิษณุโลก"]


def many_findings_workbook(path: Path, n: int = 1000) -> Path:
    """An OPDC Template 2 sheet with ``n`` datasets, each with exactly one error.

    Even rows carry a broken e-mail (``format``), odd rows a geo_coverage outside the list
    (``choice``), so the annotated copy, the CSV and the HTML must all show ``n`` findings.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 2"
    ws.append(T2_HEADER)
    for i in range(n):
        province = PROVINCES[i % len(PROVINCES)]
        row = dict(DATASET, id=f"DataSet_{31 + i // 100}_{i % 100:02d}",
                   title=f"จำนวนผู้เข้าพักโรงแรมจังหวัด{province} ชุดที่ {i + 1}",
                   tag_string=f"ท่องเที่ยว, โรงแรม, {province}")
        if i % 2 == 0:
            row["maintainer_email"] = f"stat{i}(at)tourism.go.th"
        else:
            row["geo_coverage"] = "ภูมิภาคอาเซียน"
        ws.append([row.get(k) for k in ORDER])
    wb.save(path)
    return path


def hostile_workbook(path: Path) -> Path:
    """Cell values that try to become formulas or markup in the outputs."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 2"
    ws.append(T2_HEADER)
    bad = dict(DATASET, id="DataSet_11_09", title="<script>alert('ชุดข้อมูล')</script>",
               maintainer_email="=HYPERLINK(\"http://evil.example/\",\"คลิก\")", geo_coverage="+cmd|' /C calc'!A0",
               maintainer="-", data_category="@ข้อมูลสาธารณะ", notes="-2+3 รายละเอียดชุดข้อมูล")
    ws.append([bad.get(k) for k in ORDER])
    ws["F2"].data_type = "s"  # keep the e-mail cell as text, as a pasted value would be
    wb.save(path)
    return path


def audit_of(report, organizations, *, ckan: str = "https://catalog.tourism.go.th"):
    """An ``AuditResult`` around ``report`` with the given organisation rows and the report's real
    FY2565 score, for renderer tests that need particular rows (``--org`` crawl facts are plain)."""
    from catalog_tools.results import AuditResult, CrawlFacts
    from catalog_tools.scoring import score_report

    crawl = CrawlFacts(ckan=ckan, organization=None, method="package_search", pages=1, private_included=False,
                       datasets=len(report.datasets), count_reported=len(report.datasets), complete=True, stopped=None,
                       links={"checked": 0}, organizations_requested=[], as_of="2026-11-30")
    return AuditResult(report, list(organizations), crawl, score_report(report, fy=2565, catalog_url=ckan))
