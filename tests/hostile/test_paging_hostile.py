"""Paging against catalogs that ignore offsets, change their count or lose datasets mid-crawl.

Every loop must end (bounded in calls — the server refuses after ``max_calls``) and the
audit must say in every output format when it did not see what the catalog reports.
"""
from __future__ import annotations

import json

import pytest

from catalog_tools.ckan.audit import AuditOptions, audit_catalog, crawl
from catalog_tools.ckan.client import RemoteClient
from catalog_tools.ckan.resolve import OrgResolver
from catalog_tools.redaction import forget_all
from tests.hostile.catalog import Catalog

TOKEN = "eyJhbGciOiJIUzI1NiJ9.cGFnaW5nLXRlc3Q.c2lnbmF0dXJl"


@pytest.fixture
def catalog(no_network):
    forget_all()
    with Catalog(25) as cat:
        yield cat
    forget_all()


def _client(cat: Catalog, token: str | None = TOKEN) -> RemoteClient:
    return RemoteClient(cat.url, token, retries=0, timeout=5)


def test_a_well_behaved_catalog_is_read_once_and_complete(catalog):
    stats: dict = {}
    names = [p["name"] for p in crawl(_client(catalog), page_size=10, include_private=True, stats=stats)]
    assert names == sorted(p["name"] for p in catalog.packages)
    assert stats["seen"] == stats["count"] == 25 and stats["stopped"] is None and catalog.calls["package_search"] == 3


def test_search_ignoring_start_ends_and_says_the_audit_is_incomplete(catalog):
    catalog.ignore_offset = True
    result = audit_catalog(_client(catalog), AuditOptions(page_size=10))
    report, audit = result.report, result.crawl.to_dict()
    # page one in name order, then (second pass) page one in the other order; each repeated once
    assert audit["datasets"] == 20 and audit["count_reported"] == 25 and audit["complete"] is False
    assert audit["stopped"] == "repeat" and catalog.calls["package_search"] == 4
    warn = [f for f in report.findings if f.code == "audit_incomplete"]
    assert len(warn) == 1 and "saw 20 datasets, the catalog reports 25" in warn[0].message
    assert "ไม่ครบถ้วน" in warn[0].message_th


def test_organization_list_ignoring_offset_ends(catalog):
    catalog.orgs = [{"name": f"agency-{i:02d}", "title": f"หน่วยงานที่ {i}"} for i in range(40)]
    catalog.ignore_offset = True
    resolver = OrgResolver(_client(catalog), None)
    assert resolver.resolve("หน่วยงานที่ 3") == "agency-03"
    assert resolver.resolve("หน่วยงานที่ 30") is None  # never listed: the server kept answering page one
    assert catalog.calls["organization_list"] == 2


def test_organization_list_pages_through_when_offset_works(catalog):
    catalog.orgs = [{"name": f"agency-{i:02d}", "title": f"หน่วยงานที่ {i}"} for i in range(60)]
    assert OrgResolver(_client(catalog), None).resolve("หน่วยงานที่ 59") == "agency-59"
    assert catalog.calls["organization_list"] == 3


def test_a_dataset_deleted_mid_crawl_does_not_hide_another(catalog):
    catalog.delete_after_first_page = True
    stats: dict = {}
    seen = {p["name"] for p in crawl(_client(catalog), page_size=10, include_private=True, stats=stats)}
    # page two shifted by one: the second pass in another order finds the dataset that slipped between pages
    assert {p["name"] for p in catalog.packages} <= seen and stats["passes"] == 2


def test_a_changing_count_is_reported(catalog):
    catalog.count_drift = 1
    result = audit_catalog(_client(catalog), AuditOptions(page_size=10))
    warn = next(f for f in result.report.findings if f.code == "audit_incomplete")
    assert "the count changed during the crawl" in warn.message and result.crawl.complete is False


def test_the_fallback_never_claims_private_datasets(catalog):
    catalog.search_fails = True
    result = audit_catalog(_client(catalog), AuditOptions(page_size=10))
    report, audit = result.report, result.crawl.to_dict()
    assert audit["method"] == "current_package_list_with_resources" and audit["private_included"] is False
    assert audit["datasets"] == 23 and audit["complete"] is None  # 2 of 25 are private
    assert [f.code for f in report.findings] == ["audit_private_excluded"]


def test_the_fallback_ignoring_offset_ends_too(catalog):
    catalog.search_fails = True
    catalog.ignore_offset = True
    result = audit_catalog(_client(catalog, token=None), AuditOptions(page_size=10))
    assert result.crawl.datasets == 10 and catalog.calls["current_package_list_with_resources"] == 2


def test_a_huge_count_is_bounded_by_the_cap(catalog):
    catalog.count_drift = 10 ** 12
    stats: dict = {}
    seen = list(crawl(_client(catalog), page_size=10, include_private=True, stats=stats, max_datasets=10))
    assert len(seen) == 10 and stats["stopped"] == "cap" and catalog.calls["package_search"] == 1


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_the_incomplete_audit_warning_shows_in_every_format(catalog, run_cli, fmt, tmp_path):
    catalog.ignore_offset = True
    out = tmp_path / f"audit.{fmt}"
    r = run_cli("audit", "--ckan", catalog.url, "--page-size", "10", "--format", fmt, "--output", out, "--lang", "th",
                env={"CKAN_API_TOKEN": TOKEN})
    text = out.read_text(encoding="utf-8-sig")
    assert r.exit_code in (0, 1), r.stderr
    assert "audit_incomplete" in text or "ไม่ครบถ้วน" in text
    if fmt == "json":
        assert json.loads(text)["audit"]["complete"] is False
