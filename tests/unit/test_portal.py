"""Whole portals: per-organisation counts, shares and each organisation's own score."""
from __future__ import annotations

import datetime as dt

from catalog_tools.gdcatalog import ExportIndex, apply_gd_catalog
from catalog_tools.model import DatasetResult, Report, Source
from catalog_tools.portal import add_stats, organisation_stats
from catalog_tools.results import OrgStats, OrgSummary
from catalog_tools.scoring import score_report
from catalog_tools.scoring.facts import is_current
from catalog_tools.timeliness import apply_timeliness

PUBLIC = "ข้อมูลสาธารณะ"


def _ds(name, org, org_title, *, complete=True, updated="2026-10-31", category=PUBLIC):
    values = {"data_category": category, "update_frequency_unit": "ปี", "last_updated_date": updated,
              "title": f"ชุดข้อมูล {name}"}
    ckan = {"name": name, "id": f"id-{name}", "organization": {"name": org, "title": org_title}}
    return DatasetResult(name, f"ชุดข้อมูล {name}", Source("https://catalog.example.go.th", ckan_id=name), complete,
                         14 if complete else 13, 14, values=values, ckan=ckan, failed_items=[] if complete else ["4"])


def test_two_organisations_each_with_its_own_score():
    report = Report(datasets=[
        _ds("tourism-stat", "dot", "กรมการท่องเที่ยว"),
        _ds("hotel-list", "dot", "กรมการท่องเที่ยว", updated="2023-01-01"),
        _ds("guide-list", "dot", "กรมการท่องเที่ยว", complete=False),
        _ds("staff", "dot", "กรมการท่องเที่ยว", category="ข้อมูลส่วนบุคคล"),
        _ds("sport-venues", "dsd", "กรมพลศึกษา"),
    ])
    apply_timeliness(report, dt.date(2026, 11, 30))
    apply_gd_catalog(report, public_category=PUBLIC,
                     export=ExportIndex([{"name": "gdpublish-tourism-stat"}, {"name": "gdpublish-sport-venues"}]))
    stats = organisation_stats(report, public_category=PUBLIC, current=lambda d: is_current(d, {}),
                               score=lambda sub: score_report(sub, fy=2567))
    dot, dsd = stats["dot"], stats["dsd"]
    assert (dot.open, dot.open_complete, dot.current, dot.registered) == (3, 2, 2, 1)
    assert dot.current_percent == 66.67 and dot.registered_percent == 33.33
    # FY2567: 1 of 3 dot open datasets meets every step (33 % < 50 %) → 0; dsd: 1 of 1 → 100
    assert dot.score is not None and dsd.score is not None
    assert dot.score["total"] == 0 and dot.score["grade"]["key"] == "fair"
    assert dsd.score["total"] == 100 and dsd.score["grade"] == {"key": "very_good", "th": "ดีมาก", "en": "very good"}
    assert dsd.score["total_display"] == "100.00"
    rows = add_stats([OrgSummary("dot", "กรมการท่องเที่ยว", datasets=4), OrgSummary("dsd", "กรมพลศึกษา", datasets=1)], stats)
    row = rows[0].to_dict()
    assert row["datasets"] == 4 and row["open"] == 3  # the table's own columns kept, the stats added after them
    assert list(row)[list(row).index("complete_percent") + 1:] == [
        "open", "open_complete", "current", "current_percent", "registered", "registered_percent", "score"]


def test_unmeasured_columns_are_null_not_zero():
    report = Report(datasets=[_ds("tourism-stat", "dot", "กรมการท่องเที่ยว")])
    stats = organisation_stats(report, public_category=PUBLIC, current=lambda d: False)
    assert stats["dot"].current is None and stats["dot"].registered_percent is None
    assert stats["dot"].score is None and "score" not in stats["dot"].to_dict()
    assert stats["dot"].to_dict()["current"] is None  # unmeasured shows as null in the JSON, not as 0


def test_organisations_csv_is_formula_safe_with_english_keys():
    import csv
    import io

    from catalog_tools.render import for_result
    from tests.outputs_data import audit_of

    row = OrgSummary("dot", "=HYPERLINK(\"http://evil\")", datasets=4, complete=3, complete_percent=75.0,
                     stats=OrgStats(open=3, open_complete=3, current=2, current_percent=66.67, registered=None,
                                    registered_percent=None,
                                    score={"total": 66.67, "grade": {"key": "good", "th": "ดี", "en": "good"}}))
    result = audit_of(Report(), [row])
    text = for_result("csv-orgs", result).fn(result)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0]["title"].startswith("'=") and rows[0]["grade_th"] == "ดี" and rows[0]["score_total"] == "66.67"
    assert rows[0]["registered"] == "" and rows[0]["current_percent"] == "66.67"
