"""Smoke tests of the real-CKAN test infrastructure (CKAN 2.11 + Solr stand-in).

They check the server the other integration tests rely on: Thai tags are accepted (the
thai_tags plugin), search answers with the right datasets (fq, paging, delete), and both
configurations behave as a catalog would: scheming (custom fields top level, required ones
enforced) and plain CKAN (custom fields as extras).
"""
from __future__ import annotations

import json

import pytest

ckanapi = pytest.importorskip("ckanapi")

pytestmark = pytest.mark.ckan

THAI_TAGS = ["สถิติ", "รัฐบาลดิจิทัล"]
CORE_FIELDS = {
    "title", "name", "notes", "tag_string", "tags", "license_id", "owner_org", "url", "version",
    "author", "author_email", "maintainer", "maintainer_email", "private", "state", "type",
    "groups", "extras", "resources", "id",
}


def _search_names(server, **params) -> tuple[int, list[str]]:
    res = server.call("package_search", params)
    return res["count"], [d["name"] for d in res["results"]]


@pytest.mark.parametrize("which", ["ckan_server", "ckan_server_extras"])
def test_thai_tags_show_and_search(which, request):
    server = request.getfixturevalue(which)
    org = server.create_org("thai-tags")
    name = server.unique_name("thai")
    created = server.create_dataset(org["id"], name=name, title="ข้อมูลสถิติ ทดสอบ",
                                    notes="ชุดข้อมูลสำหรับทดสอบ",
                                    tags=[{"name": t} for t in THAI_TAGS])
    assert sorted(t["name"] for t in created["tags"]) == sorted(THAI_TAGS)

    shown = server.action("package_show", id=name)
    assert shown["title"] == "ข้อมูลสถิติ ทดสอบ"
    assert sorted(t["name"] for t in shown["tags"]) == sorted(THAI_TAGS)
    assert shown["organization"]["name"] == org["name"]

    count, found = _search_names(server, fq=f"organization:{org['name']}")
    assert (count, found) == (1, [name])
    count, found = _search_names(server, q="tags:สถิติ", fq=f"organization:{org['name']}")
    assert found == [name]
    count, found = _search_names(server, q="รัฐบาลดิจิทัล", fq=f"organization:{org['name']}")
    assert found == [name]
    facets = server.call("package_search", {"fq": f"organization:{org['name']}",
                                            "facet.field": json.dumps(["tags"]), "rows": 0})
    assert facets["facets"]["tags"] == {t: 1 for t in THAI_TAGS}


def test_thai_tag_string_is_accepted(ckan_server, ckan_org):
    name = ckan_server.unique_name("tagstring")
    created = ckan_server.create_dataset(ckan_org["id"], name=name, tag_string=",".join(THAI_TAGS))
    assert sorted(t["name"] for t in created["tags"]) == sorted(THAI_TAGS)


def test_paging_and_delete(ckan_server, ckan_org):
    org = ckan_org["name"]
    names = sorted(ckan_server.unique_name(f"page-{i:02d}") for i in range(25))
    for n in names:
        ckan_server.create_dataset(ckan_org["id"], name=n, title=n)

    pages = []
    for start in (0, 10, 20):
        count, found = _search_names(ckan_server, fq=f"organization:{org}", sort="name asc",
                                     rows=10, start=start)
        assert count == 25
        pages.append(found)
    assert [len(p) for p in pages] == [10, 10, 5]
    assert [n for p in pages for n in p] == names

    count, found = _search_names(ckan_server, fq=f"organization:{org}", sort="name desc", rows=3)
    assert found == names[::-1][:3]

    ckan_server.action("package_delete", id=names[0])
    count, found = _search_names(ckan_server, fq=f"organization:{org}", sort="name asc", rows=100)
    assert count == 24 and found == names[1:]
    with pytest.raises(ckanapi.NotFound):
        ckan_server.action("package_show", id=ckan_server.unique_name("missing"))


def test_bad_sort_is_a_validation_error(ckan_server):
    with pytest.raises(ckanapi.SearchQueryError):
        ckan_server.action("package_search", sort="name")


def test_scheming_is_active_and_requires_its_fields(ckan_server, ckan_org):
    assert ckan_server.scheming
    status = ckan_server.action("status_show")
    assert "scheming_datasets" in status["extensions"] and "thai_tags" in status["extensions"]
    schema = ckan_server.action("scheming_dataset_schema_show", type="dataset")
    required = [f["field_name"] for f in schema["dataset_fields"]
                if f.get("required") and f["field_name"] not in CORE_FIELDS]
    if not required:
        pytest.skip(f"the dataset schema ({ckan_server.schema_source}) has no required custom "
                    "field (the core-only fallback schema is in use)")
    # a dataset with every required field is accepted; custom fields are top level and
    # searchable as exact strings
    selects = [f for f in schema["dataset_fields"] if f.get("preset") == "select"
               and len(f.get("choices") or []) > 1 and f["field_name"] not in CORE_FIELDS]
    extra = {selects[0]["field_name"]: selects[0]["choices"][1]["value"]} if selects else {}
    created = ckan_server.create_dataset(ckan_org["id"], **extra)
    shown = ckan_server.action("package_show", id=created["id"])
    for key, value in extra.items():
        assert shown[key] == value
        found = _search_names(ckan_server, fq=f'organization:{ckan_org["name"]} +{key}:"{value}"')
        assert found == (1, [created["name"]])
    # ... and one missing a required custom field is refused, naming the field
    for missing in required[:3]:
        data = ckan_server.minimal_dataset(ckan_org["id"])
        del data[missing]
        with pytest.raises(ckanapi.ValidationError) as err:
            ckan_server.action("package_create", **data)
        assert set(err.value.error_dict) - {"__type"} == {missing}, err.value.error_dict


def test_extras_configuration_keeps_custom_fields_as_extras(ckan_server_extras, ckan_org_extras):
    server = ckan_server_extras
    assert not server.scheming
    assert "scheming_datasets" not in server.action("status_show")["extensions"]
    name = server.unique_name("extras")
    server.action("package_create", name=name, owner_org=ckan_org_extras["id"],
                  extras=[{"key": "data_type", "value": "survey"},
                          {"key": "objective", "value": "วัดคุณภาพน้ำ"}])
    shown = server.action("package_show", id=name)
    assert {e["key"]: e["value"] for e in shown["extras"]} == {"data_type": "survey",
                                                               "objective": "วัดคุณภาพน้ำ"}
    assert "data_type" not in shown
    org = ckan_org_extras["name"]
    assert _search_names(server, fq=f"organization:{org} +data_type:survey")[1] == [name]
    assert _search_names(server, fq=f"organization:{org} +extras_data_type:survey")[1] == [name]
    assert _search_names(server, fq=f"organization:{org} +data_type:census")[0] == 0


def test_stop_and_start_web_process_keeps_data(ckan_server, ckan_org):
    name = ckan_server.unique_name("restart")
    ckan_server.create_dataset(ckan_org["id"], name=name)
    ckan_server.stop_ckan()
    try:
        with pytest.raises(Exception):
            ckan_server.action("status_show")
    finally:
        ckan_server.start_ckan()
    assert ckan_server.action("package_show", id=name)["name"] == name
    assert _search_names(ckan_server, fq=f"organization:{ckan_org['name']}")[1] == [name]
