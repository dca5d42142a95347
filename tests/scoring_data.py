"""Realistic Template 2/3 records for scoring tests, validated by the real validator.

Scoring must use the validator's results, so tests build raw rows (as a workbook loader would
yield them) and run them through ``validate_records`` instead of hand-making results.
"""
from __future__ import annotations

from typing import Any

from catalog_tools.model import RawRecord, Report, Source
from catalog_tools.validate import validate_records

ORG = "กรมการท่องเที่ยว"


def dataset_row(n: int, title: str, **changes: Any) -> dict[str, Any]:
    """A complete (14/14) public dataset row of กรมการท่องเที่ยว; ``changes`` edit or blank fields."""
    row: dict[str, Any] = {
        "id": f"DataSet_11_{n:02d}", "data_type": "ข้อมูลสถิติ", "title": title, "owner_org": ORG,
        "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
        "tag_string": "ท่องเที่ยว, นักท่องเที่ยว, สถิติ", "notes": f"{title} รวบรวมจากรายงานของสำนักงานท่องเที่ยวและกีฬาจังหวัด",
        "objective": "พันธกิจหน่วยงาน", "update_frequency_unit": "ปี", "update_frequency_interval": 1,
        "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว (กรมการท่องเที่ยว)",
        "data_format": "CSV", "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def resource_row(ds_id: str, name: str, fmt: str, url: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "dataset_id": ds_id, "name": name, "url": url, "description": f"{name} (ไฟล์ {fmt})",
        "resource_accessible_condition": "ไม่มีเงื่อนไข เปิดเผยต่อสาธารณะ", "resource_last_updated_date": "2566-09-30",
        "format": fmt, "resource_created_date": "2560-01-01", "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def build_report(datasets: list[dict[str, Any]], resources: list[dict[str, Any]] = (),  # type: ignore[assignment]
                 *, ckan: bool = False) -> Report:
    """Validate the rows as if read from 'tourism.xlsx' (or from CKAN when ``ckan``)."""
    records: list[RawRecord] = []
    for row_no, values in enumerate(datasets, 4):
        src = Source("tourism.xlsx", sheet="Template 2", row=row_no)
        records.append(RawRecord("dataset", dict(values), {}, src, ckan=dict(values) if ckan else None))
    for row_no, values in enumerate(resources, 4):
        src = Source("tourism.xlsx", sheet="Template 3", row=row_no)
        records.append(RawRecord("resource", dict(values), {}, src))
    return validate_records(records, inputs=["tourism.xlsx"])


TITLES = [
    "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", "รายได้จากการท่องเที่ยวรายจังหวัด", "ทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์",
    "สถิติการเข้าพักโรงแรม", "แหล่งท่องเที่ยวชุมชน", "มาตรฐานที่พักนักท่องเที่ยว", "เส้นทางท่องเที่ยวเชิงเกษตร",
    "ผลสำรวจความพึงพอใจของนักท่องเที่ยว", "ข้อมูลมัคคุเทศก์ท้องถิ่น", "ปฏิทินเทศกาลท่องเที่ยว",
]


def datasets(count: int, *, incomplete: int = 0) -> list[dict[str, Any]]:
    """``count`` datasets; the last ``incomplete`` of them lack their contact e-mail (13 of 14 items)."""
    rows = [dataset_row(n, TITLES[(n - 1) % len(TITLES)] + (f" ชุดที่ {n}" if n > len(TITLES) else "")) for n in range(1, count + 1)]
    for row in rows[count - incomplete:]:
        row.pop("maintainer_email")
    return rows
