"""audit against a real CKAN: a bad dataset made directly through the API is found and scored."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("ckanapi")

pytestmark = pytest.mark.ckan



GOOD = {
    "title": "จำนวนผู้ใช้บริการห้องสมุดประชาชน", "data_type": "ข้อมูลสถิติ", "maintainer": "กองส่งเสริมการเรียนรู้",
    "maintainer_email": "library@dla.go.th", "notes": "จำนวนผู้ใช้บริการห้องสมุดประชาชนรายเดือน จำแนกรายจังหวัด",
    "objective": ["พันธกิจหน่วยงาน"], "update_frequency_unit": "เดือน", "update_frequency_interval": "1",
    "geo_coverage": "จังหวัด", "data_source": "ระบบรายงานห้องสมุดประชาชน", "data_format": ["CSV"],
    "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common", "tags": [{"name": "ห้องสมุด"}],
    "resources": [{"name": "ผู้ใช้บริการ 2566", "url": "https://data.dla.go.th/library-2566.csv", "format": "CSV",
                   "description": "รายเดือน", "resource_accessible_condition": "ไม่มีเงื่อนไข",
                   "resource_created_date": "2023-01-01", "resource_last_updated_date": "2023-09-30",
                   "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"}],
}


def test_audit_finds_a_bad_dataset_created_through_the_api(ckan_server, org_s, run_cli):
    org = org_s["name"]
    good = ckan_server.unique_name("library")
    bad = ckan_server.unique_name("museum")
    ckan_server.call("package_create", dict(GOOD, name=good, owner_org=org))
    # accepted by the server (keywords are optional there), but item 6 is missing and the file is a scan
    ckan_server.call("package_create", dict(
        GOOD, name=bad, owner_org=org, private=True, title="รายชื่อพิพิธภัณฑ์ท้องถิ่น", tags=[],
        resources=[{"name": "รายชื่อ (ภาพสแกน)", "url": "https://data.dla.go.th/museum.jpg", "format": "JPG"}]))
    res = run_cli("audit", "--ckan", ckan_server.url, "--org", org, "--fy", "2565", "--format", "json",
                  "--page-size", "1", env={"CKAN_API_TOKEN": ckan_server.token})
    assert res.exit_code == 1, res.stderr
    data = json.loads(res.stdout)
    by_id = {d["id"]: d for d in data["datasets"]}
    assert set(by_id) == {good, bad}  # paging with one per page, private included
    assert by_id[good]["complete"] and not by_id[bad]["complete"]
    assert by_id[bad]["failed_items"] == ["6"]
    codes = {f["code"] for r in by_id[bad]["resources"] for f in r["findings"]}
    assert "format_not_open" in codes
    assert data["audit"]["pages"] >= 2 and data["audit"]["private_included"] is True
    (row,) = data["organizations"]
    assert row["name"] == org and row["datasets"] == 2 and row["complete"] == 1 and row["private"] == 1
    assert data["score"]["fy"] == 2565 and "total" in data["score"]

    anonymous = run_cli("audit", "--ckan", ckan_server.url, "--org", org, "--format", "json", env={"CKAN_API_TOKEN": ""})
    assert [d["id"] for d in json.loads(anonymous.stdout)["datasets"]] == [good]


def test_server_enforces_the_choice_lists_the_validator_checks(ckan_server, org_s):
    """The scheming schema is generated from schemas/: a value the validator refuses, CKAN refuses too."""
    import ckanapi

    if not ckan_server.scheming or ckan_server.schema_source == "fallback":
        pytest.skip("server does not run the generated scheming schema")
    with pytest.raises(ckanapi.ValidationError) as info:
        ckan_server.call("package_create", dict(GOOD, name=ckan_server.unique_name("geo"), owner_org=org_s["name"],
                                                geo_coverage="ทั้งประเทศ", objective=["เพื่อรายงานผู้บริหาร"]))
    assert {"geo_coverage", "objective"} <= set(info.value.error_dict)


@pytest.mark.parametrize("interval, accepted", [("ทุก 3 เดือน", False), ("0", False), ("-1", False), ("0.5", True), ("2", True)])
def test_server_and_validator_agree_on_the_update_interval(ckan_server, org_s, interval, accepted):
    """9.2 is an optional positive number in the schema; the test CKAN applies the same rule."""
    import ckanapi

    from catalog_tools.loaders.ckan_json import package_records
    from catalog_tools.validate import validate_records

    if not ckan_server.scheming or ckan_server.schema_source == "fallback":
        pytest.skip("server does not run the generated scheming schema")
    pkg = dict(GOOD, name="library-users", organization={"name": "dla", "title": "กรมส่งเสริมการปกครองท้องถิ่น"},
               update_frequency_interval=interval)
    ours = validate_records(list(package_records(pkg, "memory")))
    assert ours.datasets[0].complete is accepted
    data = dict(GOOD, name=ckan_server.unique_name("interval"), owner_org=org_s["name"], update_frequency_interval=interval)
    if accepted:
        assert ckan_server.call("package_create", data)["update_frequency_interval"] == interval
    else:
        with pytest.raises(ckanapi.ValidationError) as info:
            ckan_server.call("package_create", data)
        assert "update_frequency_interval" in info.value.error_dict
