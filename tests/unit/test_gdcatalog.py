"""GD Catalog registration from evidence: the harvester's state action (a real local server),
offline exports, precedence, and what scoring does with it."""
from __future__ import annotations

import json

import pytest

from catalog_tools.ckan.client import RemoteClient
from catalog_tools.gdcatalog import (ExportIndex, GdExportError, Subject, apply_gd_catalog, catalog_state, harvester_state,
                                   load_export)
from catalog_tools.model import DatasetResult, Report, Source
from catalog_tools.scoring import score_report
from tests.gd.harvester import Harvester

PUBLIC = "ข้อมูลสาธารณะ"
SITE = "https://catalog.tourism.go.th"


def _ds(ds_id: str, title: str, category: str = PUBLIC, **ckan) -> DatasetResult:
    values = {"data_category": category, "title": title}
    return DatasetResult(ds_id, title, Source("กรมการท่องเที่ยว.xlsx", "Template 2", 7), True, 14, 14, values=values,
                         organization="กรมการท่องเที่ยว", ckan=ckan or None)


def _subject(name: str = "tourism-stat-2565", title: str = "สถิตินักท่องเที่ยว") -> Subject:
    return Subject(name, name, title, "กรมการท่องเที่ยว", "0b6c0d4e-1111-4a2b-9c3d-5e6f7a8b9c0d")


def test_harvester_published_and_governance_states():
    records = {
        "0b6c0d4e-1111-4a2b-9c3d-5e6f7a8b9c0d": {"name": "tourism-stat-2565", "metadata_modified": "2026-02-01T08:00:00"},
        "hotel-list": {"name": "hotel-list", "metadata_modified": "", "governance_state": "REJECT",
                       "validate_time": "2026-03-04T10:00:00"},
        "guide-list": {"name": "guide-list", "metadata_modified": None, "governance_state": "WAIT"},
    }
    with Harvester(records) as hv:
        client = RemoteClient(hv.url, retries=0, timeout=5)
        st = harvester_state(client, SITE, _subject())
        assert (st.state, st.source, st.gd_name) == ("registered", "harvester", "gdpublish-tourism-stat-2565")
        rej = harvester_state(client, SITE, Subject("hotel-list", "hotel-list", "รายชื่อโรงแรม", None))
        assert (rej.state, rej.detail) == ("REJECT", "2026-03-04T10:00:00")
        assert rej.to_dict()["label"] == {"th": "ไม่ผ่านเกณฑ์", "en": "rejected"}
        assert harvester_state(client, SITE, Subject("guide-list", "guide-list", None, None)).state == "WAIT"
        assert harvester_state(client, SITE, Subject("new-one", "new-one", None, None)).state == "not_registered"
        # what the harvester was asked: the agency site and the package id (thai_gdc's own call;
        # CKAN serves /api/action/ and /api/3/action/ alike)
        assert hv.calls[0] == {"path": "/api/action/gdcatalog_published_state", "site_url": SITE,
                               "package": "0b6c0d4e-1111-4a2b-9c3d-5e6f7a8b9c0d"}


@pytest.mark.parametrize("mode", ["502", "html", "slow"])
def test_harvester_faults_give_unknown_never_a_crash(mode):
    with Harvester({}, mode=mode, delay=2.0) as hv:
        client = RemoteClient(hv.url, retries=0, timeout=0.5)
        st = harvester_state(client, SITE, _subject())
    assert st.state == "unknown" and st.source == "harvester" and st.detail


def test_harvester_or_gd_catalog_unreachable_is_unknown():
    client = RemoteClient("http://127.0.0.1:9", retries=0, timeout=0.5)
    assert harvester_state(client, SITE, _subject()).state == "unknown"
    assert catalog_state(client, _subject()).to_dict()["state"] == "unknown"


def test_export_package_search_json_and_title_fallback(tmp_path):
    export = tmp_path / "gd-export.json"
    export.write_text(json.dumps({"success": True, "result": {"count": 2, "results": [
        {"name": "gdpublish-tourism-stat-2565", "title": "สถิตินักท่องเที่ยว", "organization": {"name": "dot", "title": "กรมการท่องเที่ยว"}},
        {"name": "gdpublish-old-name", "title": "รายชื่อโรงแรมที่ได้รับอนุญาต", "organization": {"name": "dot", "title": "กรมการท่องเที่ยว"}},
        {"name": "gdpublish-x", "title": "ข้อมูลมัคคุเทศก์", "organization": {"name": "other", "title": "กรมอื่น"}},
    ]}}, ensure_ascii=False), encoding="utf-8")
    index = ExportIndex(load_export(export))
    assert index.state(_subject()).to_dict() == {"state": "registered", "source": "export", "match": "name",
                                                 "gd_name": "gdpublish-tourism-stat-2565",
                                                 "label": {"th": "ลงทะเบียนใน GD Catalog แล้ว", "en": "registered in GD Catalog"}}
    by_title = index.state(Subject("hotel-2566", "hotel-2566", "รายชื่อโรงแรมที่ได้รับอนุญาต ", "กรมการท่องเที่ยว"))
    assert (by_title.state, by_title.match) == ("registered", "title")
    # same title in another organisation is not ours
    assert index.state(Subject("guide", "guide", "ข้อมูลมัคคุเทศก์", "กรมการท่องเที่ยว")).state == "not_registered"


def test_export_csv_of_urls(tmp_path):
    export = tmp_path / "gd.csv"
    export.write_text("title,url\nสถิตินักท่องเที่ยว,https://gdcatalog.go.th/dataset/gdpublish-tourism-stat-2565\n",
                      encoding="utf-8-sig")
    assert ExportIndex(load_export(export)).state(_subject()).state == "registered"


@pytest.mark.parametrize("content", [b"\x00\x01binary", b"name;title\nx;y\n", b"{\"result\": 5}"])
def test_bad_exports_are_one_line_errors(tmp_path, content):
    bad = tmp_path / "gd.json"
    bad.write_bytes(content)
    with pytest.raises(GdExportError) as info:
        load_export(bad)
    assert "\n" not in str(info.value) and "GD Catalog" in str(info.value)


def test_only_open_datasets_are_looked_up_and_scoring_uses_the_evidence(tmp_path):
    report = Report(datasets=[
        _ds("tourism-stat-2565", "สถิตินักท่องเที่ยว"),
        _ds("hotel-list", "รายชื่อโรงแรมที่ได้รับอนุญาต"),
        _ds("staff-list", "ข้อมูลบุคลากร", category="ข้อมูลส่วนบุคคล"),
    ])
    index = ExportIndex([{"name": "gdpublish-tourism-stat-2565"}])
    counts = apply_gd_catalog(report, public_category=PUBLIC, export=index)
    assert counts == {"registered": 1, "not_registered": 1}
    assert report.datasets[2].gd_catalog is None and "gd_catalog" not in report.datasets[2].to_dict()
    score = score_report(report, fy=2566, catalog_url=SITE)
    item = score.item("gd_catalog")
    assert item.max == 10 and float(item.points) == 5.0  # 1 of 2 open datasets, pro-rated
    assert score.to_dict()["sources"]["gd_catalog"] == {"decided_by": "evidence", "evidence": {"export": 2}}
    assert any(f.dataset == "hotel-list" and "GD Catalog" in f.fix for f in score.fix_first)
    # a declaration still overrides the evidence, and the output says so
    declared = score_report(report, fy=2566, catalog_url=SITE, declarations={"gd_catalog_registered": "all"})
    assert float(declared.item("gd_catalog").points) == 10.0
    assert declared.to_dict()["sources"]["gd_catalog"]["decided_by"] == "declaration"


def test_stronger_source_unknown_falls_through_to_the_export():
    report = Report(datasets=[_ds("tourism-stat-2565", "สถิตินักท่องเที่ยว")])
    with Harvester({}, mode="502") as hv:
        apply_gd_catalog(report, public_category=PUBLIC, harvester=RemoteClient(hv.url, retries=0, timeout=2),
                         site_url=SITE, export=ExportIndex([{"name": "gdpublish-tourism-stat-2565"}]))
    assert report.datasets[0].gd_catalog.to_dict()["source"] == "export"


def test_score_cli_with_an_export_and_a_bad_export(run_cli, tmp_path):
    from tests.conftest import EXAMPLES
    wb = EXAMPLES / "tourism-fy2566.xlsx"
    plain = json.loads(run_cli("score", wb, "--fy", "2566", "--format", "json").stdout)
    export = tmp_path / "gd.csv"
    export.write_text("name\nnot-one-of-ours\n", encoding="utf-8")
    res = run_cli("score", wb, "--fy", "2566", "--gd-export", export, "--format", "json")
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["sources"]["gd_catalog"]["decided_by"] == "evidence"
    assert "sources" not in plain
    text = run_cli("score", wb, "--fy", "2566", "--gd-export", export, "--lang", "th").stdout
    assert "GD Catalog: ตัดสินจากหลักฐาน" in text
    missing = run_cli("score", wb, "--fy", "2566", "--gd-export", tmp_path / "ไม่มีไฟล์.csv")
    assert missing.exit_code == 2 and "GD Catalog" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
