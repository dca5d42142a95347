"""GD Catalog registration decided against a real CKAN playing GD Catalog.

The CKAN without scheming plays GD Catalog: its datasets are named ``gdpublish-<agency name>``
as GD Catalog names them. The agency's datasets are read from a workbook-like report, so the
agency catalog itself is not needed here.
"""
from __future__ import annotations

import pytest

from catalog_tools.ckan.client import RemoteClient
from catalog_tools.gdcatalog import apply_gd_catalog
from catalog_tools.model import DatasetResult, Report, Source
from catalog_tools.scoring import score_report

pytestmark = pytest.mark.ckan
PUBLIC = "ข้อมูลสาธารณะ"


def _ds(ds_id: str, title: str, org: str) -> DatasetResult:
    return DatasetResult(ds_id, title, Source("กรมการท่องเที่ยว.xlsx", "Template 2", 7), True, 14, 14,
                         values={"data_category": PUBLIC, "title": title}, organization=org)


def test_registration_from_a_real_gd_catalog(ckan_server_extras, org_extras):
    gd = ckan_server_extras
    org = org_extras
    suffix = org["name"][-10:]
    by_name = f"tourism-stat-{suffix}"
    gd.action("package_create", name=f"gdpublish-{by_name}", title=f"สถิตินักท่องเที่ยว {suffix}", owner_org=org["id"])
    gd.action("package_create", name=f"gdpublish-renamed-{suffix}", title=f"รายชื่อโรงแรมที่ได้รับอนุญาต {suffix}",
              owner_org=org["id"])
    report = Report(datasets=[
        _ds(by_name, f"สถิตินักท่องเที่ยว {suffix}", org["title"]),
        _ds(f"hotel-{suffix}", f"รายชื่อโรงแรมที่ได้รับอนุญาต {suffix}", org["title"]),   # registered under another name
        _ds(f"guide-{suffix}", f"ทะเบียนมัคคุเทศก์ {suffix}", org["title"]),              # not registered
    ])
    client = RemoteClient(gd.url, retries=1, timeout=10)   # anonymous, as GD Catalog's public API
    counts = apply_gd_catalog(report, public_category=PUBLIC, catalog=client)
    states = {d.id: d.gd_catalog.to_dict() for d in report.datasets}
    assert counts == {"registered": 2, "not_registered": 1}
    assert states[by_name]["match"] == "name" and states[by_name]["gd_name"] == f"gdpublish-{by_name}"
    assert states[f"hotel-{suffix}"]["match"] == "title"
    assert states[f"guide-{suffix}"]["state"] == "not_registered"
    score = score_report(report, fy=2566, catalog_url="https://catalog.tourism.go.th")
    assert score.item("gd_catalog").points * 3 == 20  # 10 × 2/3, exact
    assert [f.dataset for f in score.fix_first if f.item == "gd_catalog"] == [f"guide-{suffix}"]

