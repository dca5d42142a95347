"""publish against a real CKAN 2.11 (scheming and extras configurations).

Each test works on its own organization and its own dataset ids (a suffix is added to the
fixture workbook's ids in a copy under tmp_path), so tests never see each other's data.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

pytest.importorskip("ckanapi")
openpyxl = pytest.importorskip("openpyxl")

pytestmark = pytest.mark.ckan



IDS = ("DataSet_11_01", "DataSet_11_02", "DataSet_11_03")


def workbook(examples: Path, tmp_path: Path, *, edits: dict[tuple[str, str], str] | None = None) -> tuple[Path, list[str]]:
    """A copy of tourism-template2-3.xlsx with unique dataset ids; ``edits`` = {(id, header prefix): value}."""
    suffix = uuid.uuid4().hex[:8]
    wb = openpyxl.load_workbook(examples / "tourism-template2-3.xlsx")
    for ws in wb:
        header = next((r for r in ws.iter_rows(min_row=1, max_row=4) if str(r[1].value or "").startswith(("1.", "2."))), None)
        for row in ws.iter_rows():
            value = row[0].value
            if isinstance(value, str) and value in IDS:
                for (ds, head), new in (edits or {}).items():
                    if ds == value and header is not None:
                        col = next(c.column - 1 for c in header if str(c.value or "").startswith(head))
                        row[col].value = new
                row[0].value = f"{value}_{suffix}"
    path = tmp_path / f"tourism-{suffix}.xlsx"
    wb.save(path)
    return path, [f"{i}_{suffix}" for i in IDS]


def names(ids: list[str]) -> list[str]:
    return [i.lower() for i in ids]


def publish(run_cli, server, path: Path, org: str, *extra: str):
    res = run_cli("publish", path, "--ckan", server.url, "--org", org, "--format", "json", *extra,
                  env={"CKAN_API_TOKEN": server.token})
    assert server.token not in res.stdout + res.stderr
    return res, json.loads(res.stdout) if res.stdout.strip().startswith("{") else None


def org_packages(server, org: str) -> list[dict]:
    return server.call("package_search", {"fq": f'organization:"{org}"', "rows": 100, "include_private": True})["results"]


def test_publish_dry_run_create_rerun_and_partial_update(ckan_server, org_s, run_cli, examples, tmp_path):
    import ckanapi

    org = org_s["name"]
    path, ids = workbook(examples, tmp_path)
    res, data = publish(run_cli, ckan_server, path, org, "--dry-run")
    assert res.exit_code == 0 and data["dry_run"] and data["created"] == ids
    for name in names(ids):
        with pytest.raises(ckanapi.NotFound):
            ckan_server.action("package_show", id=name)
    assert org_packages(ckan_server, org) == []

    log = tmp_path / "publish.jsonl"
    res, data = publish(run_cli, ckan_server, path, org, "--log", log)
    assert res.exit_code == 0, res.stdout
    assert data["created"] == ids and data["failed"] == data["skipped"] == []
    pkgs = {p["name"]: p for p in org_packages(ckan_server, org)}
    assert sorted(pkgs) == sorted(names(ids))
    first = ckan_server.action("package_show", id=names(ids)[0])
    assert [r["format"] for r in first["resources"]] == ["CSV", "XLSX"]
    assert first["resources"][0]["resource_last_updated_date"] == "2023-09-30"  # 2566 BE → 2023
    assert first["data_type"] == "ข้อมูลสถิติ" and first["license_id"] == "Open Data Common"
    assert {t["name"] for t in first["tags"]} >= {"ท่องเที่ยว", "นักท่องเที่ยว"}
    modified = {n: ckan_server.action("package_show", id=n)["metadata_modified"] for n in names(ids)}

    res, data = publish(run_cli, ckan_server, path, org)
    assert res.exit_code == 0 and data["unchanged"] == ids and data["created"] == data["updated"] == []
    res, data = publish(run_cli, ckan_server, path, org, "--dry-run")
    assert data["unchanged"] == ids
    assert {n: ckan_server.action("package_show", id=n)["metadata_modified"] for n in names(ids)} == modified

    # edits on the portal that the workbook does not know about must survive an update
    second = names(ids)[1]
    pkg = ckan_server.action("package_show", id=second)
    ckan_server.action("package_patch", id=pkg["id"], data_classification="เปิดเผย",
                       tags=pkg["tags"] + [{"name": "ข้อมูลเปิด"}])
    ckan_server.call("resource_create", {"package_id": pkg["id"], "name": "คู่มือการใช้ข้อมูล",
                                        "url": "https://catalog.tourism.go.th/guide.pdf", "format": "PDF"})
    new_notes = "รายได้จากการท่องเที่ยวรายจังหวัด ปรับปรุงคำอธิบาย ปี 2567"
    edited, _ = workbook(examples, tmp_path, edits={("DataSet_11_02", "7."): new_notes})
    edited = _same_ids(edited, ids)
    res, data = publish(run_cli, ckan_server, edited, org, "--log", log)
    assert res.exit_code == 0 and data["updated"] == [ids[1]] and data["unchanged"] == [ids[0], ids[2]]
    assert data["datasets"][1]["changed"] == ["notes"]
    after = ckan_server.action("package_show", id=second)
    assert after["notes"] == new_notes
    assert after["data_classification"] == "เปิดเผย" and "ข้อมูลเปิด" in {t["name"] for t in after["tags"]}
    assert [r["name"] for r in after["resources"]] == [r["name"] for r in pkg["resources"]] + ["คู่มือการใช้ข้อมูล"]
    assert after["objective"] == pkg["objective"] and after["data_format"] == pkg["data_format"]

    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    # each run's lines come as datasets finish (several workers): compare per run, by dataset
    assert [x["action"] for x in lines[:3]] == ["create"] * 3
    assert {x["dataset"]: x["action"] for x in lines[3:]} == {ids[0]: "unchanged", ids[1]: "update", ids[2]: "unchanged"}
    assert all(x["ok"] for x in lines) and ckan_server.token not in log.read_text(encoding="utf-8")


def _same_ids(path: Path, ids: list[str]) -> Path:
    """Rewrite the ids of an edited copy to the ids of the first copy (same datasets, new content)."""
    wb = openpyxl.load_workbook(path)
    by_base = {i.rsplit("_", 1)[0]: i for i in ids}
    for ws in wb:
        for row in ws.iter_rows():
            value = row[0].value
            if isinstance(value, str) and value.rsplit("_", 1)[0] in by_base and value not in ids:
                row[0].value = by_base[value.rsplit("_", 1)[0]]
    wb.save(path)
    return path


def test_dataset_ckan_rejects_is_reported_and_the_rest_goes_on(ckan_server, org_s, run_cli, examples, tmp_path):
    # '/' passes our keyword rule (2-100 characters) but CKAN's tag_name_validator refuses it
    path, ids = workbook(examples, tmp_path, edits={("DataSet_11_03", "6."): "ท่องเที่ยว, ที่พัก/โรงแรม"})
    res, data = publish(run_cli, ckan_server, path, org_s["name"])
    assert res.exit_code == 1
    assert data["failed"] == [ids[2]] and data["created"] == ids[:2]
    failed = data["datasets"][2]
    assert failed["findings"][0]["code"] == "ckan_rejected" and failed["findings"][0]["field"] == "tags"
    assert "ที่พัก/โรงแรม" in failed["findings"][0]["message"]
    assert sorted(p["name"] for p in org_packages(ckan_server, org_s["name"])) == names(ids[:2])


def test_stopping_ckan_mid_publish_then_rerun_finishes_without_duplicates(ckan_server, org_s, examples, tmp_path):
    from catalog_tools.ckan.client import RemoteClient
    from catalog_tools.ckan.publish import PublishOptions, publish_report
    from catalog_tools.validate import validate_paths

    path, ids = workbook(examples, tmp_path)
    report = validate_paths([str(path)])

    class StopsAfterFirstCreate(RemoteClient):
        def call_action(self, action, data_dict=None):
            out = super().call_action(action, data_dict)
            if action == "package_create":
                ckan_server.stop_ckan()
            return out

    client = StopsAfterFirstCreate(ckan_server.url, ckan_server.token, retries=1, backoff=0.1, timeout=10)
    try:
        first = publish_report(report, client, PublishOptions(org=org_s["name"]))
    finally:
        ckan_server.start_ckan()
        client.close()
    d = first.to_dict()
    assert first.exit_code == 2 and first.aborted
    assert d["created"] == [ids[0]] and d["failed"] == [ids[1]] and d["skipped"] == [ids[2]]

    client = RemoteClient(ckan_server.url, ckan_server.token)
    try:
        second = publish_report(report, client, PublishOptions(org=org_s["name"]))
    finally:
        client.close()
    d = second.to_dict()
    assert second.exit_code == 0 and d["unchanged"] == [ids[0]] and d["created"] == ids[1:]
    pkgs = org_packages(ckan_server, org_s["name"])
    assert sorted(p["name"] for p in pkgs) == names(ids)
    assert sorted(len(p["resources"]) for p in pkgs) == [1, 1, 2]


def test_extras_configuration_round_trip(ckan_server_extras, org_extras, run_cli, examples, tmp_path):
    server, org = ckan_server_extras, org_extras["name"]
    path, ids = workbook(examples, tmp_path)
    res, data = publish(run_cli, server, path, org)
    assert res.exit_code == 0 and data["fields"] == "extras" and data["created"] == ids
    pkg = server.action("package_show", id=names(ids)[1])
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert "data_type" not in pkg and extras["data_type"] == "ข้อมูลสถิติ"
    assert isinstance(json.loads(extras["objective"]), list)
    res, data = publish(run_cli, server, path, org)
    assert res.exit_code == 0 and data["unchanged"] == ids
    res = run_cli("audit", "--ckan", server.url, "--org", org, "--format", "json", env={"CKAN_API_TOKEN": server.token})
    audit = json.loads(res.stdout)
    assert sorted(d["id"] for d in audit["datasets"]) == names(ids)
    assert all(d["complete"] for d in audit["datasets"]), [d["failed_items"] for d in audit["datasets"]]


@pytest.mark.parametrize("server_fixture, org_fixture", [("ckan_server", "org_s"), ("ckan_server_extras", "org_extras")])
def test_a_dataset_scores_the_same_in_the_workbook_and_on_the_portal(server_fixture, org_fixture, request, run_cli,
                                                                     examples, tmp_path):
    """The project's promise: one rule set. Publish, audit, and compare with the workbook's own result."""
    server, org = request.getfixturevalue(server_fixture), request.getfixturevalue(org_fixture)["name"]
    path, ids = workbook(examples, tmp_path)
    res, _ = publish(run_cli, server, path, org)
    assert res.exit_code == 0, res.stdout
    local = json.loads(run_cli("score", path, "--fy", "2565", "--catalog-url", server.url, "--format", "json").stdout)
    sheet = json.loads(run_cli("validate", path, "--format", "json").stdout)
    res = run_cli("audit", "--ckan", server.url, "--org", org, "--fy", "2565", "--format", "json",
                  env={"CKAN_API_TOKEN": server.token})
    portal = json.loads(res.stdout)
    on_sheet = {d["id"].lower(): d for d in sheet["datasets"]}
    on_portal = {d["id"]: d for d in portal["datasets"]}
    assert sorted(on_portal) == sorted(on_sheet)
    fourteen = ["data_type", "title", "owner_org", "maintainer", "maintainer_email", "tag_string", "notes", "objective",
                "update_frequency_unit", "update_frequency_interval", "geo_coverage", "data_source", "data_format",
                "data_category", "license_id"]
    for name, d in on_sheet.items():
        p = on_portal[name]
        assert (p["complete"], p["items_complete"]) == (d["complete"], d["items_complete"])
        for key in fourteen:
            if key == "owner_org":
                continue  # the sheet's organisation text vs the test organisation's title on the portal
            mine, theirs = d["metadata"].get(key), p["metadata"].get(key)
            assert (sorted(mine) if isinstance(mine, list) else mine) == \
                   (sorted(theirs) if isinstance(theirs, list) else theirs), (name, key)
        assert sorted((r["url"], r["metadata"]["format"]) for r in p["resources"]) == \
               sorted((r["url"], r["metadata"]["format"]) for r in d["resources"])
        assert [f["code"] for f in p["findings"] if f["severity"] == "error"] == []
    items = {i["key"]: i for i in portal["score"]["items"]}
    for item in local["items"]:
        assert items[item["key"]]["points"] == item["points"], item["key"]
    assert {d["dataset"]: (d["level"], d["criteria"]) for d in portal["score"]["open_format"]} == \
           {d["dataset"].lower(): (d["level"], d["criteria"]) for d in local["open_format"]}
    assert portal["score"]["total"] == local["total"]
