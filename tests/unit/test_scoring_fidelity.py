"""Readings of the FY2565/FY2566 rubrics an auditor can defend (docs/scoring.md quotes the seeds).

Each test here failed before the reading was implemented: open-data points without a catalog,
a '?' taken for an API, the every-dataset gate, grade and weight, IMD and new datasets.
"""
from __future__ import annotations

import pytest

from catalog_tools.render.html import render_page as render_html
from catalog_tools.render.score_text import render_score_text
from catalog_tools.scoring import DeclarationsError, RubricError, load_declarations, score_report
from tests.conftest import FIXTURES
from tests.scoring_data import build_report, dataset_row, datasets, resource_row

CATALOG = "https://catalog.tourism.go.th"
WORKED = FIXTURES / "examples" / "opdc-worked-example.xlsx"


def _open_api_report(url: str = "https://api.tourism.go.th/api/visitors?province=เชียงใหม่", *, ckan: bool = False):
    rows = [dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", update_frequency_unit="วัน", geo_coverage="อำเภอ")]
    res = [resource_row("DataSet_11_01", "บริการข้อมูลนักท่องเที่ยว", "JSON", url)]
    return build_report(rows, res, ckan=ckan)


# -- 1. FY2565 open-data points need the agency catalog ---------------------------------------------
def test_fy2565_open_data_without_a_catalog_earns_nothing_and_says_why() -> None:
    report = _open_api_report()
    without = score_report(report, fy=2565)
    item = without.item("open_data")
    assert item.points == 0 and not item.met
    assert [e.to_dict() for e in item.lost_by] == [{"dataset": None, "missing": ["catalog_url"], "reasons": ["no_catalog_url"]}]
    catalog_fix = next(f for f in without.fix_first if "catalog URL" in f.fix)
    assert catalog_fix.gain == 22  # the catalog's own 10 points and the 12 open-data points it unlocks
    with_catalog = score_report(report, fy=2565, catalog_url=CATALOG)
    assert with_catalog.item("open_data").points == 12  # API by district, daily: intermediate
    unreachable = score_report(report, fy=2565, catalog_url=CATALOG, catalog_reachable=False).item("open_data")
    assert unreachable.points == 0 and unreachable.lost_by[0].reasons == ["catalog_unreachable"]
    # the earlier reading stays available as an option
    assert score_report(report, fy=2565, options={"open_data_requires_catalog": False}).item("open_data").points == 12


def test_fy2565_open_data_counts_only_datasets_known_to_be_on_the_catalog() -> None:
    rows = [dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด"), dataset_row(2, "รายได้จากการท่องเที่ยวรายจังหวัด")]
    res = [resource_row("DataSet_11_01", "นักท่องเที่ยว 2566", "CSV", f"{CATALOG}/dataset/v.csv"),
           resource_row("DataSet_11_02", "รายได้ 2566", "CSV", f"{CATALOG}/dataset/r.csv")]
    report = build_report(rows, res)
    # nothing says which datasets are on the catalog: a declared catalog is taken to hold them
    assert score_report(report, fy=2565, catalog_url=CATALOG).item("open_data").points == 6
    only_one = score_report(report, fy=2565, catalog_url=CATALOG, declarations={"uploaded": ["DataSet_11_01"]})
    item = only_one.item("open_data")
    assert item.points == 3  # (6 + 0) / 2
    lost = {e.dataset: e for e in item.lost_by}
    assert "not_uploaded" in lost["DataSet_11_02"].reasons
    assert "ไม่อยู่บนระบบบัญชีข้อมูลหน่วยงาน 1" in item.basis_th


# -- 2. "API" means an API ------------------------------------------------------------------------------
@pytest.mark.parametrize("url, access", [
    ("https://drive.google.com/uc?export=download&id=1aBcD_tourism2566", "basic"),  # a file download with a query
    ("https://www.dropbox.com/s/x7k/visitors-2566.csv?dl=1", "basic"),
    ("https://www.tourism.go.th/download.php?file=visitors-2566.csv", "basic"),  # no API shape
    ("https://data.tourism.go.th/api/download?file=visitors-2566.csv", "basic"),  # an API path, but 'file' picks a file
    ("https://api.tourism.go.th/api/visitors", "basic"),  # an API address but nothing selects data
    ("https://api.tourism.go.th/api/visitors?province=เชียงใหม่&year=2566", "advanced"),
    ("https://catalog.tourism.go.th/api/3/action/datastore_search?resource_id=7f1c", "advanced"),
    ("https://gis.tourism.go.th/arcgis/rest/services/poi/MapServer/0/query?where=province%3D50", "advanced"),
])
def test_api_access_needs_evidence_not_a_question_mark(url: str, access: str) -> None:
    rows = [dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด")]
    res = [resource_row("DataSet_11_01", "นักท่องเที่ยว 2566", "CSV", url)]
    result = score_report(build_report(rows, res), fy=2565, catalog_url=CATALOG)
    assert result.to_dict()["open_format"][0]["criteria"]["access"] == access


def test_api_evidence_from_format_resource_type_and_configurable_hints() -> None:
    drive = "https://drive.google.com/uc?export=download&id=1aBcD_tourism2566"
    rows = [dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด")]

    def access(fmt: str, url: str, options: dict | None = None, **extra: str) -> str:
        res = [resource_row("DataSet_11_01", "บริการข้อมูล", fmt, url, **extra)]
        result = score_report(build_report(rows, res), fy=2565, catalog_url=CATALOG, options=options)
        return str(result.to_dict()["open_format"][0]["criteria"]["access"])

    assert access("API", "https://service.tourism.go.th/visitors") == "advanced"  # the format says API
    assert access("JSON", "https://service.tourism.go.th/visitors", resource_type="api") == "advanced"
    # a site whose API lives under /v1/: add the hint
    v1 = "https://service.tourism.go.th/v1/visitors?province=50"
    assert access("JSON", v1) == "basic"
    hints = ["/v1/"]
    assert access("JSON", v1, {"api_url_hints": hints}) == "advanced"
    # drop 'id' … no: the Drive link stays a download because its address is not an API shape
    assert access("CSV", drive, {"api_url_hints": hints}) == "basic"


def _fy2566(count: int, incomplete: int = 0):
    """``count`` public datasets, each with a CSV resource (FY2566's resources gate is met)."""
    rows = datasets(count, incomplete=incomplete)
    res = [resource_row(r["id"], f"{r['title']} 2566", "CSV", f"{CATALOG}/dataset/{r['id'].lower()}.csv") for r in rows]
    return build_report(rows, res)


# -- 3. FY2566 every-dataset gate -------------------------------------------------------------------------
def test_every_dataset_gate_default_and_lenient_reading() -> None:
    report = _fy2566(7, incomplete=2)
    decl = {"uploaded": "all", "use_scope": 2, "dataset_list": True}
    strict = score_report(report, fy=2566, catalog_url=CATALOG, declarations=decl)
    assert not strict.basic and strict.total == 0
    assert strict.readings[0]["option"] == "every_dataset_gate" and strict.readings[0]["value"] is True
    lenient = score_report(report, fy=2566, catalog_url=CATALOG, declarations=decl, options={"every_dataset_gate": False})
    assert lenient.basic
    gate = lenient.item("metadata")
    assert gate.met and [e.dataset for e in gate.lost_by] == ["DataSet_11_06", "DataSet_11_07"]
    assert all("not_counted" in e.reasons for e in gate.lost_by)
    # the two incomplete datasets are out of the count: 15 × 5/5 uploaded
    assert lenient.item("catalog_upload").points == 15
    assert "every_dataset_gate: false" in render_score_text(lenient)
    assert "every_dataset_gate: false" in render_html(lenient, "score", lang="en")
    assert "every_dataset_gate: true" in render_score_text(strict, lang="th")


def test_lenient_gate_still_needs_five_complete_datasets() -> None:
    report = _fy2566(6, incomplete=2)
    result = score_report(report, fy=2566, catalog_url=CATALOG, declarations={"uploaded": "all"},
                          options={"every_dataset_gate": False})
    assert not result.basic
    assert "at least 5 complete" in result.item("metadata").basis
    # completing one of the two is the fix that reaches the basic level
    best = result.fix_first[0]
    assert best.dataset in ("DataSet_11_05", "DataSet_11_06") and best.gain > 0 and best.item == "metadata"


def test_every_dataset_gate_is_an_fy2566_option_only() -> None:
    with pytest.raises(RubricError):
        score_report(build_report(datasets(1), []), fy=2565, options={"every_dataset_gate": False})


# -- 4. grade and weight ----------------------------------------------------------------------------------
@pytest.mark.parametrize("total, key, th", [(100, "very_good", "ดีมาก"), (90, "very_good", "ดีมาก"),
                                            (89.99, "good", "ดี"), (60, "good", "ดี"), (59.99, "fair", "พอใช้"),
                                            (0, "fair", "พอใช้")])
def test_grade_bands(total: float, key: str, th: str) -> None:
    from fractions import Fraction

    from catalog_tools.scoring.result import grade
    assert grade(Fraction(str(total))) == {"key": key, "th": th, "en": key.replace("_", " ")}


def test_worked_example_grade_and_weight() -> None:
    from catalog_tools.validate import validate_paths
    report = validate_paths([str(WORKED)])
    result = score_report(report, fy=2565, catalog_url="https://catalog.opdc.go.th")
    d = result.to_dict()
    assert (result.item("metadata").points, result.level("standard").points) == (10, 20)  # the slides' 10.00/15, 20/25
    assert d["total"] == 70.0 and d["grade"] == {"key": "good", "th": "ดี", "en": "good"}
    assert d["weighted"] is None and d["weight"] is None
    weighted = score_report(report, fy=2565, catalog_url="https://catalog.opdc.go.th", options={"weight": 15}).to_dict()
    assert (weighted["weighted"], weighted["weighted_display"]) == (10.5, "10.50")  # 70 × 15 / 100
    declared = score_report(report, fy=2565, catalog_url="https://catalog.opdc.go.th", declarations={"weight": 15})
    assert declared.to_dict()["weighted"] == 10.5
    text = render_score_text(declared, lang="th")
    assert "ระดับผลการประเมิน: ดี" in text and "คะแนนถ่วงน้ำหนัก (น้ำหนัก 15): 10.50" in text
    html = render_html(declared, "score", lang="en")
    assert 'id="kpi-grade"' in html and "10.50" in html and "good" in html
    # -O weight wins over the declaration
    both = score_report(report, fy=2565, catalog_url="https://catalog.opdc.go.th", declarations={"weight": 15},
                        options={"weight": 10})
    assert both.to_dict()["weighted"] == 7.0


def test_bad_weights_are_one_line_errors() -> None:
    report = build_report(datasets(1), [])
    with pytest.raises(RubricError, match="weight"):
        score_report(report, fy=2566, options={"weight": "สิบห้า"})
    with pytest.raises(DeclarationsError, match="weight"):
        load_declarations({"weight": 150})


# -- 5. IMD datasets and datasets newly selected this year --------------------------------------------
def test_imd_datasets_come_in_addition_to_the_five() -> None:
    report = _fy2566(5)
    plain = score_report(report, fy=2566, catalog_url=CATALOG, declarations={"uploaded": "all"})
    assert plain.basic
    imd = score_report(report, fy=2566, catalog_url=CATALOG,
                       declarations={"uploaded": "all", "imd_datasets": ["DataSet_11_05"]})
    gate = imd.item("dataset_list")
    assert not gate.met and gate.basis == "4 datasets (+1 IMD datasets in addition); at least 5 required"
    assert gate.lost_by[0].needed == 1 and list(gate.lost_by[0].to_dict()) == ["dataset", "missing", "reasons", "needed"]


def test_continuing_agency_needs_a_newly_selected_dataset() -> None:
    report = build_report(datasets(3), [])
    decl = {"continuing_agency": True}
    result = score_report(report, fy=2565, catalog_url=CATALOG, declarations=decl)
    assert not result.basic and result.total == 0
    assert result.item("dataset_list").lost_by[0].reasons == ["no_new_datasets"]
    ok = score_report(report, fy=2565, catalog_url=CATALOG, declarations={**decl, "new_datasets": ["DataSet_11_03"]})
    assert ok.basic
    # FY2566 has no such condition
    assert score_report(_fy2566(5), fy=2566, catalog_url=CATALOG,
                        declarations={**decl, "uploaded": "all"}).basic
