"""``catalog-tools quality --ckan`` against the real CKAN test server, its resources pointing at
the corpus on a local HTTP server."""
from __future__ import annotations

import json

import pytest

from tests.quality.corpus import CORPUS
from tests.quality.server import CorpusServer

pytest.importorskip("ckanapi")

pytestmark = pytest.mark.ckan

DATASET = {
    "title": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", "data_type": "ข้อมูลสถิติ", "maintainer": "กองยุทธศาสตร์และแผนงาน",
    "maintainer_email": "plan@tourism.go.th", "notes": "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด ปี 2566",
    "objective": ["พันธกิจหน่วยงาน"], "update_frequency_unit": "เดือน", "update_frequency_interval": "1",
    "geo_coverage": "จังหวัด", "data_source": "รายงานสถิตินักท่องเที่ยว", "data_format": ["CSV"],
    "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common", "tags": [{"name": "ท่องเที่ยว"}],
}


@pytest.fixture(scope="module")
def served():
    files = {name: make() for name, (make, _fmt) in CORPUS.items()}
    with CorpusServer(files) as server:
        yield server


def test_quality_of_a_portal_organization(ckan_server, org_s, served, run_cli, tmp_path) -> None:
    names = ["visitors-tis620.csv", "visitors-2566.xlsx", "report-2566.csv", "attractions.kml"]
    resources = [{"name": n, "url": f"{served.url}/f/{n}", "format": CORPUS[n][1]} for n in names]
    resources.append({"name": "ลบแล้ว", "url": f"{served.url}/f/deleted.csv", "format": "CSV"})
    pkg = ckan_server.call("package_create", dict(DATASET, name=ckan_server.unique_name("visitors"),
                                                  owner_org=org_s["name"], resources=resources))
    res = run_cli("quality", "--ckan", ckan_server.url, "--org", org_s["name"], "--format", "json",
                  "--cache-dir", tmp_path / "cache", env={"CKAN_API_TOKEN": ""})
    assert res.exit_code == 1, res.stderr
    data = json.loads(res.stdout)
    (ds,) = data["datasets"]
    assert ds["id"] == pkg["name"]
    by = {r["name"]: r for r in ds["resources"]}
    assert by["visitors-tis620.csv"]["quality"]["encoding"] == "TIS-620"
    assert by["visitors-2566.xlsx"]["quality"]["rows"] == 8  # every sheet, not the last
    assert by["report-2566.csv"]["quality"]["format_mismatch"] is True
    assert by["attractions.kml"]["quality"]["stars"] == 3
    assert by["ลบแล้ว"]["quality"]["reachable"] is False
    assert by["visitors-tis620.csv"]["quality"]["preview"] is False  # no DataStore on these resources
    (org,) = data["quality"]["organizations"]
    assert org["name"] == org_s["name"] and org["resources"] == 5
    assert data["quality"]["fetch"]["requests"] == {"HEAD": 0, "GET": 5}


def test_audit_content_adds_the_measurements_to_the_audit(ckan_server, org_s, served, run_cli, tmp_path) -> None:
    resources = [{"name": "ไฟล์ PDF", "url": f"{served.url}/f/report-2566.csv", "format": "CSV"},
                 {"name": "TIS-620", "url": f"{served.url}/f/visitors-tis620.csv", "format": "CSV"}]
    ckan_server.call("package_create", dict(DATASET, name=ckan_server.unique_name("report"), owner_org=org_s["name"],
                                            resources=resources))
    res = run_cli("audit", "--ckan", ckan_server.url, "--org", org_s["name"], "--content", "--format", "json",
                  env={"CKAN_API_TOKEN": "", "XDG_CACHE_HOME": str(tmp_path / "xdg")})
    assert res.exit_code == 1, res.stderr
    data = json.loads(res.stdout)
    (ds,) = data["datasets"]
    by = {r["name"]: r for r in ds["resources"]}
    assert "content_format_mismatch" in {f["code"] for f in by["ไฟล์ PDF"]["findings"]}
    assert by["TIS-620"]["quality"]["encoding"] == "TIS-620"
    assert "score" in data and "quality" in data  # the audit's own keys stay; the content summary is added
    assert list((tmp_path / "xdg" / "catalog-tools" / "content").glob("*.body"))  # downloads were cached there
