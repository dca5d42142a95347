"""Publishing against the fake CKAN: plan, dry run, idempotence, partial updates, failures, resume."""
from __future__ import annotations

import json

import pytest

from catalog_tools.ckan.client import CkanTransientError, CkanUnreachable
from tests.fake_ckan import FakeCkan
from catalog_tools.ckan.publish import PublishOptions, publish_report
from catalog_tools.validate import validate_paths

pytestmark = pytest.mark.usefixtures("no_network")


@pytest.fixture
def clean(examples):
    """Three complete datasets (DataSet_11_01..03) with four resources."""
    return validate_paths([str(examples / "tourism-template2-3.xlsx")])


@pytest.fixture
def messy(examples):
    return validate_paths([str(examples / "tourism-messy.xlsx")])


def _fake(mode="top-level"):
    fake = FakeCkan(mode=mode)
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    return fake


def _run(report, fake, **kw):
    return publish_report(report, fake, PublishOptions(fields=kw.pop("fields", fake.mode), **kw))


def test_dry_run_plans_and_writes_nothing(clean):
    fake = _fake()
    result = _run(clean, fake, dry_run=True)
    assert result.to_dict()["created"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert fake.writes == [] and fake.packages == {}
    assert {a for a, _ in fake.calls} <= {"organization_list", "package_search", "package_show"}


def test_real_run_creates_complete_datasets_with_resources_then_rerun_is_unchanged(clean):
    fake = _fake()
    first = _run(clean, fake)
    assert first.exit_code == 0 and first.to_dict()["created"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    names = sorted(p["name"] for p in fake.packages.values())
    assert names == ["dataset_11_01", "dataset_11_02", "dataset_11_03"]
    assert sum(len(p["resources"]) for p in fake.packages.values()) == 4
    writes = len(fake.writes)
    second = _run(clean, fake)
    assert second.to_dict()["unchanged"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert len(fake.writes) == writes  # nothing written the second time


def test_incomplete_datasets_are_skipped_with_their_findings(messy):
    fake = _fake()
    result = _run(messy, fake)
    d = result.to_dict()
    assert d["created"] == ["DataSet_11_01"]
    assert "DataSet_11_03" in d["skipped"] and result.exit_code == 1
    skipped = {o.id: o for o in result.outcomes if o.action == "skip"}
    assert "14" in skipped["DataSet_11_03"].reason and skipped["DataSet_11_03"].findings
    assert {f.code for f in skipped["DataSet_11_03"].findings} >= {"required"}
    assert [p["name"] for p in fake.packages.values()] == ["dataset_11_01"]


def test_update_patches_only_the_changed_field_and_keeps_server_side_additions(clean):
    fake = _fake()
    _run(clean, fake)
    pkg = next(p for p in fake.packages.values() if p["name"] == "dataset_11_02")
    # somebody edits on the portal: a field the workbook does not have, a tag, a resource
    fake.call_action("package_patch", {"id": pkg["id"], "data_classification": "เปิดเผย",
                                       "tags": pkg["tags"] + [{"name": "ข้อมูลเปิด"}]})
    fake.call_action("resource_create", {"package_id": pkg["id"], "name": "คู่มือ", "url": "https://tourism.go.th/guide.pdf",
                                         "format": "PDF"})
    clean.datasets[1].values["notes"] = "ปรับปรุงคำอธิบาย: รายได้จากนักท่องเที่ยวต่างชาติ จำแนกรายเดือน"
    fake.calls.clear()
    result = _run(clean, fake)
    assert result.to_dict()["updated"] == ["DataSet_11_02"]
    assert result.to_dict()["unchanged"] == ["DataSet_11_01", "DataSet_11_03"]
    assert fake.writes == [("package_patch", {"id": pkg["id"], "notes": clean.datasets[1].values["notes"]})]
    after = fake.call_action("package_show", {"id": "dataset_11_02"})
    assert after["data_classification"] == "เปิดเผย"
    assert "ข้อมูลเปิด" in [t["name"] for t in after["tags"]]
    assert [r["name"] for r in after["resources"]][-1] == "คู่มือ" and len(after["resources"]) == 2


def test_new_and_changed_resources_are_sent_one_by_one(clean):
    fake = _fake()
    _run(clean, fake)
    ds = clean.datasets[0]
    ds.resources[0].values["description"] = "ข้อมูลรายจังหวัด ปรับปรุงล่าสุด"
    extra = type(ds.resources[0])(name="ไฟล์ JSON", url="https://catalog.tourism.go.th/api/foreign.json",
                                  source=ds.source, values={"name": "ไฟล์ JSON", "format": "JSON",
                                                            "url": "https://catalog.tourism.go.th/api/foreign.json"})
    ds.resources.append(extra)
    fake.calls.clear()
    _run(clean, fake)
    actions = [a for a, _ in fake.writes]
    assert actions == ["resource_patch", "resource_create"]
    assert fake.writes[0][1] == {"id": fake.writes[0][1]["id"], "description": "ข้อมูลรายจังหวัด ปรับปรุงล่าสุด"}
    pkg = fake.call_action("package_show", {"id": "dataset_11_01"})
    assert len(pkg["resources"]) == 3


def test_tags_are_added_as_a_union(clean):
    fake = _fake()
    _run(clean, fake)
    clean.datasets[0].values["tag_string"] = list(clean.datasets[0].values["tag_string"]) + ["นักท่องเที่ยวต่างชาติ"]
    fake.calls.clear()
    _run(clean, fake)
    (action, data), = fake.writes
    assert action == "package_patch" and set(data) == {"id", "tags"}
    assert [t["name"] for t in data["tags"]][-1] == "นักท่องเที่ยวต่างชาติ"


def test_rejected_dataset_becomes_findings_and_the_run_goes_on(clean):
    def no_pdf_in_title(pkg):
        return {"title": ["That title is already in use."]} if pkg["name"] == "dataset_11_02" else None

    fake = _fake()
    fake.validator = no_pdf_in_title
    result = _run(clean, fake)
    d = result.to_dict()
    assert d["failed"] == ["DataSet_11_02"] and d["created"] == ["DataSet_11_01", "DataSet_11_03"]
    failed = next(o for o in result.outcomes if o.action == "fail")
    assert failed.findings[0].code == "ckan_rejected" and failed.findings[0].field == "title"
    assert "already in use" in failed.findings[0].message and failed.findings[0].message_th.startswith("CKAN ไม่รับ")
    assert result.exit_code == 1


def test_unreachable_server_stops_the_run_and_a_rerun_finishes_without_duplicates(clean, tmp_path):
    fake = _fake()
    # the first dataset goes through, the second look-up finds the server gone
    calls = {"n": 0}
    real = fake.call_action

    def flaky(action, data=None):
        if action == "package_show":
            calls["n"] += 1
            if calls["n"] == 2:
                raise CkanUnreachable("package_show: cannot reach http://ckan (connection refused)")
        return real(action, data)

    fake.call_action = flaky  # type: ignore[method-assign]
    log = tmp_path / "publish.jsonl"
    first = publish_report(clean, fake, PublishOptions(fields="top-level", log_path=log, batch_lookup=False))
    assert first.exit_code == 2 and first.aborted
    d = first.to_dict()
    assert d["created"] == ["DataSet_11_01"] and d["failed"] == ["DataSet_11_02"] and d["skipped"] == ["DataSet_11_03"]
    second = publish_report(clean, fake, PublishOptions(fields="top-level", log_path=log))
    d2 = second.to_dict()
    assert d2["unchanged"] == ["DataSet_11_01"] and d2["created"] == ["DataSet_11_02", "DataSet_11_03"]
    assert sorted(p["name"] for p in fake.packages.values()) == ["dataset_11_01", "dataset_11_02", "dataset_11_03"]
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 6 and {"time", "dataset", "name", "action", "ok", "error"} <= set(lines[0])
    assert [x["action"] for x in lines[:3]] == ["create", "fail", "skip"]


def test_create_that_timed_out_but_happened_is_found_not_duplicated(clean):
    fake = _fake()
    real = fake.call_action
    state = {"done": False}

    def lost_answer(action, data=None):
        if action == "package_create" and not state["done"]:
            state["done"] = True
            real(action, data)  # the server did it …
            lost = CkanTransientError("package_create: no complete answer within 30s")  # … but the answer was lost
            lost.maybe_done = True
            raise lost
        return real(action, data)

    fake.call_action = lost_answer  # type: ignore[method-assign]
    first = publish_report(clean, fake, PublishOptions(fields="top-level"))
    assert first.to_dict()["created"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert "answer was lost" in first.outcomes[0].note
    assert [a for a, _ in fake.calls].count("package_create") == 3  # looked up, not sent again
    second = publish_report(clean, fake, PublishOptions(fields="top-level"))
    assert second.to_dict()["unchanged"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert len([p for p in fake.packages.values() if p["name"] == "dataset_11_01"]) == 1


def test_name_taken_at_create_time_is_replanned_as_update(clean):
    fake = _fake()
    real = fake.call_action
    state = {"first": True}

    def race(action, data=None):
        if action == "package_show" and state["first"]:
            state["first"] = False
            from catalog_tools.ckan.client import CkanNotFound
            raise CkanNotFound("not yet")  # another run creates it between look-up and create
        return real(action, data)

    _run(clean, fake)  # everything exists already
    fake.call_action = race  # type: ignore[method-assign]
    result = publish_report(clean, fake, PublishOptions(fields="top-level"))
    assert result.to_dict()["unchanged"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert len(fake.packages) == 3


def test_ctrl_c_gives_a_partial_summary(clean):
    fake = _fake()
    real = fake.call_action

    def interrupt(action, data=None):
        if action == "package_create" and data["name"] == "dataset_11_02":
            raise KeyboardInterrupt
        return real(action, data)

    fake.call_action = interrupt  # type: ignore[method-assign]
    result = publish_report(clean, fake, PublishOptions(fields="top-level"))
    d = result.to_dict()
    assert result.interrupted and d["created"] == ["DataSet_11_01"] and d["skipped"] == ["DataSet_11_03"]
    assert result.exit_code == 1


def test_organization_is_matched_by_title_or_reported(clean):
    fake = FakeCkan()
    fake.add_org("other-dept", "กรมอื่น")
    result = _run(clean, fake)
    assert result.to_dict()["failed"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert "กรมการท่องเที่ยว" in result.outcomes[0].reason and "--org" in result.outcomes[0].reason
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    assert _run(clean, fake).to_dict()["created"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert {p["organization"]["name"] for p in fake.packages.values()} == {"tourism"}


def test_extras_mode_round_trip_and_server_extras_kept(clean):
    fake = _fake("extras")
    _run(clean, fake)
    pkg = next(iter(fake.packages.values()))
    assert "data_type" not in pkg and any(e["key"] == "data_type" for e in pkg["extras"])
    fake.call_action("package_patch", {"id": pkg["id"], "extras": pkg["extras"] + [{"key": "reference_url_catalog",
                                                                                   "value": "https://gdcatalog.go.th"}]})
    assert _run(clean, fake).to_dict()["unchanged"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    clean.datasets[0].values["geo_coverage"] = "อำเภอ"
    fake.calls.clear()
    _run(clean, fake)
    (action, data), = fake.writes
    extras = {e["key"]: e["value"] for e in data["extras"]}
    assert extras["geo_coverage"] == "อำเภอ" and extras["reference_url_catalog"] == "https://gdcatalog.go.th"


def test_auto_detects_scheming(clean):
    fake = FakeCkan(scheming_fields=["title", "data_type", "objective"])
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    result = publish_report(clean, fake, PublishOptions())
    assert result.fields == "top-level"
    pkg = fake.call_action("package_show", {"id": "dataset_11_01"})
    assert "data_type" in pkg
    assert any(e["key"] == "geo_coverage" for e in pkg.get("extras", []))  # unknown to the server's schema
    plain = _fake()
    assert publish_report(clean, plain, PublishOptions(dry_run=True)).fields == "extras"


def test_a_dataset_of_another_organization_is_never_taken_over(clean):
    fake = _fake()
    fake.add_org("sports", "กรมพลศึกษา")
    _run(clean, fake, org="sports")
    fake.calls.clear()
    result = _run(clean, fake, org="tourism")
    assert result.to_dict()["failed"] == ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03"]
    assert "sports" in result.outcomes[0].reason and fake.writes == []


def test_a_name_taken_by_another_organization_at_create_time_is_not_taken_over(clean):
    fake = _fake()
    fake.add_org("sports", "กรมพลศึกษา")
    fake.call_action("package_create", {"name": "dataset_11_01", "title": "สนามกีฬาจังหวัด", "owner_org": "sports"})
    real = fake.call_action
    state = {"first": True}

    def race(action, data=None):
        if action == "package_show" and state["first"]:
            state["first"] = False
            from catalog_tools.ckan.client import CkanNotFound
            raise CkanNotFound("not yet")  # the other agency's dataset appears between look-up and create
        return real(action, data)

    fake.call_action = race  # type: ignore[method-assign]
    result = publish_report(clean, fake, PublishOptions(fields="top-level", batch_lookup=False))
    first = result.outcomes[0]
    assert first.action == "fail" and "not taken over" in first.reason and first.reason_th.startswith("ชื่อ")
    theirs = next(p for p in fake.packages.values() if p["name"] == "dataset_11_01")
    assert theirs["title"] == "สนามกีฬาจังหวัด" and theirs["organization"]["name"] == "sports"
    assert [a for a, d in fake.calls if a == "package_patch"] == []


@pytest.mark.parametrize("workers", [1, 3])
def test_a_deleted_dataset_the_search_cannot_see_still_blocks_its_name(clean, workers):
    fake = _fake()
    _run(clean, fake)
    gone = next(p for p in fake.packages.values() if p["name"] == "dataset_11_02")
    fake.call_action("package_delete", {"id": gone["id"]})
    fake.calls.clear()
    result = publish_report(clean, fake, PublishOptions(fields="top-level", workers=workers))
    assert [o.action for o in result.outcomes] == ["unchanged", "fail", "unchanged"]
    assert "deleted" in result.outcomes[1].reason and "dataset_11_02" in result.outcomes[1].reason
    # the two active ones came from one batch search, no package_show; the deleted one was looked up
    assert [a for a, _ in fake.calls].count("package_search") == 1
    assert [d["id"] for a, d in fake.calls if a == "package_show"] == ["dataset_11_02"]
