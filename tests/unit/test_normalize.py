"""The normaliser: messy cells as stewards type them → the values the schema describes."""
from __future__ import annotations

import datetime as dt

import pytest

from catalog_tools.dates import parse_date
from catalog_tools.normalize import Normaliser, clean_text, is_placeholder
from catalog_tools.schemas_api import schema_info


@pytest.fixture(scope="module")
def ds() -> Normaliser:
    return Normaliser(schema_info("dataset", "2.2"))


@pytest.fixture(scope="module")
def res() -> Normaliser:
    return Normaliser(schema_info("resource", "2.2"))


def test_clean_text_removes_invisible_characters_and_stray_spaces() -> None:
    assert clean_text("  กอง\u200bสถิติ\u00a0 สังคม  ") == "กองสถิติ สังคม"
    assert clean_text(2.0) == "2"
    assert clean_text("บรรทัด 1\r\nบรรทัด 2") == "บรรทัด 1\nบรรทัด 2"


@pytest.mark.parametrize("text", ["-", "N/A", "nan", "NaN", " – ", "(เลือกจากตัวเลือก)", "ไม่ระบุ", "YYYY-MM-DD ในรูปแบบปี พ.ศ."])
def test_placeholders_count_as_missing(ds: Normaliser, text: str) -> None:
    assert is_placeholder(text)
    out = ds.normalise({"maintainer": text, "data_source": text})
    assert "maintainer" not in out.values
    assert out.placeholders["maintainer"] == text


def test_none_is_a_value_in_geo_coverage_but_a_placeholder_in_text(ds: Normaliser) -> None:
    out = ds.normalise({"geo_coverage": "ไม่มี", "maintainer": "ไม่มี"})
    assert out.values["geo_coverage"] == "ไม่มี"
    assert "maintainer" not in out.values


def test_synonyms_are_mapped_and_reported(ds: Normaliser) -> None:
    out = ds.normalise({"update_frequency_unit": "รายปี", "data_category": "สาธารณะ"})
    assert out.values["update_frequency_unit"] == "ปี"
    assert out.values["data_category"] == "ข้อมูลสาธารณะ"
    assert sorted((n.code, n.field, n.suggestion) for n in out.notes) == [
        ("synonym", "data_category", "ข้อมูลสาธารณะ"), ("synonym", "update_frequency_unit", "ปี")]


def test_labels_and_loose_case_are_silent(ds: Normaliser) -> None:
    out = ds.normalise({"data_format": "XLS/XLSX, csv", "license_id": "open data common"})
    assert out.values["data_format"] == ["XLS", "CSV"]
    assert out.values["license_id"] == "Open Data Common"
    assert out.notes == []


def test_multi_values_split_on_commas_new_lines_and_bullets(ds: Normaliser) -> None:
    out = ds.normalise({"objective": "- พันธกิจหน่วยงาน\n- ยุทธศาสตร์ชาติ; มติคณะรัฐมนตรี",
                        "tag_string": "ท่องเที่ยว, นักท่องเที่ยว,\nสถิติ, ท่องเที่ยว"})
    assert out.values["objective"] == ["พันธกิจหน่วยงาน", "ยุทธศาสตร์ชาติ", "มติคณะรัฐมนตรี"]
    assert out.values["tag_string"] == ["ท่องเที่ยว", "นักท่องเที่ยว", "สถิติ"]


def test_a_choice_containing_a_comma_is_not_split() -> None:
    n = Normaliser(schema_info("dataset", "2.2"))
    assert n.normalise({"equivalent_scale": "1:4,000"}).values["equivalent_scale"] == "1:4,000"


@pytest.mark.parametrize("cell, text", [("อื่นๆ: เขตพัฒนาการท่องเที่ยว", "เขตพัฒนาการท่องเที่ยว"),
                                        ("อื่น ๆ (เขตพัฒนาการท่องเที่ยว)", "เขตพัฒนาการท่องเที่ยว"),
                                        ("อื่นๆ - ลุ่มน้ำ", "ลุ่มน้ำ")])
def test_other_with_its_text_in_the_same_cell(ds: Normaliser, cell: str, text: str) -> None:
    out = ds.normalise({"geo_coverage": cell})
    assert out.values["geo_coverage"] == "อื่นๆ"
    assert out.values["geo_coverage_other"] == text


def test_data_type_other_uses_its_own_other_value(ds: Normaliser) -> None:
    out = ds.normalise({"data_type": "อื่นๆ: ข้อมูลภาพถ่ายทางอากาศ"})
    assert out.values["data_type"] == "ข้อมูลประเภทอื่นๆ"
    assert out.values["data_type_other"] == "ข้อมูลภาพถ่ายทางอากาศ"


def test_multi_other_text(ds: Normaliser) -> None:
    out = ds.normalise({"data_format": "CSV, อื่นๆ: SPSS"})
    assert out.values["data_format"] == ["CSV", "อื่นๆ"]
    assert out.values["data_format_other"] == "SPSS"


def test_unknown_choice_is_kept_for_the_schema_to_report(ds: Normaliser) -> None:
    out = ds.normalise({"geo_coverage": "ระดับลุ่มน้ำ"})
    assert out.values["geo_coverage"] == "ระดับลุ่มน้ำ"


def test_thai_digits_in_numbers(ds: Normaliser) -> None:
    assert ds.normalise({"update_frequency_interval": "๒"}).values["update_frequency_interval"] == 2
    assert ds.normalise({"update_frequency_interval": 1.0}).values["update_frequency_interval"] == 1
    assert ds.normalise({"update_frequency_interval": "0.5"}).values["update_frequency_interval"] == 0.5
    assert ds.normalise({"update_frequency_interval": "ทุก 3 เดือน"}).values["update_frequency_interval"] == "ทุก 3 เดือน"


def test_buddhist_era_dates_from_sheets(res: Normaliser) -> None:
    out = res.normalise({"resource_last_updated_date": "๒๕๖๖-๐๙-๓๐", "resource_created_date": "1/10/2560"})
    assert out.values["resource_last_updated_date"] == "2023-09-30"
    assert out.values["resource_created_date"] == "2017-10-01"
    assert out.notes == []


def test_gregorian_text_in_a_sheet_is_read_but_flagged(res: Normaliser) -> None:
    out = res.normalise({"resource_last_updated_date": "2023-06-30"})
    assert out.values["resource_last_updated_date"] == "2023-06-30"
    assert [(n.code, n.reason) for n in out.notes] == [("date_era", "ce_in_sheet")]


def test_excel_date_cells_are_gregorian(res: Normaliser) -> None:
    out = res.normalise({"resource_last_updated_date": dt.date(2023, 9, 30)})
    assert out.values["resource_last_updated_date"] == "2023-09-30"
    assert out.notes == []


def test_impossible_dates_stay_raw() -> None:
    assert parse_date("2566-02-30", origin="sheet") is None
    assert parse_date("31 มีนาคม 2565", origin="sheet").iso == "2022-03-31"
    assert parse_date("31 มี.ค. 65", origin="sheet").iso == "2022-03-31"


def test_ckan_values(ds: Normaliser) -> None:
    out = ds.normalise({"objective": '["พันธกิจหน่วยงาน", "มติคณะรัฐมนตรี"]',
                        "tag_string": [{"name": "ท่องเที่ยว"}, {"name": "สถิติ"}], "last_updated_date": "2566-01-01"},
                       origin="ckan")
    assert out.values["objective"] == ["พันธกิจหน่วยงาน", "มติคณะรัฐมนตรี"]
    assert out.values["tag_string"] == ["ท่องเที่ยว", "สถิติ"]
    assert out.values["last_updated_date"] == "2023-01-01"
    assert [n.reason for n in out.notes] == ["be_in_ckan"]


def test_caching_does_not_leak_between_records(ds: Normaliser) -> None:
    """Identical cells share one read-only list; it cannot be changed behind another record's back."""
    import copy
    import json

    first = ds.normalise({"data_format": "CSV, XLS"})
    with pytest.raises(TypeError):
        first.values["data_format"].append("PDF")
    with pytest.raises(TypeError):
        first.values["data_format"][0] = "PDF"
    second = ds.normalise({"data_format": "CSV, XLS"})
    assert second.values["data_format"] == ["CSV", "XLS"]
    own = list(second.values["data_format"]) + ["PDF"]
    assert own == ["CSV", "XLS", "PDF"] and second.values["data_format"] == ["CSV", "XLS"]
    assert json.dumps(second.values["data_format"]) == '["CSV", "XLS"]'
    assert type(copy.deepcopy(second.values["data_format"])) is list
