"""The audit's work ahead (timeliness and open-format assessment while a page is awaited) on a
slow real HTTP server with hostile metadata: the result is the one an audit without it gives.

The pages after the first are held back by the server (``page_delay``), so the audit does its
idle work; the datasets carry what breaks date and format readers: a 9999 date, Thai digits and
Buddhist Era years, an absurd interval, control characters and a zero-width space in formats and
addresses, a dataset with many resources, a dataset with none. Also: a page that shifts while it
is read (a dataset deleted mid-crawl, so a second pass in another order runs) and a server that
ignores ``start`` (the crawl stops and says so).
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Iterator

import pytest

from catalog_tools.ckan.audit import AuditOptions, audit_catalog
from catalog_tools.ckan.client import CkanError, RemoteClient
from catalog_tools.redaction import forget_all
from catalog_tools.scoring.facts import FactsMemo
from catalog_tools.timeliness import Early
from tests.hostile.catalog import Catalog

TOKEN = "eyJhbGciOiJIUzI1NiJ9.d29yay1haGVhZA.c2lnbmF0dXJl"
AS_OF = dt.date(2026, 11, 30)

HOSTILE_DATES = ["9999-12-31T00:00:00", "๒๕๖๙-๐๓-๐๑", "2569-02-30", "2026-11-29T23:59:59.999999", "", "31/12/2568",
                 "\x00\x1b[2J2026-01-01"]


def _hostile(cat: Catalog) -> None:
    for i, pkg in enumerate(cat.packages):
        pkg["extras"] = [
            {"key": "update_frequency_unit", "value": ["เดือน", "ปี", "วัน", "ไตรมาส", "วันทำการ", "อื่นๆ"][i % 6]},
            {"key": "update_frequency_interval", "value": ["1", "๓", "999999999999", "-2", "ทุก 6", ""][i % 6]},
            {"key": "data_category", "value": "ข้อมูลสาธารณะ" if i % 3 else "ข้อมูลความมั่นคง"},
        ]
        if i % 7 == 3:
            pkg["resources"] = []
            continue
        many = 40 if i == 5 else 2
        pkg["resources"] = [{
            "id": f"res-{i:03d}-{k:02d}", "name": f"ตารางนักท่องเที่ยว {k}",
            "url": ["https://data.example.go.th/stat/tourism.csv", "https://api.example.go.th/api/arrivals?province=50",
                    "http://data.example.go.th/\x07scan\u200b.pdf", "ftp://data.example.go.th/x.xlsx"][(i + k) % 4],
            "format": ["CSV", "API\u200b", "pdf", "", "XLSX\r\n"][(i + k) % 5],
            "last_modified": HOSTILE_DATES[(i + k) % len(HOSTILE_DATES)],
            "created": "2020-01-01T00:00:00",
            "datastore_active": (i + k) % 9 == 0,
        } for k in range(many)]


def _audit(cat: Catalog, first: list[dict[str, Any]], fault: str, *, ahead: bool, monkeypatch: pytest.MonkeyPatch,
           fy: int, added: list[int] | None = None) -> tuple[dict[str, Any], int]:
    """One audit of the catalogue as first served (the same server, so the same address in the result);
    ``added``: where the sizes of the work done ahead are counted."""
    added = [] if added is None else added
    cat.packages = copy.deepcopy(first)
    cat.ignore_offset = cat.delete_after_first_page = False
    if fault:
        setattr(cat, fault, True)
    with monkeypatch.context() as m:
        if ahead:
            real = Early.add

            def counted(self: Early, ds: Any) -> None:
                ds = list(ds)
                added.append(len(ds))
                real(self, ds)
            m.setattr(Early, "add", counted)
        else:
            m.setattr(Early, "add", lambda self, ds: None)
            m.setattr(FactsMemo, "prepare", lambda self, ds, options, public_category: None)
        client = RemoteClient(cat.url, TOKEN, retries=0, timeout=10)
        try:
            result = audit_catalog(client, AuditOptions(page_size=10, fy=fy, as_of=AS_OF))
        finally:
            client.close()
    return result.to_dict(), sum(added)


@pytest.fixture
def portal(no_network: None) -> Iterator[tuple[Catalog, list[dict[str, Any]]]]:
    """The slow hostile portal, and its datasets as first served (each audit starts from them)."""
    forget_all()
    with Catalog(37) as cat:
        _hostile(cat)
        cat.page_delay = 0.15
        yield cat, copy.deepcopy(cat.packages)
    forget_all()


@pytest.mark.parametrize("fault", ["", "delete_after_first_page", "ignore_offset"])
@pytest.mark.parametrize("fy", [2566, 2567])
def test_work_ahead_on_a_slow_hostile_portal_changes_nothing(portal: tuple[Catalog, list[dict[str, Any]]],
                                                             monkeypatch: pytest.MonkeyPatch, fault: str, fy: int) -> None:
    without, _ = _audit(*portal, fault, ahead=False, monkeypatch=monkeypatch, fy=fy)
    with_ahead, measured = _audit(*portal, fault, ahead=True, monkeypatch=monkeypatch, fy=fy)
    assert with_ahead == without
    if fault != "ignore_offset":  # (that server's second page is the first again: the crawl stops there)
        assert measured > 0, "the audit did its work while pages were awaited"
    codes = {f["code"] for d in without["datasets"] for f in d["findings"]}
    assert "date_in_future" in codes or "overdue" in codes


def test_a_page_that_fails_after_work_ahead_ends_the_audit_as_before_without_the_token(
        portal: tuple[Catalog, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch) -> None:
    """The third page fails (HTTP 500, the token in its error page) after the audit measured the
    first two pages ahead: the audit stops with the error it gives without the work ahead, and
    nothing it says holds the token."""
    cat, first = portal
    cat.fail_from = 20
    errors: list[str] = []
    added: list[int] = []
    for ahead in (False, True):
        with pytest.raises(CkanError) as caught:
            _audit(cat, first, "", ahead=ahead, monkeypatch=monkeypatch, fy=2567, added=added)
        errors.append(str(caught.value))
    assert errors[0] == errors[1] and "500" in errors[0]
    assert sum(added) > 0, "the work ahead ran before the failing page"
    assert TOKEN not in errors[0] and TOKEN.split(".")[1] not in errors[0]
