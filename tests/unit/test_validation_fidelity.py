"""Validation that fits the input (docs/validation.md "Readings that fit the input").

Hint rows never swallow data, BE years in Excel date cells, resource-level statistical and GIS
fields, messages that fit the layout, and test data / placeholders. Each test failed before.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from catalog_tools.ckan.mapping import resource_dict
from catalog_tools.loaders.nso import layouts
from catalog_tools.model import RawRecord, Source
from catalog_tools.options import ValidationOptions
from catalog_tools.validate import validate_paths, validate_records
from tests.scoring_data import dataset_row, resource_row

RECORD = {
    "id": "hospital-registry", "title": "ทะเบียนสถานพยาบาลเอกชน", "owner_org": "กรมสนับสนุนบริการสุขภาพ",
    "maintainer": "กองสถานพยาบาลและการประกอบโรคศิลปะ", "maintainer_email": "mrd@hss.mail.go.th",
    "tag_string": "สถานพยาบาล, โรงพยาบาลเอกชน, คลินิก", "notes": "ทะเบียนสถานพยาบาลเอกชนที่ได้รับอนุญาตทั่วประเทศ",
    "objective": "กฎหมายที่เกี่ยวข้อง", "update_frequency_unit": "เดือน", "update_frequency_interval": 1,
    "geo_coverage": "ตำบล", "data_source": "ระบบใบอนุญาตสถานพยาบาล (กรมสนับสนุนบริการสุขภาพ)", "data_format": "CSV",
    "data_category": "ข้อมูลสาธารณะ", "data_classification": "เปิดเผย", "license_id": "Open Data Common",
}


def _nso_book(path: Path, sheets: dict[str, tuple[list[Any] | None, list[dict[str, Any]]]]) -> Path:
    """An NSO import workbook: per sheet, row 5 (None: the importer's field names) and the data rows."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (row5, rows) in sheets.items():
        cols = layouts(name)[0]
        ws = wb.create_sheet(name)
        ws.append([f"Template การจัดทำบัญชีข้อมูล : {name}"])
        ws.append(["กรุณากรอกข้อมูลตั้งแต่แถวที่ 6"])
        ws.append([])
        ws.append([f"คอลัมน์ {c}" for c in cols])
        if row5 is not False:
            ws.append(list(cols) if row5 is None else row5)
        for r in rows:
            ws.append([r.get(c, "") for c in cols])
    wb.save(path)
    return path


def _codes(report: Any) -> list[tuple[str, str | None]]:
    return [(f.code, f.location) for f in report.iter_findings()]


# -- 6. hint rows never swallow data ------------------------------------------------------------------
def test_nso_row_5_holding_the_field_names_is_skipped_silently(tmp_path: Path) -> None:
    report = validate_paths([str(_nso_book(tmp_path / "nso.xlsx", {"Temp2_Meta_Record": (None, [RECORD])}))])
    assert [d.id for d in report.datasets] == ["hospital-registry"] and _codes(report) == []


def test_nso_data_after_row_5_was_deleted_is_read_and_reported(tmp_path: Path) -> None:
    second = dict(RECORD, id="clinic-registry", title="ทะเบียนคลินิกเอกชน")
    path = _nso_book(tmp_path / "nso.xlsx", {"Temp2_Meta_Record": (False, [RECORD, second])})
    report = validate_paths([str(path)])
    # before: hospital-registry on row 5 vanished without a word
    assert [(d.id, d.source.row) for d in report.datasets] == [("hospital-registry", 5), ("clinic-registry", 6)]
    note = next(f for f in report.findings if f.code == "hint_row_data")
    assert note.severity == "warning" and note.location == "Temp2_Meta_Record!5:5"
    assert "skips row 5" in note.message and "ข้ามแถวที่ 5" in note.message_th


def test_nso_row_5_with_hints_and_data_lists_the_data_cells(tmp_path: Path) -> None:
    cols = layouts("Temp2_Meta_Record")[0]
    row5 = list(cols)
    row5[cols.index("title")] = "ทะเบียนร้านขายยา"  # typed over the hint
    path = _nso_book(tmp_path / "nso.xlsx", {"Temp2_Meta_Record": (row5, [RECORD])})
    report = validate_paths([str(path)])
    assert [d.id for d in report.datasets] == ["hospital-registry"]
    note = next(f for f in report.findings if f.code == "hint_row_data")
    assert note.severity == "error" and "C5 'ทะเบียนร้านขายยา'" in note.message


def test_opdc_instruction_row_typed_over_is_reported(tmp_path: Path) -> None:
    from tests.outputs_data import T2_HEADER
    wb = Workbook()
    ws = wb.active
    ws.title = "Template 2"
    ws.append(T2_HEADER)
    hints = ["Temp1_Dataset"] + ["(เลือกจากตัวเลือก)"] * (len(T2_HEADER) - 1)
    hints[2] = "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"  # a title typed over its hint cell
    ws.append(hints)
    path = tmp_path / "opdc.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])
    note = next(f for f in report.findings if f.code == "hint_row_data")
    assert note.location == "Template 2!2:2" and "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด" in note.message


# -- 7. Buddhist Era years in Excel date cells ----------------------------------------------------------
def _resource_from_cells(**cells: Any) -> Any:
    row = {**resource_row("DataSet_11_01", "นักท่องเที่ยว 2566", "CSV", "https://catalog.tourism.go.th/dataset/v.csv"), **cells}
    rec = RawRecord("resource", {k: v for k, v in row.items() if v is not None}, {},
                    Source("tourism.xlsx", "Template 3", 4))
    ds = RawRecord("dataset", dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"), {}, Source("tourism.xlsx", "Template 2", 4))
    return validate_records([ds, rec]).datasets[0].resources[0]


def test_date_cell_with_a_be_year_is_flagged_and_converted() -> None:
    res = _resource_from_cells(resource_last_updated_date=dt.datetime(2566, 9, 30))
    assert res.values["resource_last_updated_date"] == "2023-09-30"  # not year 2566 on CKAN
    f = next(f for f in res.findings if f.code == "date_era")
    assert f.field == "resource_last_updated_date" and f.suggestion == "2023-09-30"
    assert "Buddhist Era" in f.message and "พ.ศ." in f.message_th
    assert resource_dict(res.values)["resource_last_updated_date"] == "2023-09-30"


def test_ambiguous_be_date_cell_is_reported_and_not_published() -> None:
    res = _resource_from_cells(resource_created_date=dt.datetime(2564, 2, 29))  # 2021-02-29 does not exist
    assert "resource_created_date" not in res.values
    f = next(f for f in res.findings if f.code == "date_era")
    assert f.suggestion is None and "not used" in f.message
    # a real (Gregorian) date cell is left alone
    plain = _resource_from_cells(resource_created_date=dt.datetime(2017, 1, 1))
    assert plain.values["resource_created_date"] == "2017-01-01" and not [f for f in plain.findings if f.code == "date_era"]


# -- 8. resource-level statistical and GIS fields -------------------------------------------------------
def test_nso_stat_and_gis_resource_fields_are_checked_against_their_lists(tmp_path: Path) -> None:
    stat = dict(RECORD, id="labour-force", title="จำนวนกำลังแรงงานรวม", official_statistics="ใช่")
    gis = dict(RECORD, id="admin-boundary", title="ขอบเขตการปกครอง", geographic_data_set="ชั้นข้อมูลขอบเขตการปกครอง")
    res_stat = {"dataset_id": "labour-force", "name": "กำลังแรงงาน 2566", "url": "https://nso.go.th/lfs-2566.csv", "format": "CSV",
                "resource_disaggregate": "เพศ", "resource_unit_of_multiplier": "พันคน",  # not in the list (พัน)
                "resource_official_statistics": "ใช่", "resource_data_release_calendar": "2566-10-15"}
    res_gis = {"dataset_id": "admin-boundary", "name": "ขอบเขตอำเภอ", "url": "https://gis.dopa.go.th/amphoe.zip", "format": "SHP",
               "resource_equivalent_scale": "1:4000", "resource_geographic_data_set": "ชั้นข้อมูลขอบเขตการปกครอง"}
    path = _nso_book(tmp_path / "nso.xlsx", {"Temp2_Meta_Stat": (None, [stat]), "Temp2_Meta_GIS": (None, [gis]),
                                             "Temp3_Resource_Stat": (None, [res_stat]), "Temp3_Resource_GIS": (None, [res_gis])})
    report = validate_paths([str(path)])
    by_id = {d.id: d for d in report.datasets}
    r_stat = by_id["labour-force"].resources[0]
    assert [(f.code, f.field) for f in r_stat.findings if f.severity == "error"] == [("choice", "resource_unit_of_multiplier")]
    assert r_stat.values["resource_official_statistics"] == "True"
    assert r_stat.values["resource_disaggregate"] == ["เพศ"]
    assert r_stat.values["resource_data_release_calendar"] == "2023-10-15"
    r_gis = by_id["admin-boundary"].resources[0]
    assert [(f.code, f.field, f.value) for f in r_gis.findings if f.severity == "error"] == [
        ("choice", "resource_equivalent_scale", "1:4000")]


def test_thai_gdc_20_resource_url_and_format_are_optional() -> None:
    row = resource_row("DataSet_11_01", "คู่มือการใช้ข้อมูลนักท่องเที่ยว", "CSV", "https://x")
    rows = [{k: v for k, v in row.items() if k not in ("url", "format")}]
    ds = RawRecord("dataset", dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", license_id="Creative Commons Attributions"),
                   {}, Source("tourism.xlsx", "Template 2", 4))
    recs = [ds] + [RawRecord("resource", r, {}, Source("tourism.xlsx", "Template 3", 4)) for r in rows]
    v20 = validate_records(recs, options=ValidationOptions(standard="2.0")).datasets[0].resources[0]
    assert [f.code for f in v20.findings if f.is_error] == []
    v22 = validate_records(recs).datasets[0].resources[0]
    assert sorted(f.field for f in v22.findings if f.code == "required") == ["format", "url"]


# -- 9. messages that fit the input -----------------------------------------------------------------------
IMPORTER = "NSO importer would publish it as 'อื่นๆ'"


def test_importer_note_only_on_nso_sheets(tmp_path: Path) -> None:
    nso = validate_paths([str(_nso_book(tmp_path / "nso.xlsx",
                                        {"Temp2_Meta_Record": (None, [dict(RECORD, geo_coverage="ทั่วโลก")])}))])
    f = next(f for f in nso.iter_findings() if f.code == "choice")
    assert IMPORTER in f.message and "ระบบนำเข้าของ สสช." in f.message_th
    pkg = dict(dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", geo_coverage="ทั่วโลก"), name="dataset_11_01")
    path = tmp_path / "package.json"
    path.write_text(json.dumps(pkg, ensure_ascii=False), encoding="utf-8")
    ckan = next(f for f in validate_paths([str(path)]).iter_findings() if f.code == "choice")
    assert IMPORTER not in ckan.message and "สสช." not in ckan.message_th


def _dataset_findings(standard: str = "2.2", **changes: Any) -> list[Any]:
    rec = RawRecord("dataset", {**dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"), **changes}, {},
                    Source("tourism.xlsx", "Template 2", 4))
    return validate_records([rec], options=ValidationOptions(standard=standard)).datasets[0].findings


def test_seed_example_values_get_the_write_other_hint() -> None:
    dga = next(f for f in _dataset_findings(license_id="DGA Open Government License") if f.code == "choice")
    assert dga.suggestion == "อื่นๆ: DGA Open Government License" and "อื่นๆ: DGA Open Government License" in dga.message_th
    spss = next(f for f in _dataset_findings(data_format="Database, SPSS") if f.code == "choice")
    assert spss.value == "SPSS" and spss.suggestion == "อื่นๆ: SPSS"


def test_license_not_specified_says_it_is_a_20_value() -> None:
    f = next(f for f in _dataset_findings(license_id="License not specified", data_category="ข้อมูลใช้ภายใน")
             if f.code == "choice")
    assert "thai_gdc 2.0" in f.message and "Open Data Common" in f.message and "2.0" in f.message_th
    assert not [f for f in _dataset_findings("2.0", license_id="License not specified") if f.field == "license_id" and f.is_error]


@pytest.mark.parametrize("field, value, read_as", [("geo_coverage", "Province", "จังหวัด"),
                                                   ("objective", "Agency mission", ["พันธกิจหน่วยงาน"])])
def test_english_values_map_like_other_synonyms(field: str, value: str, read_as: Any) -> None:
    rec = RawRecord("dataset", dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", **{field: value}), {},
                    Source("tourism.xlsx", "Template 2", 4))
    ds = validate_records([rec]).datasets[0]
    assert ds.values[field] == read_as and ds.complete
    assert [(f.code, f.field) for f in ds.findings] == [("synonym", field)]


def test_nso_multi_value_cell_warns_that_the_importer_takes_it_whole(tmp_path: Path) -> None:
    row = dict(RECORD, objective="กฎหมายที่เกี่ยวข้อง,เพื่อการให้บริการประชาชน")
    report = validate_paths([str(_nso_book(tmp_path / "nso.xlsx", {"Temp2_Meta_Record": (None, [row])}))])
    ds = report.datasets[0]
    assert ds.values["objective"] == ["กฎหมายที่เกี่ยวข้อง", "เพื่อการให้บริการประชาชน"] and ds.complete
    f = next(f for f in ds.findings if f.code == "nso_multi_value")
    assert f.field == "objective" and f.location == "Temp2_Meta_Record!I6" and "one value" in f.message
    # the same cell in an OPDC sheet or CKAN JSON is fine
    assert not [f for f in _dataset_findings(objective="กฎหมายที่เกี่ยวข้อง,เพื่อการให้บริการประชาชน") if f.code == "nso_multi_value"]


# -- 10. test data and unexpanded placeholders -------------------------------------------------------------
@pytest.mark.parametrize("field, value", [
    ("title", "$pacakge_name"), ("title", "{{title}}"), ("notes", "<name>"), ("title", "test"), ("maintainer", "test contact"),
    ("maintainer_email", "test@test.local"), ("maintainer_email", "example@example.com"), ("notes", "xxxx"),
    ("notes", "TODO"), ("title", "ทดสอบ"), ("data_source", "ทดสอบ 2"),
])
def test_suspicious_values_are_warned(field: str, value: str) -> None:
    hits = [f for f in _dataset_findings(**{field: value}) if f.code == "suspicious_value"]
    assert [(f.field, f.severity) for f in hits] == [(field, "warning")]


@pytest.mark.parametrize("field, value", [
    ("title", "ผลการทดสอบสมรรถภาพทางกายของนักเรียน"), ("notes", "ทดสอบความรู้มัคคุเทศก์ ประจำปี 2566"),
    ("title", "Contest winners of Amazing Thailand photo 2566"), ("maintainer_email", "contest@tourism.go.th"),
    ("notes", "ค่าธรรมเนียม $5 ต่อคน"), ("maintainer", "กลุ่มงานทดสอบและรับรองมาตรฐาน"),
])
def test_real_thai_text_containing_those_words_is_not_flagged(field: str, value: str) -> None:
    assert not [f for f in _dataset_findings(**{field: value}) if f.code == "suspicious_value"]


def test_suspicious_resource_url() -> None:
    res = _resource_from_cells(url="http://example.com/data.csv")
    assert [(f.code, f.field) for f in res.findings if f.code == "suspicious_value"] == [("suspicious_value", "url")]
