"""Template values → CKAN dicts: names derived from ids, fields only as given, comparisons."""
from __future__ import annotations

import json
import re

import pytest

from catalog_tools.ckan.mapping import comparable, derive_name, package_dict, resource_dict
from catalog_tools.ckan.scheming import build_scheming_schema, write_scheming_schema
from catalog_tools.schemas_api import schema_info

VALUES = {
    "id": "DataSet_11_01", "data_type": "ข้อมูลสถิติ", "title": "จำนวนนักท่องเที่ยวชาวต่างชาติรายจังหวัด",
    "owner_org": "กรมการท่องเที่ยว", "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
    "tag_string": ["ท่องเที่ยว", "สถิติ"], "notes": "จำนวนนักท่องเที่ยวจำแนกรายจังหวัด",
    "objective": ["พันธกิจหน่วยงาน", "อื่นๆ"], "objective_other": "แผนพัฒนาการท่องเที่ยวจังหวัด",
    "update_frequency_unit": "ปี", "update_frequency_interval": 1, "geo_coverage": "จังหวัด",
    "data_source": "รายงานสถิตินักท่องเที่ยว", "data_format": ["XLS", "CSV"], "data_category": "ข้อมูลสาธารณะ",
    "license_id": "Open Data Common", "last_updated_date": "2023-09-30",
}


@pytest.mark.parametrize("dataset_id, expected", [
    ("DataSet_11_01", "dataset_11_01"),
    ("ds-2566-001", "ds-2566-001"),
])
def test_name_from_plain_ids_is_the_lowercased_id(dataset_id, expected):
    assert derive_name(dataset_id) == expected


@pytest.mark.parametrize("dataset_id", ["ชุดข้อมูลที่ 1", "ชุดข้อมูลที่ 2", "A", "new", "x" * 120, "รายงาน/2566 (ฉบับ 1)"])
def test_derived_names_are_valid_ckan_names_and_distinct(dataset_id):
    name = derive_name(dataset_id)
    assert re.fullmatch(r"[a-z0-9_-]{2,70}", name), name
    assert name not in ("new", "edit", "search")
    assert derive_name(dataset_id) == name  # deterministic


def test_thai_ids_that_differ_only_in_thai_do_not_collide():
    assert derive_name("ชุดข้อมูลประชากร") != derive_name("ชุดข้อมูลการศึกษา")


def test_package_dict_top_level_holds_only_given_fields_as_ckan_shapes():
    pkg = package_dict(VALUES, owner_org="tourism")
    assert pkg["name"] == "dataset_11_01" and pkg["owner_org"] == "tourism"
    assert pkg["tags"] == [{"name": "ท่องเที่ยว"}, {"name": "สถิติ"}]
    assert pkg["objective"] == ["พันธกิจหน่วยงาน", "อื่นๆ"] and pkg["objective_other"] == "แผนพัฒนาการท่องเที่ยวจังหวัด"
    assert pkg["update_frequency_interval"] == "1"
    assert "id" not in pkg and "tag_string" not in pkg and "extras" not in pkg
    assert "data_classification" not in pkg  # not in the input → not sent (an update keeps the server's)


def test_package_dict_extras_mode_keeps_core_fields_top_level():
    pkg = package_dict(VALUES, owner_org="tourism", fields="extras")
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert pkg["title"] == VALUES["title"] and pkg["license_id"] == "Open Data Common"
    assert json.loads(extras["data_format"]) == ["XLS", "CSV"]
    assert extras["data_type"] == "ข้อมูลสถิติ" and "data_type" not in pkg


def test_resource_dict_drops_the_template_dataset_id():
    res = resource_dict({"dataset_id": "DataSet_11_01", "name": "ไฟล์ CSV", "url": "https://data.go.th/a.csv",
                         "format": "CSV", "resource_last_updated_date": "2023-09-30"})
    assert res == {"name": "ไฟล์ CSV", "url": "https://data.go.th/a.csv", "format": "CSV",
                   "resource_last_updated_date": "2023-09-30"}


def test_comparable_treats_ckan_shapes_alike():
    assert comparable(["XLS", "CSV"]) == comparable('["CSV", "XLS"]')
    assert comparable("") is None and comparable([]) is None
    assert comparable("csv", loose=True) == comparable("CSV", loose=True)
    assert comparable("ปี") != comparable("เดือน")


def test_scheming_schema_follows_our_json_schema(tmp_path):
    schema = build_scheming_schema("2.2")
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    info = schema_info("dataset", "2.2")
    for name in info.required:
        assert fields[name].get("required") is True, name
    assert [c["value"] for c in fields["geo_coverage"]["choices"]] == list(info.fields["geo_coverage"].choices)
    assert fields["geo_coverage"]["preset"] == "select"  # scheming_choices: the server enforces the list
    assert fields["objective"]["preset"] == "multiple_checkbox"
    assert fields["created_date"]["preset"] == "date"
    assert "email_validator" in fields["maintainer_email"]["validators"]
    assert fields["name"]["preset"] == "dataset_slug" and fields["owner_org"]["preset"] == "dataset_organization"
    assert fields["objective_other"]["label"]["th"].startswith("วัตถุประสงค์")
    assert "id" not in fields
    res = {f["field_name"]: f for f in schema["resource_fields"]}
    assert {"url", "name", "format", "resource_data_collect"} <= set(res)
    out = write_scheming_schema(tmp_path / "schema.yaml")
    import yaml
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == schema
    assert write_scheming_schema(tmp_path / "s.json").read_text(encoding="utf-8").startswith("{")
