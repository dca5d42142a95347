"""Loaders and header recognition: the files stewards and portals really have."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from catalog_tools.headers import column_letter, match_cell, split_label
from catalog_tools.loaders import InputError, iter_path
from catalog_tools.model import LoadNote, RawRecord
from catalog_tools.validate import validate_paths, validate_records

HEADER = ["รหัสชุดข้อมูล", "1.ประเภทข้อมูล", "2.ชื่อชุดข้อมูล", "3.องค์กร", "4.ชื่อผู้ติดต่อ", "5.อีเมลผู้ติดต่อ", "6.คำสำคัญ",
          "7.รายละเอียด", "8.วัตถุประสงค์", "9.1 หน่วยความถี่ของการปรับปรุงข้อมูล", "9.2 ค่าความถี่ของการปรับปรุงข้อมูล",
          "10.ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่", "11.แหล่งที่มา", "12.รูปแบบการเก็บข้อมูล",
          "13.หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ", "14.สัญญาอนุญาตให้ใช้ข้อมูล"]
ROW = ["DataSet_21_01", "ข้อมูลสถิติ", "จำนวนผู้ป่วยนอกรายโรค", "สำนักงานปลัดกระทรวงสาธารณสุข", "กองยุทธศาสตร์และแผนงาน",
       "bps@moph.go.th", "ผู้ป่วยนอก, สาธารณสุข", "จำนวนผู้ป่วยนอกจำแนกตามกลุ่มโรค รายจังหวัด", "พันธกิจหน่วยงาน", "ปี", "1",
       "จังหวัด", "ระบบรายงาน HDC (กระทรวงสาธารณสุข)", "CSV", "ข้อมูลสาธารณะ", "Open Data Common"]


@pytest.mark.parametrize("text, field", [
    ("5. อีเมลล์ผู้ติดต่อ", "maintainer_email"),
    ("5.อีเมลผู้ติดต่อ", "maintainer_email"),
    ("อีเมลสำหรับติดต่อ", "maintainer_email"),
    ("14. สัญญานุญาตให้ใช้ข้อมูล", "license_id"),
    ("13. หมวดหมู่ข้อมูลตามธรรมชาติ", "data_category"),
    ("2.ชื่อชุดข้อมูล", "title"),
    ("maintainer_email", "maintainer_email"),
    ("ชื่อฝ่ายงานสำหรับติดต่อ", "maintainer"),
    ("9.2 ค่าความถี่ของการปรับปรุงข้อมูล (ความถี่น้อยที่สุด)", "update_frequency_interval"),
])
def test_header_variants(text: str, field: str) -> None:
    assert match_cell(text, "dataset", "2.2")[0] == field


def test_split_label_and_columns() -> None:
    assert split_label("9.1 หน่วยความถี่") == ("9.1", "หน่วยความถี่")
    assert split_label("2.ชื่อ") == ("2", "ชื่อ")
    assert split_label("8. วันที่เริ่มต้นสร้าง") == ("8", "วันที่เริ่มต้นสร้าง")
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


def test_header_by_item_number_when_the_label_is_unknown(tmp_path: Path) -> None:
    header = list(HEADER)
    header[5] = "5. อีเมล์หน่วยงาน (โปรดระบุ)"  # an agency's own wording
    path = tmp_path / "t2.csv"
    path.write_text(",".join(header) + "\n" + ",".join(f'"{c}"' for c in ROW) + "\n", encoding="utf-8")
    (rec,) = [r for r in iter_path(path) if isinstance(r, RawRecord)]
    assert rec.values["maintainer_email"] == "bps@moph.go.th"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874", "utf-16"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"t2-{encoding}.csv"
    text = ",".join(HEADER) + "\r\n" + ",".join(f'"{c}"' for c in ROW) + "\r\n"
    path.write_bytes(text.encode(encoding))
    report = validate_paths([str(path)])
    assert report.load_errors == []
    (d,) = report.datasets
    assert d.complete and d.title == "จำนวนผู้ป่วยนอกรายโรค"
    assert d.values["tag_string"] == ["ผู้ป่วยนอก", "สาธารณสุข"]


def test_semicolon_csv(tmp_path: Path) -> None:
    path = tmp_path / "t2.csv"
    path.write_text(";".join(HEADER) + "\n" + ";".join(ROW) + "\n", encoding="utf-8")
    (d,) = validate_paths([str(path)]).datasets
    assert d.complete


def test_workbook_with_header_lower_down_and_extra_columns(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "บัญชีข้อมูล"
    ws.append(["บัญชีข้อมูลสำนักงานปลัดกระทรวงสาธารณสุข ปีงบประมาณ 2566"])
    ws.append([])
    ws.append(HEADER + ["หมายเหตุภายใน"])
    ws.append(ROW + ["ตรวจแล้ว"])
    path = tmp_path / "catalog.xlsx"
    wb.save(path)
    items = list(iter_path(path))
    notes = [i.finding for i in items if isinstance(i, LoadNote)]
    recs = [i for i in items if isinstance(i, RawRecord)]
    assert [(n.code, n.value, n.location) for n in notes] == [("column_unknown", "หมายเหตุภายใน", "บัญชีข้อมูล!Q3")]
    assert len(recs) == 1 and recs[0].source.row == 4
    assert recs[0].cells["maintainer_email"] == "บัญชีข้อมูล!F4"


def test_missing_column_is_reported(tmp_path: Path) -> None:
    header = HEADER[:5] + HEADER[6:]
    row = ROW[:5] + ROW[6:]
    path = tmp_path / "t2.csv"
    path.write_text(",".join(header) + "\n" + ",".join(f'"{c}"' for c in row) + "\n", encoding="utf-8")
    report = validate_paths([str(path)])
    assert [f.code for f in report.findings] == ["column_missing"]
    assert report.findings[0].field == "maintainer_email"
    assert report.datasets[0].failed_items == ["5"]


def test_template_sample_rows_are_not_data(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 2"
    ws.append(["รหัสชุดข้อมูลตามที่กำหนดใน"] + HEADER[1:])
    ws.append(["Temp1_Dataset", "(เลือกจากตัวเลือก)", "(กรอกชื่อชุดข้อมูล)", "(กรอกชื่อองค์กร)"])
    for sid in ("DataSet_11_01", "DataSet_11_02"):
        ws.append([sid, "ข้อมูลระเบียบ", f"Name {sid[8:]}"])
    path = tmp_path / "blank-template.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])  # nothing but the template itself: read, but no data
    assert report.load_errors == [] and report.datasets == []
    assert [f.code for f in report.findings] == ["no_data"]


def test_a_file_without_any_template_header_is_an_input_error(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["ลำดับ", "ชื่อ", "หมายเหตุ"])
    wb.active.append([1, "สมชาย", "-"])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    with pytest.raises(InputError, match="no Template 2 or Template 3 header"):
        list(iter_path(path))


def test_ckan_json_lines_and_extras(tmp_path: Path) -> None:
    pkgs = [
        {"name": "rain-monthly", "title": "ปริมาณน้ำฝนรายเดือน", "organization": {"name": "tmd", "title": "กรมอุตุนิยมวิทยา"},
         "maintainer": "กองเครือข่ายสถานีอุตุนิยมวิทยา", "maintainer_email": "rain@tmd.go.th", "notes": "ปริมาณน้ำฝน",
         "license_id": "Open Data Common", "tags": [{"name": "ฝน"}, {"name": "อุตุนิยมวิทยา"}],
         "extras": [{"key": "data_type", "value": "ข้อมูลสถิติ"}, {"key": "objective", "value": "[\"พันธกิจหน่วยงาน\"]"},
                    {"key": "update_frequency_unit", "value": "เดือน"}, {"key": "geo_coverage", "value": "จังหวัด"},
                    {"key": "data_source", "value": "สถานีตรวจอากาศ"}, {"key": "data_format", "value": "CSV"},
                    {"key": "data_category", "value": "ข้อมูลสาธารณะ"}, {"key": "internal_note", "value": "x"}],
         "resources": [{"name": "ฝน 2566", "url": "https://data.tmd.go.th/rain-2566.csv", "format": "CSV"}]},
    ]
    path = tmp_path / "packages.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in pkgs) + "\n", encoding="utf-8")
    report = validate_paths([str(path)])
    (d,) = report.datasets
    assert d.complete and d.id == "rain-monthly"
    assert d.values["owner_org"] == "กรมอุตุนิยมวิทยา"
    assert "internal_note" not in d.values
    assert d.resources[0].url == "https://data.tmd.go.th/rain-2566.csv"
    assert d.resources[0].findings[0].location == "rain-monthly:$.resources[0].description"


def test_library_api_returns_plain_data() -> None:
    import catalog_tools

    recs = [RawRecord("dataset", dict(zip(["id", "data_type", "title", "owner_org", "maintainer", "maintainer_email",
                                           "tag_string", "notes", "objective", "update_frequency_unit",
                                           "update_frequency_interval", "geo_coverage", "data_source", "data_format",
                                           "data_category", "license_id"], ROW)), {},
                      catalog_tools.Source("memory"))]
    report = validate_records(recs)
    assert report.to_dict()["summary"] == {"datasets": 1, "complete": 1, "resources": 0, "errors": 0, "warnings": 0}
    assert catalog_tools.validate_paths is validate_paths
