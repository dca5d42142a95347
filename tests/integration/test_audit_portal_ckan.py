"""Audit for today against the real CKAN: two organisations of one portal, GD Catalog registration
from a second real CKAN playing GD Catalog, timeliness, per-organisation scores, the resumable
cache and --compare."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from catalog_tools.ckan.audit import AuditOptions, audit_catalog
from catalog_tools.ckan.client import RemoteClient
from catalog_tools.compare import compare

pytest.importorskip("ckanapi")
pytestmark = pytest.mark.ckan

AS_OF = dt.date(2026, 11, 30)
BASE = {
    "data_type": "ข้อมูลสถิติ", "maintainer": "กองยุทธศาสตร์และแผนงาน", "maintainer_email": "plan@tourism.go.th",
    "notes": "ข้อมูลสถิติจำแนกรายจังหวัด รวบรวมจากสำนักงานจังหวัด", "objective": ["พันธกิจหน่วยงาน"],
    "update_frequency_unit": "ปี", "update_frequency_interval": "1", "geo_coverage": "จังหวัด",
    "data_source": "รายงานประจำปีของหน่วยงาน", "data_format": ["CSV"], "data_category": "ข้อมูลสาธารณะ",
    "license_id": "Open Data Common", "tags": [{"name": "สถิติ"}],
}


def _resource(updated: str) -> list[dict]:
    return [{"name": "ไฟล์ข้อมูล CSV", "url": "https://data.example.go.th/file.csv", "format": "CSV",
             "description": "รายปี", "resource_accessible_condition": "ไม่มีเงื่อนไข",
             "resource_created_date": "2023-01-01", "resource_last_updated_date": updated,
             "resource_data_collect": "ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่"}]


@pytest.fixture
def portal(ckan_server, ckan_server_extras):
    """Two organisations on the agency portal; GD Catalog (the other CKAN) holds two of their datasets."""
    s = ckan_server
    dot = s.create_org("dot", title="กรมการท่องเที่ยว")
    dsd = s.create_org("dsd", title="กรมพลศึกษา")
    names = {k: s.unique_name(k) for k in ("tourism", "hotel", "guide", "venues")}
    s.call("package_create", dict(BASE, name=names["tourism"], title="สถิตินักท่องเที่ยว", owner_org=dot["name"],
                                  resources=_resource("2026-10-31")))
    s.call("package_create", dict(BASE, name=names["hotel"], title="รายชื่อโรงแรม", owner_org=dot["name"],
                                  resources=_resource("2024-01-31")))      # overdue
    s.call("package_create", dict(BASE, name=names["guide"], title="ทะเบียนมัคคุเทศก์", owner_org=dot["name"],
                                  resources=_resource("2026-09-30")))      # current, not registered
    s.call("package_create", dict(BASE, name=names["venues"], title="สนามกีฬา", owner_org=dsd["name"],
                                  resources=_resource("2026-06-30")))
    gd = ckan_server_extras
    gd_org = gd.create_org("gd")
    for key in ("tourism", "venues"):
        gd.call("package_create", {"name": f"gdpublish-{names[key]}", "title": key, "owner_org": gd_org["name"]})
    return {"dot": dot["name"], "dsd": dsd["name"], "names": names, "gd": gd.url}


def _audit(ckan_server, portal, **kw):
    client = RemoteClient(ckan_server.url, ckan_server.token)
    opts = AuditOptions(orgs=(portal["dot"], portal["dsd"]), fy=2567, as_of=AS_OF, gd_catalog=portal["gd"], **kw)
    return audit_catalog(client, opts)


def test_two_organisations_registration_timeliness_and_scores(ckan_server, portal, tmp_path):
    result = _audit(ckan_server, portal)
    report = result.report
    n = portal["names"]
    by_id = {d.id: d for d in report.datasets}
    assert set(by_id) == set(n.values())
    assert by_id[n["tourism"]].gd_catalog.state == "registered" and by_id[n["guide"]].gd_catalog.state == "not_registered"
    assert by_id[n["hotel"]].timeliness.band == 4 and by_id[n["tourism"]].timeliness.band == 0
    assert any(f.code == "overdue" for f in by_id[n["hotel"]].findings)
    rows = {r["name"]: r for r in result.to_dict()["organizations"]}
    dot, dsd = rows[portal["dot"]], rows[portal["dsd"]]
    assert (dot["open"], dot["current"], dot["registered"]) == (3, 2, 1)
    assert dot["score"]["total"] == 0 and dot["score"]["grade"]["key"] == "fair"     # 1 of 3 < 50 %
    assert dsd["score"]["total"] == 100 and dsd["score"]["grade"]["key"] == "very_good"
    assert result.score.provisional is True
    assert result.score.sources["gd_catalog"]["decided_by"] == "evidence"
    audit = result.crawl.to_dict()
    assert audit["organizations_requested"] == [portal["dot"], portal["dsd"]] and audit["as_of"] == "2026-11-30"
    assert audit["gd_catalog"] == {"registered": 2, "not_registered": 2}


def test_cache_resumes_and_refetches_only_what_changed(ckan_server, portal, tmp_path):
    cache = tmp_path / "audit-cache.sqlite"
    first = _audit(ckan_server, portal, cache=cache)
    fetched = sum(c["fetched"] for c in first.crawl.cache or [])
    assert fetched == 4
    again = _audit(ckan_server, portal, cache=cache)
    assert sum(c["fetched"] for c in again.crawl.cache or []) == 0
    assert sum(c["from_cache"] for c in again.crawl.cache or []) == 4
    assert [d.id for d in again.report.datasets] == [d.id for d in first.report.datasets]
    # one dataset changes on the portal: only it is fetched again, and the audit sees the change
    ckan_server.call("package_patch", {"id": portal["names"]["guide"], "title": "ทะเบียนมัคคุเทศก์ (ปรับปรุง)"})
    third = _audit(ckan_server, portal, cache=cache)
    assert sum(c["fetched"] for c in third.crawl.cache or []) == 1
    assert {d.title for d in third.report.datasets} >= {"ทะเบียนมัคคุเทศก์ (ปรับปรุง)"}


def test_an_interrupted_audit_resumes_without_fetching_again(ckan_server, portal, tmp_path):
    from catalog_tools.ckan.cache import CacheStats, PackageCache, cached_crawl

    cache_file = tmp_path / "audit-cache.sqlite"
    real = RemoteClient(ckan_server.url, ckan_server.token)

    class Interrupted(RemoteClient):
        batches = 0

        def call_action(self, action, data_dict=None):  # type: ignore[override]
            if action == "package_search" and "id:(" in str((data_dict or {}).get("fq", "")):
                Interrupted.batches += 1
                if Interrupted.batches > 1:
                    raise KeyboardInterrupt
            return super().call_action(action, data_dict)

    cache = PackageCache(cache_file, url=real.url, scope=f"{portal['dot']}|private=True")
    with pytest.raises(KeyboardInterrupt):
        cached_crawl(Interrupted(ckan_server.url, ckan_server.token), cache, org=portal["dot"], include_private=True,
                     batch_size=1, workers=1)
    kept = len(cache.known())
    assert kept == 1
    stats = CacheStats()
    got = cached_crawl(real, cache, org=portal["dot"], include_private=True, batch_size=1, workers=1, stats=stats)
    cache.close()
    assert len(got) == 3 and stats.fetched == 2 and stats.from_cache == 1


def test_gd_catalog_down_gives_unknown_and_the_audit_goes_on(ckan_server, portal):
    client = RemoteClient(ckan_server.url, ckan_server.token)
    result = audit_catalog(client, AuditOptions(orgs=(portal["dsd"],), fy=2566, as_of=AS_OF,
                                                gd_catalog="http://127.0.0.1:9"))
    (d,) = result.report.datasets
    assert d.gd_catalog.state == "unknown"
    assert result.score.sources["gd_catalog"]["decided_by"] == "evidence"


def test_compare_two_audits(ckan_server, portal, run_cli, tmp_path):
    before = json.loads(json.dumps(_audit(ckan_server, portal).to_dict(), default=str))
    ckan_server.call("package_create", dict(BASE, name=ckan_server.unique_name("new"), title="ข้อมูลใหม่",
                                            owner_org=portal["dsd"], resources=_resource("2026-11-01")))
    after = json.loads(json.dumps(_audit(ckan_server, portal).to_dict(), default=str))
    change = compare(before, after)
    assert len(change["added"]) == 1 and change["removed"] == []


def test_audit_cli_whole_portal_in_every_format(ckan_server, portal, run_cli, tmp_path):
    env = {"CKAN_API_TOKEN": ckan_server.token}
    common = ["audit", "--ckan", ckan_server.url, "--org", portal["dot"], "--org", portal["dsd"], "--fy", "2567",
              "--as-of", "2569-11-30", "--gd-catalog", portal["gd"], "--cache", tmp_path / "cache.sqlite"]
    first = tmp_path / "audit-1.json"
    r = run_cli(*common, "--format", "json", "-o", first, env=env)
    assert r.exit_code in (0, 1), r.stderr
    data = json.loads(first.read_text(encoding="utf-8"))
    assert {row["name"] for row in data["organizations"]} == {portal["dot"], portal["dsd"]}
    assert data["audit"]["organizations_requested"] == [portal["dot"], portal["dsd"]]
    assert data["score"]["provisional"] is True and data["audit"]["as_of"] == "2026-11-30"
    csv_text = run_cli(*common, "--format", "csv-orgs", env=env).stdout
    assert csv_text.startswith("\ufeffname,title,datasets") and "very_good" in csv_text
    text = run_cli(*common, "--lang", "th", "--compare", first, env=env).stdout
    assert "ลงทะเบียน GD Catalog" in text and "การเปลี่ยนแปลงจากครั้งก่อน" in text
    html = tmp_path / "audit.html"
    run_cli(*common, "--format", "html", "-o", html, "--compare", first, env=env)
    page = html.read_text(encoding="utf-8")
    assert 'class="orgs sortable"' in page and 'id="compare"' in page and 'id="org-scores"' in page
    bad = run_cli("audit", "--ckan", ckan_server.url, "--since", "2569-01-01", env=env)
    assert bad.exit_code == 2 and "--cache" in bad.stderr
