"""KPI scoring: both rubrics, the official worked example and the edge cases, with exact numbers."""
from __future__ import annotations

from fractions import Fraction

import pytest

from catalog_tools.scoring import available_fiscal_years, round2, score_report
from catalog_tools.validate import validate_paths
from tests.scoring_data import build_report, dataset_row, datasets, resource_row

OPDC_URL = "https://catalog.opdc.go.th"


@pytest.fixture(scope="module")
def worked(request):  # type: ignore[no-untyped-def]
    from tests.conftest import EXAMPLES
    return validate_paths([str(EXAMPLES / "opdc-worked-example.xlsx")])


@pytest.fixture(scope="module")
def fy2566_report():  # type: ignore[no-untyped-def]
    from tests.conftest import EXAMPLES
    return validate_paths([str(EXAMPLES / "tourism-fy2566.xlsx")])


def test_three_rubrics_are_shipped() -> None:
    assert available_fiscal_years() == [2565, 2566, 2567]


# -- the official worked example (002:339-363) ------------------------------------------------------
def test_worked_example_metadata_is_10_of_15_and_standard_20_of_25(worked) -> None:  # type: ignore[no-untyped-def]
    result = score_report(worked, fy=2565, catalog_url=OPDC_URL)
    meta = result.item("metadata")
    assert meta.points == Fraction(10) and meta.max == 15
    assert meta.basis == "4 of 6 datasets complete"
    assert result.item("catalog").points == 10
    d = result.to_dict()
    assert d["levels"] == {"basic": True, "standard": 20.0, "advanced": 0.0}
    assert d["total"] == 70.0 and d["total_display"] == "70.00"
    lost = {e["dataset"]: e["missing"] for e in d["items"][1]["lost_by"]}
    assert lost == {"DataSet_12_02": ["maintainer_email"], "DataSet_21_01": ["tag_string", "license_id"]}
    assert [e["lost"] for e in d["items"][1]["lost_by"]] == [2.5, 2.5]


def test_worked_example_without_catalog_url_loses_the_10_points(worked) -> None:  # type: ignore[no-untyped-def]
    d = score_report(worked, fy=2565).to_dict()
    assert d["levels"]["standard"] == 10.0 and d["total"] == 60.0
    catalog = next(i for i in d["items"] if i["key"] == "catalog")
    assert catalog["points"] == 0.0 and catalog["lost_by"][0]["missing"] == ["catalog_url"]
    assert d["fix_first"][0] == {**d["fix_first"][0], "item": "catalog", "gain": 10.0}


def test_worked_example_fix_first_ranks_by_exact_gain(worked) -> None:  # type: ignore[no-untyped-def]
    d = score_report(worked, fy=2565, catalog_url=OPDC_URL).to_dict()
    gains = [f["gain"] for f in d["fix_first"]]
    assert gains == sorted(gains, reverse=True)
    # 5 for declaring use; 2.5 for each incomplete dataset (15/6); 1.0 for each complete dataset given a
    # resource file (6 points of the basic open level / 6 public datasets)
    assert gains == [5.0, 2.5, 2.5, 1.0, 1.0, 1.0, 1.0]
    by_ds = {f["dataset"]: f for f in d["fix_first"] if f["item"] == "metadata"}
    assert by_ds["DataSet_21_01"]["fields"] == ["tag_string", "license_id"]
    assert "license_id" in by_ds["DataSet_21_01"]["fix"] and "(item 6, 14)" in by_ds["DataSet_21_01"]["fix"]


# -- rounding ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, shown", [
    (Fraction(1005, 1000), "1.01"), (Fraction(5625, 1000), "5.63"), (Fraction(200, 3), "66.67"),
    (Fraction(10), "10.00"), (Fraction(1, 200), "0.01"), (Fraction(1, 201), "0.00"), (Fraction(-5625, 1000), "-5.63"),
])
def test_round2_is_exact_half_up(value: Fraction, shown: str) -> None:
    assert f"{round2(value):.2f}" == shown


def test_rounding_at_005_in_a_score() -> None:
    # 8 datasets, 3 complete: 15 x 3/8 = 5.625 exactly; half-up shows 5.63 (binary float rounding gives 5.62)
    assert round(5.625, 2) == 5.62
    result = score_report(build_report(datasets(8, incomplete=5)), fy=2565, catalog_url=OPDC_URL)
    meta = result.to_dict()["items"][1]
    assert result.item("metadata").points == Fraction(45, 8)
    assert meta["points"] == 5.63 and meta["points_display"] == "5.63"
    assert result.to_dict()["total"] == 65.63  # 50 + 5.625 + 10 = 65.625


# -- edge cases -----------------------------------------------------------------------------------------
def test_no_datasets_scores_zero() -> None:
    d = score_report(build_report([]), fy=2565, catalog_url=OPDC_URL).to_dict()
    assert d["levels"]["basic"] is False and d["total"] == 0.0
    assert d["items"][0]["basis"] == "no datasets in the input"
    assert d["items"][1]["points"] == 0.0 and d["items"][1]["basis"] == "no datasets to score"


def test_no_datasets_fy2566_scores_zero_without_crashing() -> None:
    """An empty catalog (e.g. an audit of an organization with nothing published)."""
    d = score_report(build_report([]), fy=2566, catalog_url=OPDC_URL).to_dict()
    assert d["levels"]["basic"] is False and d["total"] == 0.0
    assert all(f.get("dataset") is None for f in d["fix_first"])


def test_all_incomplete_fy2565() -> None:
    result = score_report(build_report(datasets(4, incomplete=4)), fy=2565, catalog_url=OPDC_URL)
    d = result.to_dict()
    assert d["items"][1]["points"] == 0.0 and d["items"][1]["basis"] == "0 of 4 datasets complete"
    assert d["levels"] == {"basic": True, "standard": 10.0, "advanced": 0.0} and d["total"] == 60.0
    assert [f["gain"] for f in d["fix_first"] if f["item"] == "metadata"] == [3.75] * 4  # 15 / 4 each
    assert all(e["missing"] == ["maintainer_email"] for e in d["items"][1]["lost_by"])


def test_all_incomplete_fy2566_fails_basic_and_the_grouped_fix_shows_the_gain() -> None:
    rows = datasets(5, incomplete=5)
    res = [resource_row(r["id"], r["title"], "CSV", f"https://catalog.tourism.go.th/{r['id']}.csv") for r in rows]
    d = score_report(build_report(rows, res), fy=2566, catalog_url="https://catalog.tourism.go.th",
                     declarations={"uploaded": "all", "gd_catalog_registered": "all"}).to_dict()
    assert d["levels"]["basic"] is False and d["total"] == 0.0
    meta_gate = next(i for i in d["items"] if i["key"] == "metadata")
    assert meta_gate["met"] is False and len(meta_gate["lost_by"]) == 5
    grouped = next(f for f in d["fix_first"] if f["item"] == "metadata")
    # completing all five: basic 50 + upload 15 + GD 10 + open (5 x 6 points / 5 = 6)
    assert grouped["gain"] == 81.0 and grouped["dataset"] is None


def _four_good_datasets():  # type: ignore[no-untyped-def]
    rows = datasets(4)
    res = [resource_row(r["id"], r["title"], "CSV", f"https://catalog.tourism.go.th/{r['id']}.csv") for r in rows]
    return build_report(rows, res)


FULL_2566 = {"use_scope": "e-Service", "uploaded": "all", "gd_catalog_registered": "all"}


def test_fy2566_with_four_datasets_fails_basic() -> None:
    d = score_report(_four_good_datasets(), fy=2566, catalog_url="https://catalog.tourism.go.th",
                     declarations=FULL_2566).to_dict()
    first = d["items"][0]
    assert first["key"] == "dataset_list" and first["met"] is False
    assert first["basis"] == "4 datasets; at least 5 required"
    assert d["levels"] == {"basic": False, "standard": 25.0, "advanced": 6.0} and d["total"] == 0.0
    add = d["fix_first"][0]
    # one more (empty) dataset: 50 + upload 15 x 4/5 + GD 10 + open 4 x 6 / 5
    assert add["item"] == "dataset_list" and add["gain"] == 76.8


def test_fy2566_below_minimum_prorated_by_option() -> None:
    d = score_report(_four_good_datasets(), fy=2566, catalog_url="https://catalog.tourism.go.th",
                     declarations=FULL_2566, options={"below_min_datasets": "prorate"}).to_dict()
    assert d["levels"]["basic"] is True
    upload = next(i for i in d["items"] if i["key"] == "catalog_upload")
    assert upload["points"] == 12.0 and upload["basis"] == "4 of 4 datasets uploaded (+1 missing to reach 5)"
    assert d["total"] == 50 + 12 + 10 + 4.8


def test_missing_declarations_fy2566(fy2566_report) -> None:  # type: ignore[no-untyped-def]
    d = score_report(fy2566_report, fy=2566).to_dict()
    assert d["levels"]["basic"] is True
    pts = {i["key"]: i["points"] for i in d["items"]}
    # open: 6 + 6 + 12 + 6 + 20 + 0 = 50 over 6 datasets = 8.333…
    assert pts == {"dataset_list": 0.0, "metadata": 0.0, "resources": 0.0, "catalog_upload": 0.0, "gd_catalog": 0.0,
                   "open_quality": 8.33, "utilization": 0.0}
    assert d["total"] == 58.33
    assert {w["code"] for w in d["warnings"]} == {"scope_not_declared"}
    upload = next(i for i in d["items"] if i["key"] == "catalog_upload")
    assert upload["basis"] == "no catalog URL given"


def test_fy2566_with_declarations(fy2566_report) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import FIXTURES
    result = score_report(fy2566_report, fy=2566, declarations=FIXTURES / "declarations" / "tourism-2566.yaml")
    d = result.to_dict()
    pts = {i["key"]: i["points"] for i in d["items"] if i["kind"] != "gate"}
    assert pts == {"catalog_upload": 15.0, "gd_catalog": 8.0, "open_quality": 9.33, "utilization": 5.0}
    assert result.item("open_quality").points == Fraction(56, 6)
    assert d["levels"] == {"basic": True, "standard": 23.0, "advanced": 14.33}
    assert d["total"] == 87.33
    levels = {r["dataset"]: (r["level"], r["source"]) for r in d["open_format"]}
    assert levels == {"DataSet_11_01": ("intermediate", "computed"), "DataSet_11_02": ("basic", "computed"),
                      "DataSet_11_03": ("intermediate", "computed"), "DataSet_12_01": ("basic", "declared"),
                      "DataSet_12_02": ("advanced", "computed"), "DataSet_13_01": ("none", "computed")}
    assert d["fix_first"][0]["dataset"] == "DataSet_12_02" and d["fix_first"][0]["gain"] == 2.0


@pytest.mark.parametrize("options, total", [
    ({}, 87.33),
    ({"open_format_scope": "open"}, 89.2),  # 56 points over the 5 public datasets = 11.2
    ({"advanced_requires_standard": True}, 73.0),  # standard 23 < 25: advanced 14.33 not counted
    ({"total_mode": "points_only"}, 37.33),
    ({"gd_catalog_aggregation": "all_or_nothing"}, 79.33),
    ({"open_format_aggregation": "minimum"}, 78.0),  # the weakest dataset (none) sets the level
])
def test_rubric_options_change_the_result(fy2566_report, options, total) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import FIXTURES
    d = score_report(fy2566_report, fy=2566, declarations=FIXTURES / "declarations" / "tourism-2566.yaml",
                     options=options).to_dict()
    assert d["total"] == total
    assert d["options"] == {**d["options"], **options}


def test_incomplete_dataset_earns_no_open_points_unless_option() -> None:
    rows = [dataset_row(1, "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด", maintainer_email=None)]
    res = [resource_row("DataSet_11_01", "นักท่องเที่ยว 2566", "CSV", "https://catalog.tourism.go.th/v.csv")]
    report = build_report(rows, res)
    url = "https://catalog.tourism.go.th"
    assert score_report(report, fy=2565, catalog_url=url).item("open_data").points == 0
    assert score_report(report, fy=2565, catalog_url=url, options={"count_incomplete_datasets": True}).item("open_data").points == 6
