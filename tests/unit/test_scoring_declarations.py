"""Declarations: what a program cannot see, read from YAML/JSON and checked."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from catalog_tools.scoring import DeclarationsError, load_declarations, load_rubric, normalise_scope, score_report
from tests.scoring_data import build_report, datasets, resource_row


def test_shipped_examples_load(tmp_path: Path) -> None:
    from tests.conftest import FIXTURES
    d = load_declarations(FIXTURES / "declarations" / "opdc-2565.yaml")
    assert d.fy == 2565 and d.focus_area == "ด้านการบริหารจัดการภาครัฐ" and d.dataset_list is True
    assert [u.dataset for u in d.utilization] == ["DataSet_22_01"]
    d2 = load_declarations(FIXTURES / "declarations" / "tourism-2566.yaml")
    assert d2.uploaded == "all" and d2.gd_catalog_registered[-1] == "DataSet_12_01"
    assert d2.open_format["DataSet_12_01"].level == "basic"
    as_json = tmp_path / "d.json"
    as_json.write_text(json.dumps(d2.to_dict(), ensure_ascii=False), encoding="utf-8")
    assert load_declarations(as_json).to_dict() == d2.to_dict()


@pytest.mark.parametrize("value, expected", [
    ("3. ด้านการท่องเที่ยว", "ด้านท่องเที่ยว"),  # variant label of the mapping table
    ("4. ด้านการมีรายได้และ การทำงาน", "ด้านการมีรายได้และการมีงานทำ"),
    ("การบริหารจัดการภาครัฐ", "ด้านการบริหารจัดการภาครัฐ"),
    ("ด้านเกษตร", "ด้านการเกษตร"),
    (9, "ด้านการบริหารจัดการภาครัฐ"),
    ("๒", "ด้านการเกษตร"),
])
def test_focus_area_variants_are_normalised(value: object, expected: str) -> None:
    scope = load_rubric(2565).scope
    assert normalise_scope(value, scope.values, scope.variants, "focus_area") == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("value, expected", [
    ("e-Service", "ชุดข้อมูลสนับสนุนการให้บริการประชาชน (e-Service)"),
    ("มติ ครม.", "การดำเนินงานตามนโยบายของรัฐบาล หรือมติ ครม."),
    ("สถิติทางการ", "สถิติทางการ (21 สาขา)"),
    (6, "ภารกิจหลักของหน่วยงาน"),
])
def test_use_scope_variants_are_normalised(value: object, expected: str) -> None:
    scope = load_rubric(2566).scope
    assert normalise_scope(value, scope.values, scope.variants, "use_scope") == expected  # type: ignore[arg-type]


def test_unknown_focus_area_is_an_error_with_the_list() -> None:
    report = build_report(datasets(2))
    with pytest.raises(DeclarationsError, match="focus_area 'ด้านอวกาศ' is not in the list; use a number 1-10") as info:
        score_report(report, fy=2565, declarations={"focus_area": "ด้านอวกาศ"})
    assert "ด้านความมั่นคง" in str(info.value)
    with pytest.raises(DeclarationsError, match="did you mean 'ด้านสิ่งแวดล้อม'"):
        score_report(report, fy=2565, declarations={"focus_area": "ด้านสิ่งแวคล้อม"})


@pytest.mark.parametrize("text, message", [
    # checks the schema cannot make: the nearest known key, a blank dataset id
    ("focus_areas: ด้านท่องเที่ยว\n", "at $.focus_areas: unknown declaration key 'focus_areas' (did you mean 'focus_area'?)"),
    ("utilization: [{dataset: ' ', evidence: dashboard}]\n",
     "at $.utilization[0].dataset: each utilization entry needs 'dataset' (a dataset id), not a blank"),
    # the shape of every value: the JSON Schema (schemas/files/declarations.schema.json)
    ("- a\n- b\n", "at $: ['a', 'b'] is not of type 'object'"),
    ("catalog_url: catalog.tourism.go.th\n", "at $.catalog_url: 'catalog.tourism.go.th' does not match"),
    ("catalog_url: catalog.tourism.go.th\n", "(expected an http(s) URL such as https://catalog.tourism.go.th)"),
    ("utilization: [{evidence: dashboard}]\n", "at $.utilization[0]: 'dataset' is a required property"),
    ("utilization: [{dataset: DataSet_11_01, evidence: dashboard, url: x}]\n",
     "at $.utilization[0]: Additional properties are not allowed ('url' was unexpected)"),
    ("open_format: {DataSet_11_01: {level: excellent}}\n",
     "at $.open_format.DataSet_11_01.level: 'excellent' is not one of ['none', 'basic', 'intermediate', 'advanced']"),
    ("open_format: {DataSet_11_01: excellent}\n", "(expected a level (none, basic, intermediate, advanced) or {level, reason})"),
    ("single_source_of_truth: {a: 1}\n", "at $.single_source_of_truth: {'a': 1} is not valid under any of the given schemas "
                                         "(expected dataset ids: a list, or one text with commas or new lines)"),
    ("uploaded: 5.5\n", "at $.uploaded: 5.5 is not valid under any of the given schemas (expected true (all), false, 'all', "
                        "or dataset ids)"),
    ("fy: สองห้าหก\n", "at $.fy: 'สองห้าหก' does not match"),
    ("fy: สองห้าหก\n", "(expected a Buddhist Era fiscal year such as 2566)"),
    ("weight: 150\n", "at $.weight: 150 is greater than the maximum of 100"),
    ("continuing_agency: ใช่\n", "at $.continuing_agency: 'ใช่' is not of type 'boolean', 'null'"),
    ("agency: [กรมการท่องเที่ยว]\n", "at $.agency: ['กรมการท่องเที่ยว'] is not of type 'string', 'number', 'null'"),
    ("focus_area: [\n", "cannot read declarations"),
])
def test_bad_declarations_fail_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "declarations.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DeclarationsError, match=re.escape(message)) as info:
        load_declarations(path)
    assert "\n" not in str(info.value) and "declarations.yaml" in str(info.value)


def test_declarations_given_as_a_mapping_are_checked_the_same_way() -> None:
    with pytest.raises(DeclarationsError, match=re.escape("declarations: at $.weight: 'สิบห้า' is not of type")):
        load_declarations({"weight": "สิบห้า"})


def test_missing_file() -> None:
    with pytest.raises(DeclarationsError, match="declarations file not found"):
        load_declarations("/nonexistent/declarations.yaml")


def test_declared_ids_are_matched_loosely_and_unknown_ids_warned() -> None:
    rows = datasets(5)
    report = build_report(rows, [resource_row(r["id"], r["title"], "CSV", f"https://catalog.tourism.go.th/{r['id']}.csv")
                                 for r in rows])
    result = score_report(report, fy=2566, catalog_url="https://catalog.tourism.go.th",
                          declarations={"uploaded": ["dataset_11_01", " DataSet_11_02 ", "DataSet_99_99"]})
    upload = result.item("catalog_upload")
    assert upload.basis == "2 of 5 datasets uploaded" and result.to_dict()["items"][3]["points"] == 6.0
    warning = next(w for w in result.warnings if w["code"] == "declared_unknown_dataset")
    assert "DataSet_99_99" in warning["message"] and "DataSet_99_99" in warning["message_th"]


def test_utilization_needs_a_public_complete_dataset_with_evidence() -> None:
    rows = datasets(3, incomplete=1)
    rows[1]["data_category"] = "ข้อมูลใช้ภายใน"
    rows[1]["license_id"] = "อื่นๆ: ใช้ภายในหน่วยงานเท่านั้น"
    report = build_report(rows)
    uses = [{"dataset": "DataSet_11_02", "evidence": "รายงานวิเคราะห์รายได้"},  # internal
            {"dataset": "DataSet_11_03", "evidence": "dashboard"},  # incomplete
            {"dataset": "DataSet_11_01", "evidence": ""}]  # no evidence
    item = score_report(report, fy=2565, declarations={"utilization": uses}).item("utilization")
    assert item.points == 0
    assert sorted(str(e.reason) for e in item.lost_by) == [
        "no evidence given", "not a public dataset", "not counted: not all 14 items complete"]
    uses.append({"dataset": "DataSet_11_01", "evidence": "Dashboard นักท่องเที่ยวรายจังหวัด"})
    assert score_report(report, fy=2565, declarations={"utilization": uses}).item("utilization").points == 5


def test_dataset_list_of_ids_scores_only_those_datasets() -> None:
    report = build_report(datasets(6, incomplete=2))
    result = score_report(report, fy=2565, declarations={"dataset_list": ["DataSet_11_01", "DataSet_11_02", "DataSet_11_05"]})
    assert result.item("metadata").basis == "2 of 3 datasets complete"
    assert result.to_dict()["items"][1]["points"] == 10.0
    assert any(w["code"] == "dataset_list_subset" for w in result.warnings)


def test_declared_false_dataset_list_fails_basic() -> None:
    d = score_report(build_report(datasets(2)), fy=2565, declarations={"dataset_list": False}).to_dict()
    assert d["levels"]["basic"] is False and d["total"] == 0.0


def test_require_declared_scope_option() -> None:
    report = build_report(datasets(2))
    assert score_report(report, fy=2565).basic is True
    assert score_report(report, fy=2565, options={"require_declared_scope": True}).basic is False
    declared = {"focus_area": "ด้านท่องเที่ยว", "dataset_list": True}
    assert score_report(report, fy=2565, declarations=declared, options={"require_declared_scope": True}).basic is True
