"""The shipped JSON Schemas: valid 2020-12, verbatim allowed values, usable by plain jsonschema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from catalog_tools.schemas_api import STANDARDS, load_schema, schema_info

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "catalog_tools" / "schemas"

# Verbatim from the thai_gdc sources as recorded in the standard (L1–L8).
L3 = ["ไม่ทราบ", "ปี", "ครึ่งปี", "ไตรมาส", "เดือน", "สัปดาห์", "วัน", "วันทำการ", "ชั่วโมง", "นาที", "ตามเวลาจริง",
      "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "อื่นๆ"]
L4 = ["ไม่มี", "โลก", "ทวีป/กลุ่มประเทศในทวีป", "กลุ่มประเทศทางเศรษฐกิจ", "ประเทศ", "ภาค", "จังหวัด", "อำเภอ", "ตำบล",
      "หมู่บ้าน", "เทศบาล/อบต.", "พิกัด", "ไม่ทราบ", "อื่นๆ"]
L6_22 = ["ข้อมูลสาธารณะ", "ข้อมูลใช้ภายใน", "ข้อมูลส่วนบุคคล", "ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ"]
L6_20 = ["ข้อมูลสาธารณะ", "ข้อมูลส่วนบุคคล", "ข้อมูลความมั่นคง", "ข้อมูลความลับทางราชการ"]
L8_22 = ["Open Data Common", "Creative Commons Attributions", "Creative Commons Attribution Non-Commercial",
         "Creative Commons Attribution Share-Alike", "Creative Commons Attribution Non-Commercial Share-Alike",
         "Creative Commons Attribution Non-Commercial No-Derivs", "Creative Commons Attribution No-Derivs", "อื่นๆ"]
L8_20 = ["License not specified", "Creative Commons Attributions", "Creative Commons Attribution Share-Alike",
         "Creative Commons Non-Commercial (Any)", "Open Data Common", "GNU Free Documentation License", "อื่นๆ"]

FOURTEEN = ["data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
            "update_frequency_unit", "geo_coverage", "data_source", "data_format", "data_category", "license_id"]


@pytest.mark.parametrize("path", sorted(SCHEMA_DIR.glob("*.json")), ids=lambda p: p.name)
def test_schema_is_valid_against_the_2020_12_metaschema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("standard", STANDARDS)
def test_every_field_has_thai_and_english_title_and_description(standard: str) -> None:
    for kind in ("dataset", "resource"):
        for name, prop in load_schema(kind, standard)["properties"].items():
            assert prop.get("title") and prop.get("x-title-th"), name
            assert prop.get("description") and prop.get("x-description-th"), name


@pytest.mark.parametrize("standard", STANDARDS)
def test_fourteen_items_are_required_and_numbered(standard: str) -> None:
    info = schema_info("dataset", standard)
    assert list(info.required) == FOURTEEN
    assert "update_frequency_interval" not in info.required
    items = {info.fields[n].item_group for n in FOURTEEN} | {info.fields["update_frequency_interval"].item_group}
    assert items == {str(i) for i in range(1, 15)}
    assert info.fields["update_frequency_unit"].item == "9.1"
    assert info.fields["update_frequency_interval"].item == "9.2"


def test_allowed_values_are_verbatim_and_versioned() -> None:
    d22, d20 = load_schema("dataset", "2.2")["properties"], load_schema("dataset", "2.0")["properties"]
    assert d22["update_frequency_unit"]["enum"] == L3 == d20["update_frequency_unit"]["enum"]
    assert d22["geo_coverage"]["enum"] == L4
    assert d22["data_category"]["enum"] == L6_22
    assert d20["data_category"]["enum"] == L6_20
    assert d22["license_id"]["enum"] == L8_22
    assert d20["license_id"]["enum"] == L8_20
    assert "data_classification" in d22 and "data_classification" not in d20
    assert d22["data_format"]["items"]["enum"][10] == "XLS"
    assert d22["data_format"]["x-choice-labels"] == {"XLS": "XLS/XLSX"}


def test_interval_is_an_optional_positive_number() -> None:
    prop = load_schema()["properties"]["update_frequency_interval"]
    v = Draft202012Validator({"type": "object", "properties": {"x": prop}})
    assert v.is_valid({"x": 2})
    assert v.is_valid({"x": 0.5})
    assert not v.is_valid({"x": 0})
    assert not v.is_valid({"x": "ทุก 2 ปี"})
    assert v.is_valid({})


def _valid_dataset() -> dict:
    return {
        "data_type": "ข้อมูลสถิติ", "title": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", "owner_org": "กรมการท่องเที่ยว",
        "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th", "tag_string": ["ท่องเที่ยว", "สถิติ"],
        "notes": "จำนวนนักท่องเที่ยวชาวไทย จำแนกรายจังหวัด", "objective": ["พันธกิจหน่วยงาน"], "update_frequency_unit": "เดือน",
        "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว", "data_format": ["CSV", "XLS"],
        "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
    }


def test_schema_alone_enforces_the_other_rule_with_plain_jsonschema() -> None:
    """Any JSON Schema tool gets the same rules: here, plain jsonschema with no help from us."""
    v = Draft202012Validator(load_schema("dataset", "2.2"))
    good = _valid_dataset()
    assert list(v.iter_errors(good)) == []
    other = dict(good, geo_coverage="อื่นๆ")
    errors = list(v.iter_errors(other))
    assert [e.validator for e in errors] == ["required"] and "geo_coverage_other" in errors[0].message
    assert v.is_valid(dict(other, geo_coverage_other="เขตพัฒนาการท่องเที่ยวอันดามัน"))
    multi = dict(good, data_format=["CSV", "อื่นๆ"])
    assert not v.is_valid(multi)
    assert v.is_valid(dict(multi, data_format_other="SPSS"))
    data_type_other = dict(good, data_type="ข้อมูลประเภทอื่นๆ")
    assert not v.is_valid(data_type_other)


def test_schema_rejects_ckan_invalid_email_and_bad_choice() -> None:
    v = Draft202012Validator(load_schema())
    assert not v.is_valid(dict(_valid_dataset(), maintainer_email="plan(at)tourism.go.th"))
    assert not v.is_valid(dict(_valid_dataset(), maintainer_email="plan@tourism..go.th"))
    assert not v.is_valid(dict(_valid_dataset(), update_frequency_unit="รายปี"))
    assert not v.is_valid(dict(_valid_dataset(), objective=[]))


def test_resource_schema_requires_name_url_format() -> None:
    v = Draft202012Validator(load_schema("resource", "2.2"))
    res = {"dataset_id": "DataSet_11_01", "name": "ไฟล์ CSV", "url": "https://data.go.th/x.csv", "format": "CSV"}
    assert v.is_valid(res)
    assert not v.is_valid({k: x for k, x in res.items() if k != "url"})
    assert not v.is_valid(dict(res, url="data.go.th/x.csv"))
    # Impossible dates fail wherever the "format" keyword is asserted (as catalog-tools does).
    asserting = Draft202012Validator(load_schema("resource", "2.2"), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert not asserting.is_valid(dict(res, resource_created_date="2023-02-30"))
    assert asserting.is_valid(dict(res, resource_created_date="2023-02-28"))


def test_every_finding_code_is_documented() -> None:
    """docs/rules.md (generated from the registry; tests/acceptance/test_rules_cli.py keeps it current)."""
    from catalog_tools.rules import RULES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    missing = [code for code in RULES if f"## {code}\n" not in doc or f"`{RULES[code].th}`" not in doc]
    assert missing == []


def test_runner_falls_back_to_the_whole_schema_check_for_other_shapes() -> None:
    """A schema whose top level is more than type/required/properties still validates the same."""
    import dataclasses

    from catalog_tools.schema_check import SchemaRunner

    info = schema_info("dataset", "2.2")
    schema = dict(info.schema, minProperties=3)
    runner = SchemaRunner(dataclasses.replace(info, schema=schema, item_groups={}, _item_of={}))
    assert runner._props is None and runner._fast is not None
    assert runner.errors(_valid_dataset()) == []
    assert [e.validator for e in runner.errors(dict(_valid_dataset(), geo_coverage="ระดับลุ่มน้ำ"))] == ["enum"]
    assert {e.validator for e in runner.errors({"title": "x"})} == {"minProperties", "required"}
