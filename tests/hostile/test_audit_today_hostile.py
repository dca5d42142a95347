"""Hostile inputs for the "audit for today" features: --as-of/--since, --gd-export, --compare,
--cache, the GD Catalog and harvester clients, update frequencies and FY2567 share targets.

Each bad input must give one bilingual line and exit 2 (or a finding or an ``unknown`` state),
never a traceback, a hang, a modified input or a partial output file.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from catalog_tools.ckan.cache import CacheError, PackageCache
from catalog_tools.compare import CompareError, compare, load_previous
from catalog_tools.gdcatalog import GdExportError, Subject, catalog_state, harvester_state, load_export
from catalog_tools.timeliness import measure

from .conftest import digest, run_cmd
from .httpd import HostileServer



def _one_bilingual_line(r) -> bool:  # noqa: ANN001 - conftest.Run
    return r.clean and r.one_line_error and any("\u0e00" <= c <= "\u0e7f" for c in r.stderr)


def _fifo(tmp_path: Path, name: str) -> Path:
    p = tmp_path / name
    os.mkfifo(p)
    return p


# -- --as-of / --since ---------------------------------------------------------------------
@pytest.mark.parametrize("when", ["0000-01-01", "99999-01-01", "2569-02-30", "0544-01-01", "2400-01-01",
                                  "0001-01-01", "   ", "๒๕๖๙-๑๓-๐๑"])
def test_as_of_out_of_range_or_impossible_is_one_bilingual_line(workbook: Path, when: str) -> None:
    r = run_cmd("score", workbook, "--fy", "2566", "--as-of", when)
    assert _one_bilingual_line(r), r.stderr
    assert "--as-of" in r.stderr


@pytest.mark.parametrize("when", ["๒๕๖๙-๐๒-๐๑", "  2569-02-01  ", "2443-01-01"])
def test_as_of_thai_digits_whitespace_and_the_first_allowed_year_work(workbook: Path, when: str) -> None:
    r = run_cmd("score", workbook, "--fy", "2566", "--as-of", when, "--format", "json")
    assert r.rc in (0, 1) and r.clean, r.stderr
    assert json.loads(r.stdout)["total"] is not None


def test_since_names_itself_in_its_error(tmp_path: Path) -> None:
    # rejected before any connection: the port is closed anyway
    r = run_cmd("audit", "--ckan", "http://127.0.0.1:9", "--cache", tmp_path / "c.db", "--since", "0544-01-01")
    assert _one_bilingual_line(r) and "--since" in r.stderr, r.stderr
    assert not (tmp_path / "c.db").exists()


# -- update frequency and dates -------------------------------------------------------------
_LAST = {"update_frequency_unit": "ปี", "last_updated_date": "2020-01-01"}
AS_OF = dt.date(2026, 1, 1)


@pytest.mark.parametrize("interval", [float("inf"), "9" * 5000, 10 ** 30, 1e308, "99999999999999999999", 1001])
def test_absurd_intervals_are_unknown_not_a_crash_nor_never_late(interval: object) -> None:
    t = measure({**_LAST, "update_frequency_interval": interval}, [], None, AS_OF)
    assert t.status == "unknown" and t.band is None and t.cycle_days is None


@pytest.mark.parametrize("interval", [0, -3, "-3", float("nan"), "", None, "ไม่ระบุ"])
def test_zero_negative_and_missing_intervals_are_one_cycle(interval: object) -> None:
    t = measure({**_LAST, "update_frequency_interval": interval}, [], None, AS_OF)
    assert t.cycle_days == 365 and t.band == 4


def test_thai_digit_interval_is_read() -> None:
    t = measure({**_LAST, "update_frequency_interval": "๓"}, [], None, AS_OF)
    assert t.cycle_days == 3 * 365


@pytest.mark.parametrize("value", ["2563-01-01", "๒๕๖๓-๐๑-๐๑", "2563-01-01T08:00:00"])
def test_buddhist_era_and_thai_digit_last_update_is_not_543_years_ahead(value: str) -> None:
    # read as Gregorian 2563 this dataset would be "on time" until the year 2563
    t = measure({"update_frequency_unit": "เดือน", "update_frequency_interval": 1}, [],
                {"metadata_modified": value}, AS_OF)
    assert t.last_update == "2020-01-01" and t.band == 4


# -- --gd-export -----------------------------------------------------------------------------
def test_gd_export_fifo_is_refused_without_waiting(workbook: Path, tmp_path: Path) -> None:
    r = run_cmd("score", workbook, "--fy", "2566", "--gd-export", _fifo(tmp_path, "gd.json"), timeout=30)
    assert _one_bilingual_line(r) and "FIFO" in r.stderr, r.stderr


@pytest.mark.parametrize("name,content,needle", [
    ("deep.json", b"[" * 200_000 + b"]" * 200_000, "nested"),
    ("lines.json", '{"name": "gdpublish-tourist-arrivals"}\nnot json\n'.encode(), "line 2"),
    ("tis620.csv", "name,title\ngdpublish-tourist-arrivals,".encode() + "สถิตินักท่องเที่ยว".encode("cp874") + b"\n",
     "UTF-8"),
])
def test_gd_export_broken_files_are_one_bilingual_line(workbook: Path, tmp_path: Path, name: str, content: bytes,
                                                        needle: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    before = digest(p)
    out = tmp_path / "score.json"
    r = run_cmd("score", workbook, "--fy", "2566", "--gd-export", p, "--format", "json", "-o", out)
    assert _one_bilingual_line(r) and needle in r.stderr, r.stderr
    assert digest(p) == before and not out.exists()


def test_gd_export_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import catalog_tools.gdcatalog as gd

    p = tmp_path / "gd.json"
    p.write_text(json.dumps([{"name": f"gdpublish-ds-{i}"} for i in range(2000)]))
    monkeypatch.setattr(gd, "MAX_EXPORT_BYTES", 1024)
    with pytest.raises(GdExportError, match="MiB"):
        load_export(p)


def test_gd_export_lone_surrogate_and_odd_types_do_not_crash(workbook: Path, tmp_path: Path) -> None:
    p = tmp_path / "gd.json"
    p.write_text('[{"name": "gdpublish-x", "title": "\\ud800"}, {"name": {"a": 1}, "title": ["x"], '
                 '"organization": 5}, 7, null]', encoding="utf-8")
    r = run_cmd("score", workbook, "--fy", "2566", "--gd-export", p, "--format", "json")
    assert r.rc in (0, 1) and r.clean, r.stderr
    json.loads(r.stdout)


def test_audit_checks_the_gd_export_before_crawling(tmp_path: Path) -> None:
    p = tmp_path / "gd.csv"
    p.write_bytes(b"name\n\xff\xfe\n")
    r = run_cmd("audit", "--ckan", "http://127.0.0.1:9", "--gd-export", p)
    assert _one_bilingual_line(r) and "UTF-8" in r.stderr, r.stderr


# -- --compare -------------------------------------------------------------------------------
@pytest.mark.parametrize("doc,needle", [
    ('{"datasets": {"tourist-arrivals": {}}}', "datasets is not a list"),
    ('{"datasets": 5}', "datasets is not a list"),
    ('{"datasets": [{"id": ["a"]}]}', "id is not a string"),
    ('{"datasets": [{"id": null, "source": 3}]}', "source is not an object"),
    ('{"datasets": [], "items": [], "total": NaN}', "JSON"),
    ('{"datasets": [], "score": {"total": 1e400}}', "not a number"),
    ('{"datasets": [], "score": {"total": "สิบ"}}', "not a number"),
    ('{"datasets": [], "score": "x"}', "score is not an object"),
    ('{"datasets": [], "organizations": [{"name": ["dot"]}]}', "has no name"),
    ('{"datasets": [], "organizations": [{"name": "dot", "score": "high"}]}', "not a score"),
    ("[" * 100_000 + "]" * 100_000, "JSON"),
])
def test_compare_foreign_shapes_are_one_bilingual_line(workbook: Path, tmp_path: Path, doc: str, needle: str) -> None:
    prev = tmp_path / "previous.json"
    prev.write_text(doc, encoding="utf-8")
    out = tmp_path / "now.json"
    r = run_cmd("score", workbook, "--fy", "2566", "--compare", prev, "--format", "json", "-o", out)
    assert _one_bilingual_line(r) and needle in r.stderr, r.stderr
    assert not out.exists()


def test_compare_fifo_is_refused_without_waiting(workbook: Path, tmp_path: Path) -> None:
    r = run_cmd("score", workbook, "--fy", "2566", "--compare", _fifo(tmp_path, "prev.json"), timeout=30)
    assert _one_bilingual_line(r) and "FIFO" in r.stderr, r.stderr


def test_compare_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import catalog_tools.compare as cmp

    p = tmp_path / "prev.json"
    p.write_text(json.dumps({"datasets": [{"id": f"ds-{i}"} for i in range(1000)]}))
    monkeypatch.setattr(cmp, "MAX_PREVIOUS_BYTES", 1024)
    with pytest.raises(CompareError, match="MiB"):
        load_previous(p)


def test_compare_duplicated_and_numeric_ids_are_said_not_silent(tmp_path: Path) -> None:
    p = tmp_path / "prev.json"
    p.write_text(json.dumps({"datasets": [{"id": "tourist-arrivals", "complete": True},
                                          {"id": "tourist-arrivals", "complete": False}, {"id": 7}]}))
    change = compare(load_previous(p), {"datasets": [{"id": "tourist-arrivals", "complete": False}, {"id": "7"}]})
    assert change["duplicate_ids"] == {"before": ["tourist-arrivals"], "after": []}
    assert change["became_incomplete"] == ["tourist-arrivals"] and change["removed"] == []


def test_compare_same_path_as_output_is_refused_untouched(workbook: Path, tmp_path: Path) -> None:
    prev = tmp_path / "prev.json"
    prev.write_text('{"datasets": []}')
    before = digest(prev)
    r = run_cmd("score", workbook, "--fy", "2566", "--compare", prev, "-o", prev)
    assert _one_bilingual_line(r) and digest(prev) == before


# -- --cache ---------------------------------------------------------------------------------
def test_cache_that_is_another_sqlite_database_is_not_touched(tmp_path: Path) -> None:
    p = tmp_path / "stewards.db"
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE stewards (name TEXT)")
    db.execute("INSERT INTO stewards VALUES ('กรมการท่องเที่ยว')")
    db.commit()
    db.close()
    before = digest(p)
    with pytest.raises(CacheError, match="not a catalog-tools cache"):
        PackageCache(p, url="http://127.0.0.1:9", scope="*")
    assert digest(p) == before and sorted(os.listdir(tmp_path)) == ["stewards.db"]


@pytest.mark.parametrize("kind", ["dir", "fifo", "text"])
def test_cache_path_that_is_no_database_is_one_error(tmp_path: Path, kind: str) -> None:
    p = tmp_path / "cache.db"
    if kind == "dir":
        p.mkdir()
    elif kind == "fifo":
        os.mkfifo(p)
    else:
        p.write_text("ชุดข้อมูลสถิตินักท่องเที่ยว " * 200, encoding="utf-8")
    with pytest.raises(CacheError, match="—"):
        PackageCache(p, url="http://127.0.0.1:9", scope="*")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_read_only_cache_is_refused_up_front(tmp_path: Path) -> None:
    p = tmp_path / "cache.db"
    PackageCache(p, url="http://127.0.0.1:9", scope="*").close()
    p.chmod(0o444)
    with pytest.raises(CacheError, match="not writable"):
        PackageCache(p, url="http://127.0.0.1:9", scope="*")


def test_two_writers_on_one_cache_lose_nothing_and_a_junk_row_is_said(tmp_path: Path) -> None:
    p = tmp_path / "cache.db"
    a = PackageCache(p, url="http://127.0.0.1:9", scope="*")
    b = PackageCache(p, url="http://127.0.0.1:9", scope="*")

    def write(c: PackageCache, prefix: str) -> None:
        for i in range(40):
            c.put([{"id": f"{prefix}-{i}", "name": f"tourism-{prefix}-{i}", "metadata_modified": "2026-01-01"}])

    threads = [threading.Thread(target=write, args=(a, "a")), threading.Thread(target=write, args=(b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(list(a.packages())) == 80
    with sqlite3.connect(p) as db:
        db.execute("UPDATE packages SET body='{broken' WHERE id='a-3'")
    with pytest.raises(CacheError, match="not JSON"):
        list(a.packages())
    a.close()
    b.close()


def test_output_equal_to_cache_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "cache.db"
    r = run_cmd("audit", "--ckan", "http://127.0.0.1:9", "--cache", p, "-o", p)
    assert r.one_line_error and r.clean and not p.exists(), r.stderr


# -- GD Catalog and harvester servers answering wrongly ----------------------------------------
SUBJECT = Subject("tourist-arrivals", "tourist-arrivals", "สถิตินักท่องเที่ยว", "กรมการท่องเที่ยว", "a1b2")


def _ok(result: object):  # noqa: ANN202
    return lambda h: h.json(200, {"success": True, "result": result})


def _client(url: str):  # noqa: ANN202
    from catalog_tools.ckan.client import RemoteClient

    return RemoteClient(url, None, timeout=2, retries=0)


@pytest.mark.parametrize("result", ["ok", 42, [7], ["x", {"metadata_modified": "2026-01-01"}]])
def test_harvester_answer_of_the_wrong_type_is_unknown_not_unregistered(result: object) -> None:
    with HostileServer({"*": _ok(result)}) as srv:
        c = _client(srv.url("/"))
        try:
            state = harvester_state(c, "https://data.tourism.go.th", SUBJECT)
        finally:
            c.close()
    assert state.state == "unknown", state


@pytest.mark.parametrize("route", [
    _ok("a string"),
    lambda h: h.reply(200, b"<html><body>maintenance</body></html>", content_type="text/html"),
    lambda h: h.reply(302, b"", {"Location": h.path}),
    lambda h: h.reply(200, b'{"success": true, "result": [' + b'{"name": "x"},' * 2_000_000 + b'{}]}',
                      content_type="application/json"),
    lambda h: (h.send_response(200), h.send_header("Content-Length", "4000"), h.end_headers(),
               h.drip(b'{"success": true, "result": ' + b" " * 4000, 0.05, max_seconds=6)),
])
def test_gd_catalog_broken_answers_are_unknown_within_the_deadline(route) -> None:  # noqa: ANN001
    with HostileServer({"*": route}) as srv:
        c = _client(srv.url("/"))
        try:
            state = catalog_state(c, SUBJECT)
        finally:
            c.close()
    assert state.state == "unknown", state


# -- FY2567 share targets ----------------------------------------------------------------------
@pytest.mark.parametrize("targets", ["[a,b,c]", "[.nan,70,90]", "[10,20,30,40]", "[50,50,50]", "[.inf,1,2]",
                                     "สิบ", "[true,2,3]", "[]", "[60,70,1e308]"])
def test_share_targets_that_are_not_three_rising_numbers_are_one_bilingual_line(workbook: Path, targets: str) -> None:
    r = run_cmd("score", workbook, "--fy", "2567", "-O", f"share_targets={targets}")
    assert _one_bilingual_line(r), r.stderr
