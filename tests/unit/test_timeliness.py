"""Timeliness: ckanext-dquality's cycle table and bands, our choice of date, BE/CE as-of."""
from __future__ import annotations

import datetime as dt

import pytest

from catalog_tools.model import DatasetResult, Report, ResourceResult, Source
from catalog_tools.timeliness import apply_timeliness, band_for, cycle_days, measure, parse_as_of

AS_OF = dt.date(2026, 11, 30)


@pytest.mark.parametrize("unit, interval, cycle", [
    ("วัน", None, 1), ("สัปดาห์", 1, 7), ("เดือน", 3, 90), ("ไตรมาส", "1", 90), ("ครึ่งปี", None, 180),
    ("ปี", 2, 730), ("ปี", "ทุก 2 ปี", 730), ("ปี", 0, 365),
])
def test_cycle_table_is_dquality_s(unit, interval, cycle):
    assert cycle_days(unit, interval) == ("measured", cycle)


@pytest.mark.parametrize("unit, status", [
    ("ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", "not_applicable"), ("ตามเวลาจริง", "real_time"), ("ชั่วโมง", "real_time"),
    ("นาที", "real_time"), ("วันทำการ", "working_days"), ("ไม่ทราบ", "unknown"), ("อื่นๆ", "unknown"), (None, "unknown"),
])
def test_other_units_are_not_banded(unit, status):
    assert cycle_days(unit, 1) == (status, None)


@pytest.mark.parametrize("pct, band", [(0, 0), (0.01, 1), (25, 1), (25.01, 2), (50, 2), (100, 3), (100.5, 4), (900, 4)])
def test_bands(pct, band):
    assert band_for(pct) == band


def test_yearly_dataset_updated_400_days_ago_is_band_1():
    t = measure({"update_frequency_unit": "ปี", "update_frequency_interval": 1}, [
        ({"resource_last_updated_date": "2025-10-26"}, None)], None, AS_OF)
    assert (t.status, t.cycle_days, t.last_update, t.elapsed_days) == ("measured", 365, "2025-10-26", 400)
    assert t.overdue_pct == pytest.approx(35 / 365 * 100, abs=0.01)
    assert t.band == 1 and t.days_late == 35


def test_the_most_recent_data_date_wins_over_metadata_modified():
    ckan = {"metadata_modified": "2026-11-29T09:00:00.000000"}
    resources = [({"resource_last_updated_date": "2026-01-31"}, {"last_modified": "2026-06-30T10:00:00", "created": "2020-01-01"}),
                 ({"resource_last_updated_date": "2025-12-31"}, None)]
    t = measure({"update_frequency_unit": "เดือน", "last_updated_date": "2026-02-15"}, resources, ckan, AS_OF)
    assert (t.last_update, t.last_update_source) == ("2026-06-30", "last_modified")
    assert t.elapsed_days == 153 and t.band == 4  # 123 days late on a 30-day cycle


def test_fallbacks_are_created_then_metadata_modified():
    t = measure({"update_frequency_unit": "ปี"}, [({}, {"created": "2026-05-01T00:00:00"})],
                {"metadata_modified": "2026-11-01T00:00:00"}, AS_OF)
    assert t.last_update_source == "created"
    t = measure({"update_frequency_unit": "ปี"}, [], {"metadata_modified": "2026-11-01T00:00:00"}, AS_OF)
    assert (t.last_update_source, t.band) == ("metadata_modified", 0)


def test_no_date_is_not_banded():
    t = measure({"update_frequency_unit": "ไตรมาส"}, [({"name": "สถิตินักท่องเที่ยว"}, None)], None, AS_OF)
    assert (t.status, t.band, t.cycle_days) == ("no_date", None, 90)


def test_a_date_the_day_after_the_check_counts_as_today():
    t = measure({"update_frequency_unit": "วัน", "last_updated_date": "2026-12-01"}, [], None, AS_OF)
    assert (t.status, t.elapsed_days, t.band) == ("measured", 0, 0)


@pytest.mark.parametrize("date", ["2027-01-01", "9999-12-31", "2570-01-15"])  # the last: a BE year, 2027
def test_a_later_date_is_in_the_future_not_current_and_said(date):
    from catalog_tools.scoring.facts import is_current

    src = Source("สถิติการท่องเที่ยว.xlsx", "Template 2", 9)
    d = DatasetResult("tourism-arrivals", "จำนวนนักท่องเที่ยวรายเดือน", src, True, 14, 14,
                      values={"update_frequency_unit": "เดือน", "last_updated_date": date})
    apply_timeliness(Report(datasets=[d]), AS_OF)
    t = d.timeliness
    assert (t.status, t.band, t.elapsed_days) == ("future_date", None, None) and t.last_update is not None
    assert not is_current(d, {}) and not is_current(d, {"current_max_band": 4})
    assert [f.code for f in d.findings] == ["date_in_future"]
    f = d.findings[0]
    assert f.severity == "warning" and "after the date of the check, 2026-11-30" in f.message
    assert "2569-11-30" in f.message_th and "อยู่หลังวันที่ตรวจ" in f.message_th
    quiet = DatasetResult("tourism-arrivals", "จำนวนนักท่องเที่ยวรายเดือน", src, True, 14, 14,
                          values={"update_frequency_unit": "เดือน", "last_updated_date": date})
    apply_timeliness(Report(datasets=[quiet]), AS_OF, ignore=frozenset({"date_in_future"}))
    assert quiet.findings == [] and quiet.timeliness.status == "future_date"


@pytest.mark.parametrize("text, iso", [("2569-11-30", "2026-11-30"), ("2026-11-30", "2026-11-30"), ("30/11/2569", "2026-11-30")])
def test_as_of_accepts_buddhist_and_common_era(text, iso):
    assert parse_as_of(text).isoformat() == iso


def test_as_of_rejects_nonsense():
    with pytest.raises(ValueError):
        parse_as_of("เมื่อวาน")


def test_apply_adds_overdue_warning_in_both_languages():
    src = Source("สถิติการท่องเที่ยว.xlsx", "Template 2", 7)
    late = DatasetResult("tourism-stat-2565", "สถิตินักท่องเที่ยวรายจังหวัด", src, True, 14, 14,
                         values={"update_frequency_unit": "ไตรมาส"},
                         resources=[ResourceResult("ไฟล์ CSV", None, src, values={"resource_last_updated_date": "2026-03-31"})])
    fresh = DatasetResult("hotel-list", "รายชื่อโรงแรมที่ได้รับอนุญาต", Source("x.xlsx", "Template 2", 8), True, 14, 14,
                          values={"update_frequency_unit": "ปี", "last_updated_date": "2026-09-30"})
    report = Report(datasets=[late, fresh])
    apply_timeliness(report, AS_OF)
    assert [f.code for f in late.findings] == ["overdue"]
    f = late.findings[0]
    assert f.severity == "warning" and f.location == "Template 2!7:7"
    assert "154 days late" in f.message and "2569-03-31" in f.message_th and "154 วัน" in f.message_th
    assert fresh.findings == [] and fresh.timeliness.band == 0
    assert late.to_dict()["timeliness"] == {
        "cycle_days": 90, "last_update": "2026-03-31", "elapsed_days": 244, "overdue_pct": 171.11, "band": 4,
        "status": "measured", "last_update_source": "resource_last_updated_date", "as_of": "2026-11-30"}


def test_dataset_json_has_no_timeliness_key_unless_measured():
    d = DatasetResult("hotel-list", "รายชื่อโรงแรม", Source("x.xlsx"), True, 14, 14)
    assert "timeliness" not in d.to_dict()


def test_validate_cli_as_of_adds_timeliness_and_overdue(run_cli):
    import json

    from tests.conftest import EXAMPLES
    wb = EXAMPLES / "tourism-template2-3.xlsx"
    plain = json.loads(run_cli("validate", wb, "--format", "json").stdout)
    assert all("timeliness" not in d for d in plain["datasets"])
    res = run_cli("validate", wb, "--format", "json", "--as-of", "2569-11-30")
    out = json.loads(res.stdout)
    assert all(d["timeliness"]["as_of"] == "2026-11-30" for d in out["datasets"])
    overdue = [f for d in out["datasets"] for f in d["findings"] if f["code"] == "overdue"]
    banded = [d for d in out["datasets"] if d["timeliness"]["band"]]
    assert len(overdue) == len(banded) == 3 and all(f["severity"] == "warning" for f in overdue)
    assert res.exit_code == (1 if out["summary"]["errors"] else 0)
    bad = run_cli("validate", wb, "--as-of", "31/31/2569")
    assert bad.exit_code == 2 and "--as-of" in bad.stderr
