"""FY2567 (provisional): share of open datasets complete, current and registered, by the rule of three."""
from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from catalog_tools.gdcatalog import ExportIndex, apply_gd_catalog
from catalog_tools.model import DatasetResult, Report, Source
from catalog_tools.scoring import score_report
from catalog_tools.scoring.kinds import rule_of_three

PUBLIC = "ข้อมูลสาธารณะ"
AS_OF = dt.date(2026, 11, 30)
T = (Fraction(50), Fraction(75), Fraction(100))


@pytest.mark.parametrize("pct, points", [(0, 0), (Fraction(4999, 100), 0), (50, 50), (60, 60), (75, 75), (80, 80),
                                         (99, 99), (100, 100)])
def test_default_targets_make_points_equal_the_percentage_from_50(pct, points):
    assert rule_of_three(Fraction(pct), T) == points


def test_seed_example_targets_95_97_5_100():
    # kpi-and-templates-detail §6: targets 95 | 97.5 | 100 and a result of 96 give 60
    assert rule_of_three(Fraction(96), (Fraction(95), Fraction(195, 2), Fraction(100))) == 60


def _ds(ds_id, title, *, complete=True, unit="ปี", updated="2026-06-30", category=PUBLIC):
    values = {"data_category": category, "title": title, "update_frequency_unit": unit}
    if updated:
        values["last_updated_date"] = updated
    return DatasetResult(ds_id, title, Source("กรมการท่องเที่ยว.xlsx", "Template 2", 7), complete, 14 if complete else 12, 14,
                         values=values, failed_items=[] if complete else ["9"])


def _report():
    return Report(datasets=[
        _ds("tourism-stat", "สถิตินักท่องเที่ยวรายจังหวัด"),                                  # complete, current, registered
        _ds("hotel-list", "รายชื่อโรงแรมที่ได้รับอนุญาต"),                                    # complete, current, not registered
        _ds("guide-list", "ทะเบียนมัคคุเทศก์", updated="2024-01-31"),                       # registered but overdue
        _ds("event-calendar", "ปฏิทินกิจกรรมท่องเที่ยว", complete=False),                     # registered, incomplete
        _ds("budget-plan", "แผนงบประมาณ", category="ข้อมูลความมั่นคง"),                        # not open: not in the share
    ])


def _registered(report, names):
    apply_gd_catalog(report, public_category=PUBLIC, export=ExportIndex([{"name": f"gdpublish-{n}"} for n in names]))


def test_share_of_open_datasets_meeting_every_step():
    report = _report()
    _registered(report, ["tourism-stat", "guide-list", "event-calendar"])
    score = score_report(report, fy=2567, as_of=AS_OF)
    item = score.item("open_standard")
    assert item.points == 0 and item.max == 100          # 1 of 4 = 25 % < 50 % target → 0
    assert "1 of 4 open datasets" in item.basis and "25.00%" in item.basis
    reasons = {e.dataset: e.reasons for e in item.lost_by}
    assert reasons == {"hotel-list": ["not_registered"], "guide-list": ["not_current"],
                       "event-calendar": ["incomplete"]}
    out = score.to_dict()
    assert out["provisional"] is True and "official" in out["note"] and "ตารางคะแนน" in out["note_th"]
    assert out["total"] == 0
    # timeliness was measured for the rubric, as of the given date
    assert report.datasets[2].timeliness.band == 4 and report.datasets[0].timeliness.band == 0
    # each fix is ranked by its exact gain: any one of the three alone reaches 2 of 4 = 50 % → 50 points
    gains = {f.dataset: (float(f.gain), f.fix) for f in score.fix_first}
    assert gains["hotel-list"] == (50.0, "register it in GD Catalog")
    assert gains["guide-list"][0] == 50.0 and "update the data" in gains["guide-list"][1]
    assert gains["event-calendar"][0] == 50.0


def test_targets_and_steps_are_options():
    report = _report()
    _registered(report, ["tourism-stat", "hotel-list", "guide-list", "event-calendar"])
    loose = score_report(report, fy=2567, as_of=AS_OF, options={"open_standard_steps": ["complete", "registered"]})
    assert loose.item("open_standard").points == 75       # 3 of 4
    strict = score_report(report, fy=2567, as_of=AS_OF,
                          options={"share_targets": [80, 90, 100]})
    assert strict.item("open_standard").points == 0       # 2 of 4 = 50 % < 80 %
    late_ok = score_report(report, fy=2567, as_of=AS_OF, options={"current_max_band": 4})
    assert late_ok.item("open_standard").points == 75


def test_unknown_unit_is_not_current_and_no_update_unit_is():
    report = Report(datasets=[_ds("a", "ข้อมูลก", unit="ไม่ทราบ"),
                              _ds("b", "ข้อมูลข", unit="ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล", updated=None)])
    score = score_report(report, fy=2567, as_of=AS_OF, declarations={"gd_catalog_registered": "all"})
    assert [e.dataset for e in score.item("open_standard").lost_by] == ["a"]
    assert score.to_dict()["sources"]["gd_catalog"]["decided_by"] == "declaration"


def test_bad_targets_are_refused():
    with pytest.raises(ValueError, match="targets"):
        score_report(_report(), fy=2567, as_of=AS_OF, options={"share_targets": [90, 80, 100]})


def test_other_years_do_not_measure_timeliness():
    report = _report()
    score_report(report, fy=2566, catalog_url="https://catalog.tourism.go.th")
    assert all(d.timeliness is None for d in report.datasets)


def test_cli_scores_fy2567_with_provisional_note_and_number_targets(run_cli, tmp_path):
    from tests.conftest import EXAMPLES
    res = run_cli("score", EXAMPLES / "tourism-fy2566.xlsx", "--fy", "2567", "--as-of", "2569-11-30",
                  "-O", "share_targets=[40, 60, 80]", "--lang", "en")
    assert res.exit_code == 0, res.output
    assert "Provisional: the official FY2567 point table" in res.stdout and "open_standard" in res.stdout
    res_th = run_cli("score", EXAMPLES / "tourism-fy2566.xlsx", "--fy", "2567", "--as-of", "2026-11-30", "--lang", "th")
    assert "ผลชั่วคราว" in res_th.stdout
    bad = run_cli("score", EXAMPLES / "tourism-fy2566.xlsx", "--fy", "2567", "--as-of", "เมื่อวาน")
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_fixes_are_listed_even_when_one_alone_does_not_reach_the_next_target():
    report = Report(datasets=[_ds(f"ds-{i}", f"ชุดข้อมูลท่องเที่ยว {i}", updated="2024-01-31") for i in range(5)])
    score = score_report(report, fy=2567, as_of=AS_OF, declarations={"gd_catalog_registered": "all"})
    assert score.item("open_standard").points == 0
    fixes = [f for f in score.fix_first if f.item == "open_standard"]
    assert len(fixes) == 5 and all(f.gain == 0 for f in fixes) and "update the data" in fixes[0].fix
