"""Template 1 (the dataset list tied to a Focus Area): read, checked against Template 2, scored, generated."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.dataset_list import focus_areas, scope_of
from catalog_tools.loaders.template1 import split_agencies
from catalog_tools.options import ValidationOptions
from catalog_tools.scoring import load_rubric, score_report
from catalog_tools.template import LISTS_SHEET, build_template, write_template
from catalog_tools.validate import validate_paths
from tests.outputs_data import fill_template
from tests.template1_data import FIELDS, HEADER, MISSION, PROCESS, SUB, TITLES, seed_shape_workbook, workbook

OPDC_URL = "https://catalog.opdc.go.th"


def _decided(score: dict) -> dict[str, str]:
    """What decided the list and the scope (``sources`` also says what decided GD Catalog registration)."""
    return {k: v["decided_by"] for k, v in score["sources"].items() if k != "gd_catalog"}


def _codes(report) -> list[tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    return sorted((f.code, f.location) for f in report.iter_findings())


# -- reading ---------------------------------------------------------------------------------------
def test_worked_example_template1_is_the_opdc_sample(examples: Path) -> None:
    report = validate_paths([str(examples / "opdc-worked-example.xlsx")])
    (dl,) = report.dataset_lists
    assert dl.values["focus_area"] == "ด้านการบริหารจัดการภาครัฐ" and dl.scope == "ด้านการบริหารจัดการภาครัฐ"
    assert dl.values["issue"] == "การขับเคลื่อน e-Service ในภาครัฐ"
    assert dl.values["agencies"] == ["สำนักงาน ก.พ.ร.", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"]
    assert dl.cells == {"focus_area": "Template 1!B1", "issue": "Template 1!B2", "goal": "Template 1!B3",
                        "agencies": "Template 1!B4"}
    assert [e.id for e in dl.entries] == ["DataSet_11_01", "DataSet_11_02", "DataSet_12_01", "DataSet_12_02",
                                          "DataSet_21_01", "DataSet_22_01"]
    assert [e.subprocess for e in dl.entries] == ["1.1.1 Biz Portal"] * 2 + ["1.2.1 Citizen Portal"] * 2 + [
        "2.1.1 PMQA 4.0", "2.2.1 การประเมินส่วนราชการ"]
    # the mission cell is merged over four rows: it carries down, then the next mission starts
    assert {e.mission for e in dl.entries[:4]} == {"1. ภารกิจด้านพัฒนาการให้บริการประชาชน"}
    assert {e.mission for e in dl.entries[4:]} == {"2. ภารกิจเพิ่มประสิทธิภาพการบริหารจัดการ"}
    assert dl.entries[3].id_cell == "Template 1!D10" and dl.entries[3].title_cell == "Template 1!E10"
    assert all(e.matched == e.id for e in dl.entries)
    # the list agrees with Template 2: only the three missing items of the slides are reported
    assert {f.code for f in report.iter_findings()} == {"required"}


def test_carry_down_resets_the_process_under_a_new_mission(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_11_01", TITLES["DataSet_11_01"]],
            ["2. ภารกิจด้านรายได้จากการท่องเที่ยว", None, None, "DataSet_11_02", TITLES["DataSet_11_02"]]]
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", rows=rows))])
    first, second = report.dataset_lists[0].entries
    assert (first.mission, first.process, first.subprocess) == (MISSION, PROCESS, SUB)
    assert (second.mission, second.process, second.subprocess) == ("2. ภารกิจด้านรายได้จากการท่องเที่ยว", None, None)


def test_seed_shape_labels_in_their_cells_no_id_column_bullets(tmp_path: Path) -> None:
    report = validate_paths([str(seed_shape_workbook(tmp_path / "seed.xlsx"))])
    (dl,) = report.dataset_lists
    assert dl.source.sheet == "ชื่อชุดข้อมูล" and not dl.has_id_column
    assert dl.values["focus_area"] == "ด้านท่องเที่ยว" and dl.values["goal"] == "วางแผนส่งเสริมการท่องเที่ยวรายจังหวัด"
    assert dl.values["agencies"] == ["สำนักงานปลัดกระทรวงการท่องเที่ยวและกีฬา", "การท่องเที่ยวแห่งประเทศไทย"]
    # "1. ภารกิจด้านนโยบาย… | - | - | -" lists nothing; the bulleted cell lists two datasets
    assert [(e.title, e.title_cell, e.matched) for e in dl.entries] == [
        (TITLES["DataSet_11_01"], "ชื่อชุดข้อมูล!D10", "DataSet_11_01"),
        (TITLES["DataSet_11_02"], "ชื่อชุดข้อมูล!D10", "DataSet_11_02"),
        (TITLES["DataSet_12_01"], "ชื่อชุดข้อมูล!D11", "DataSet_12_01")]
    assert _codes(report) == [("list_matched_by_title", "ชื่อชุดข้อมูล!8:8")]


def test_labels_in_odd_places_value_below_and_merged_label(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from tests.template1_data import T2_HEADER, t2_rows

    wb = Workbook()
    ws = wb.active
    ws.title = "Temp1_Dataset"
    ws["C3"] = "Focus Area ที่เกี่ยวข้อง"
    ws.merge_cells("C3:D3")  # the label merged over two columns: its value is the next cell
    ws["E3"] = "9"
    ws["C4"] = "ประเด็นการดำเนินงานภายใต้ Focus Area"
    ws["C5"] = "การลดขั้นตอนการอนุญาตธุรกิจนำเที่ยว"  # the value under its label
    ws["C6"] = "3) เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์: ติดตามใบอนุญาตที่หมดอายุ"
    ws["C7"] = "หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์"
    ws["D7"] = "กรมการท่องเที่ยว, สำนักงานตำรวจแห่งชาติ; การท่องเที่ยวแห่งประเทศไทย"
    for c, text in enumerate(["ชุดข้อมูล", "รหัสชุดข้อมูล", "กระบวนการทำงานย่อย", "กระบวนการทำงานหลัก", "ภารกิจ"], start=2):
        ws.cell(10, c, text)  # columns in another order, from column B
    ws.append([None, TITLES["DataSet_12_01"], "DataSet_12_01", "1.1.1 ใบอนุญาต", "1.1 กำกับธุรกิจ", "1. ภารกิจกำกับดูแล"])
    t2 = wb.create_sheet("Template 2")
    t2.append(T2_HEADER)
    for r in t2_rows(["DataSet_12_01"]):
        t2.append(r)
    path = tmp_path / "odd.xlsx"
    wb.save(path)
    report = validate_paths([str(path)])
    (dl,) = report.dataset_lists
    assert dl.values == {"focus_area": "9", "issue": "การลดขั้นตอนการอนุญาตธุรกิจนำเที่ยว",
                         "goal": "ติดตามใบอนุญาตที่หมดอายุ",
                         "agencies": ["กรมการท่องเที่ยว", "สำนักงานตำรวจแห่งชาติ", "การท่องเที่ยวแห่งประเทศไทย"]}
    assert dl.cells == {"focus_area": "Temp1_Dataset!E3", "issue": "Temp1_Dataset!C5", "goal": "Temp1_Dataset!C6",
                        "agencies": "Temp1_Dataset!D7"}
    assert dl.scope == "ด้านการบริหารจัดการภาครัฐ"  # "9" is the ninth Focus Area
    (e,) = dl.entries
    assert (e.id, e.mission, e.process, e.id_cell) == ("DataSet_12_01", "1. ภารกิจกำกับดูแล", "1.1 กำกับธุรกิจ",
                                                         "Temp1_Dataset!C11")
    assert _codes(report) == []


def test_blank_template1_is_not_a_list_and_not_reported(tmp_path: Path) -> None:
    path = fill_template(tmp_path / "filled.xlsx", "opdc")
    report = validate_paths([str(path)])
    assert report.dataset_lists == [] and _codes(report) == []


def test_template2_sheets_are_not_mistaken_for_template1(examples: Path) -> None:
    report = validate_paths([str(examples / "tourism-messy.xlsx"), str(examples / "nso-gd-catalog-import.xlsx")])
    assert report.dataset_lists == [] and report.summary()["datasets"] == 8
    assert not any(f.code == "not_in_dataset_list" for f in report.iter_findings())


@pytest.mark.parametrize("text, agencies", [
    ("สำนักงาน ก.พ.ร.\nสำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", ["สำนักงาน ก.พ.ร.", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"]),
    ("(1) สำนักงาน ก.พ.ร. (2) สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", ["สำนักงาน ก.พ.ร.", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"]),
    ("กรมการท่องเที่ยว, ททท.", ["กรมการท่องเที่ยว", "ททท."]),
    ("• กรมการท่องเที่ยว\n- ททท.\n-", ["กรมการท่องเที่ยว", "ททท."]),
    ("", []),
])
def test_agencies_one_per_line_comma_or_numbered(text: str, agencies: list[str]) -> None:
    assert split_agencies(text) == agencies


# -- checks ----------------------------------------------------------------------------------------
def test_submission_with_templates_1_2_3_names_every_mismatch_by_cell(examples: Path) -> None:
    report = validate_paths([str(examples / "tourism-template1-2-3.xlsx")])
    found = {(f.code, f.location, f.severity) for f in report.iter_findings()}
    assert found == {
        ("listed_without_metadata", "Template 1!D9", "error"),  # DataSet_11_04 has no Template 2 row
        ("list_duplicate_id", "Template 1!D10", "error"),  # DataSet_11_01 again
        ("list_title_mismatch", "Template 1!E8", "warning"),  # another title for DataSet_11_02
        ("not_in_dataset_list", "Template 2!A7", "warning"),  # DataSet_11_03 is in no list
    }
    by_code = {f.code: f for f in report.iter_findings()}
    assert by_code["list_title_mismatch"].suggestion == "รายได้จากการท่องเที่ยวรายจังหวัด"
    assert "Did you mean 'รายได้จากการท่องเที่ยวรายจังหวัด'?" in by_code["list_title_mismatch"].message
    assert "rows 7, 10" in by_code["list_duplicate_id"].message and "แถวที่ 7, 10" in by_code["list_duplicate_id"].message_th
    assert by_code["listed_without_metadata"].value == "DataSet_11_04"
    assert by_code["not_in_dataset_list"].dataset == "DataSet_11_03"
    d = report.to_dict()
    assert [e["matched"] for e in d["dataset_lists"][0]["datasets"]] == [
        "DataSet_11_01", "DataSet_11_02", None, "DataSet_11_01"]
    # the mission is merged over all four rows; the process of row 9 carries down to row 10
    assert [e["process"] for e in d["dataset_lists"][0]["datasets"]] == [
        "1.1 จัดเก็บและเผยแพร่สถิตินักท่องเที่ยว"] * 2 + ["1.2 พัฒนาข้อมูลแหล่งท่องเที่ยว"] * 2


@pytest.mark.parametrize("value, scope", [
    ("ด้านการบริหารจัดการภาครัฐ", "ด้านการบริหารจัดการภาครัฐ"),
    ("9", "ด้านการบริหารจัดการภาครัฐ"),
    ("๙", "ด้านการบริหารจัดการภาครัฐ"),
    ("9. ด้านการบริหารจัดการ ภาครัฐ", "ด้านการบริหารจัดการภาครัฐ"),
    ("3. ด้านการท่องเที่ยว", "ด้านท่องเที่ยว"),
    ("4. ด้านการมีรายได้และ การทำงาน", "ด้านการมีรายได้และการมีงานทำ"),
])
def test_focus_area_numbered_or_not_and_the_known_variants(tmp_path: Path, value: str, scope: str) -> None:
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", fields=[value, *FIELDS[1:]]))])
    assert report.dataset_lists[0].scope == scope
    assert report.dataset_lists[0].scope_kind == "focus_area"
    assert _codes(report) == []


def test_focus_area_variants_come_from_the_rubric_file() -> None:
    rubric = load_rubric(2565)
    assert focus_areas() == rubric.scope.values and len(focus_areas()) == 10
    for variant, official in rubric.scope.variants.items():
        assert scope_of(variant)[1] == official


def test_fy2566_use_scope_is_accepted_as_the_list_scope(tmp_path: Path) -> None:
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", fields=["e-Service", *FIELDS[1:]]))])
    dl = report.dataset_lists[0]
    assert dl.scope_kind == "use_scope" and dl.scope == "ชุดข้อมูลสนับสนุนการให้บริการประชาชน (e-Service)"
    assert _codes(report) == []


@pytest.mark.parametrize("value, location, suggestion", [
    ("ด้านการท่องเทียว ภาคใต้", "Template 1!B1", "ด้านท่องเที่ยว"),
    ("ด้านกีฬาและนันทนาการ", "Template 1!B1", None),
    (None, "Template 1!B1", None),
    ("11", "Template 1!B1", None),
])
def test_focus_area_not_one_of_the_10_is_an_error_at_its_cell(tmp_path: Path, value, location, suggestion) -> None:
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", fields=[value, *FIELDS[1:]]))])
    (f,) = report.iter_findings()
    assert (f.code, f.severity, f.location, f.suggestion) == ("focus_area_invalid", "error", location, suggestion)
    assert "10" in f.message and "10 Focus Area" in f.message_th
    assert report.dataset_lists[0].scope is None


def test_blank_header_fields_are_warned_where_they_belong(tmp_path: Path) -> None:
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", fields=[FIELDS[0], "", None, "-"]))])
    assert _codes(report) == [("list_field_missing", "Template 1!B2"), ("list_field_missing", "Template 1!B3"),
                              ("list_field_missing", "Template 1!B4")]


def test_id_missing_in_a_row_matches_by_title_with_a_warning(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_11_01", TITLES["DataSet_11_01"]],
            [None, None, None, None, TITLES["DataSet_11_02"]]]
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", rows=rows))])
    assert _codes(report) == [("list_no_id", "Template 1!D8")]
    assert report.dataset_lists[0].entries[1].matched == "DataSet_11_02"


def test_listed_dataset_without_metadata_suggests_a_near_id(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_11_01", TITLES["DataSet_11_01"]],
            [None, None, None, "Dataset_11_2", TITLES["DataSet_11_02"]]]
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", rows=rows))])
    found = {f.code: f for f in report.iter_findings()}
    assert set(found) == {"listed_without_metadata", "not_in_dataset_list"}
    assert found["listed_without_metadata"].location == "Template 1!D8"
    assert found["listed_without_metadata"].suggestion == "DataSet_11_02"
    assert "row 8" in found["listed_without_metadata"].message
    assert found["not_in_dataset_list"].location == "Template 2!A3"


def test_ids_unique_across_two_template1_sheets(tmp_path: Path) -> None:
    from openpyxl import load_workbook as load

    path = workbook(tmp_path / "t1.xlsx")
    wb = load(path)
    ws = wb.copy_worksheet(wb["Template 1"])
    ws.title = "Template 1 (2)"
    for r in range(8, 9):
        ws.delete_rows(r)
    wb.save(path)
    report = validate_paths([str(path)])
    assert len(report.dataset_lists) == 2
    dups = [f for f in report.iter_findings() if f.code == "list_duplicate_id"]
    assert [(f.location, f.value) for f in dups] == [("Template 1 (2)!D7", "DataSet_11_01")]


def test_ignore_leaves_the_codes_out(tmp_path: Path, examples: Path) -> None:
    options = ValidationOptions.from_mapping({}, ignore=("not_in_dataset_list", "list_duplicate_id"))
    report = validate_paths([str(examples / "tourism-template1-2-3.xlsx")], options=options)
    assert {f.code for f in report.iter_findings()} == {"listed_without_metadata", "list_title_mismatch"}


# -- scoring ---------------------------------------------------------------------------------------
def test_worked_example_scores_from_template1_and_still_10_of_15_and_20_of_25(examples: Path) -> None:
    result = score_report(validate_paths([str(examples / "opdc-worked-example.xlsx")]), fy=2565, catalog_url=OPDC_URL)
    d = result.to_dict()
    assert _decided(d) == {"dataset_list": "template1", "focus_area": "template1"}
    assert d["sources"]["focus_area"]["value"] == "ด้านการบริหารจัดการภาครัฐ"
    assert d["items"][1]["points_display"] == "10.00" and d["levels"]["standard"] == 20.0 and d["total"] == 70.0
    gate = d["items"][0]
    assert gate["met"] and gate["basis"] == "6 datasets listed in Template 1 (scope: ด้านการบริหารจัดการภาครัฐ)"
    assert not any(w["code"] == "scope_not_declared" for w in d["warnings"])


def test_datasets_outside_the_list_are_left_out_and_named_in_lost_by(examples: Path) -> None:
    result = score_report(validate_paths([str(examples / "tourism-template1-2-3.xlsx")]), fy=2565,
                          catalog_url="https://catalog.tourism.go.th")
    d = result.to_dict()
    gate, meta = d["items"][0], d["items"][1]
    assert gate["met"] and gate["lost_by"] == [{"dataset": "DataSet_11_03", "title": "ทะเบียนธุรกิจนำเที่ยวและมัคคุเทศก์",
                                                "missing": [], "reasons": ["not_in_dataset_list"]}]
    # 11_01 and 11_02 complete; 11_04 is listed without metadata, so it counts as incomplete: 15 x 2/3
    assert meta["basis"] == "2 of 3 datasets complete" and meta["points"] == 10.0
    assert [(e["dataset"], e["reasons"]) for e in meta["lost_by"]] == [("DataSet_11_04", ["incomplete", "no_metadata"])]
    fix = next(f for f in d["fix_first"] if f["dataset"] == "DataSet_11_04")
    assert fix["gain"] == 5.0 and "Template 2 metadata" in fix["fix"]
    assert "DataSet_11_03" not in {r["dataset"] for r in d["open_format"]}
    assert _decided(d) == {"dataset_list": "template1", "focus_area": "template1"}
    assert d["sources"]["focus_area"]["value"] == "ด้านท่องเที่ยว"  # "3. ด้านการท่องเที่ยว", normalised
    assert {w["code"] for w in d["warnings"]} >= {"dataset_list_subset", "listed_without_metadata"}


def test_declarations_still_override_template1(examples: Path) -> None:
    report = validate_paths([str(examples / "tourism-template1-2-3.xlsx")])
    d = score_report(report, fy=2565, declarations={"dataset_list": True, "focus_area": 3}).to_dict()
    assert _decided(d) == {"dataset_list": "declaration", "focus_area": "declaration"}
    assert d["items"][0]["lost_by"] == [] and d["summary"]["datasets"] == 3  # the three Template 2 datasets
    d = score_report(report, fy=2565, declarations={"dataset_list": ["DataSet_11_01"]}).to_dict()
    assert _decided(d) == {"dataset_list": "declaration", "focus_area": "template1"}
    assert [e["dataset"] for e in d["items"][0]["lost_by"]] == ["DataSet_11_02", "DataSet_11_03"]


def test_a_list_of_only_unknown_datasets_fails_the_basic_level(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_19_01", "สถิติผู้เยี่ยมเยือนอุทยาน"]]
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", rows=rows, t2_ids=["DataSet_11_01"]))])
    d = score_report(report, fy=2565).to_dict()
    assert d["levels"]["basic"] is True  # the listed dataset counts (with no metadata) ...
    assert d["items"][1]["points"] == 0.0 and d["items"][1]["basis"] == "0 of 1 datasets complete"
    assert [e["dataset"] for e in d["items"][0]["lost_by"]] == ["DataSet_11_01"]  # ... the unlisted one does not


def test_empty_list_fails_the_basic_level(tmp_path: Path) -> None:
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", rows=[]))])
    assert ("list_empty", "Template 1!6:6") in _codes(report)
    d = score_report(report, fy=2565).to_dict()
    assert d["levels"]["basic"] is False and d["total"] == 0.0
    assert d["items"][0]["basis"] == "none of the 2 datasets read is in the dataset list"


def test_fy2566_scoring_with_a_focus_area_list_says_it_is_not_used(tmp_path: Path) -> None:
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx"))])
    d = score_report(report, fy=2566).to_dict()
    assert _decided(d) == {"dataset_list": "template1"}  # no use scope: left out of sources
    assert {"template1_scope_other", "scope_not_declared"} <= {w["code"] for w in d["warnings"]}


def test_score_text_says_which_source_decided(run_cli, examples: Path) -> None:
    out = run_cli("score", examples / "opdc-worked-example.xlsx", "--fy", "2565", "--lang", "en").stdout
    assert "Dataset list from: Template 1\nFocus Area from: Template 1 (ด้านการบริหารจัดการภาครัฐ)" in out
    out = run_cli("score", examples / "opdc-worked-example.xlsx", "--fy", "2565", "--lang", "th").stdout
    assert "รายชื่อชุดข้อมูลจาก: Template 1\nFocus Area จาก: Template 1 (ด้านการบริหารจัดการภาครัฐ)" in out


# -- the template command ---------------------------------------------------------------------------
def test_template_has_a_template1_sheet_with_the_focus_area_dropdown() -> None:
    wb = build_template("opdc", "2.2", rows=5)
    assert wb.sheetnames == ["Template 1", "Template 2", "Template 3", LISTS_SHEET]
    ws = wb["Template 1"]
    assert [ws.cell(r, 1).value for r in range(1, 5)] == [
        "1. Focus Area ที่เกี่ยวข้อง", "2. ประเด็นการดำเนินงานภายใต้ Focus Area", "3. เป้าหมายการนำชุดข้อมูลไปใช้ประโยชน์",
        "4. หน่วยงานที่คาดว่าจะนำชุดข้อมูลไปใช้ประโยชน์"]
    assert [c.value for c in ws[6]] == HEADER
    (dv,) = ws.data_validations.dataValidation
    assert str(dv.sqref) == "B1" and dv.type == "list"
    sheet, rng = dv.formula1.lstrip("=").split("!")
    first, last = rng.replace("$", "").split(":")
    values = [c.value for row in wb[sheet][first:last] for c in row]
    assert values == list(load_rubric(2565).scope.values)
    assert ws.column_dimensions["D"].number_format == "@"  # ids stay text


def test_nso_layout_has_no_template1_sheet() -> None:
    assert "Template 1" not in build_template("nso", "2.2", rows=2).sheetnames


def _fill_template1(path: Path, ids_titles: list[tuple[str, str]]) -> Path:
    wb = load_workbook(path)
    ws = wb["Template 1"]
    for r, value in enumerate(["9. ด้านการบริหารจัดการภาครัฐ", "การพัฒนาบริการนักท่องเที่ยวแบบดิจิทัล",
                               "วางแผนการให้บริการข้อมูลนักท่องเที่ยว", "กรมการท่องเที่ยว\nสำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)"],
                              start=1):
        ws.cell(r, 2, value)
    for n, (ds_id, title) in enumerate(ids_titles):
        ws.append([MISSION if n == 0 else None, PROCESS if n == 0 else None, SUB if n == 0 else None, ds_id, title])
    wb.save(path)
    return path


def test_round_trip_filled_template1_2_3_validates_and_scores_as_one_submission(tmp_path: Path) -> None:
    path = fill_template(tmp_path / "filled.xlsx", "opdc")
    _fill_template1(path, [("DataSet_11_01", "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด")])
    report = validate_paths([str(path)])
    assert _codes(report) == []
    (dl,) = report.dataset_lists
    assert dl.entries[0].matched == "DataSet_11_01" and dl.scope == "ด้านการบริหารจัดการภาครัฐ"
    d = score_report(report, fy=2565).to_dict()
    assert _decided(d) == {"dataset_list": "template1", "focus_area": "template1"} and d["items"][1]["points"] == 15.0


def test_round_trip_catches_a_list_that_disagrees(tmp_path: Path) -> None:
    path = fill_template(tmp_path / "filled.xlsx", "opdc")
    _fill_template1(path, [("DataSet_11_10", "จำนวนนักท่องเที่ยวชาวไทยรายจังหวัด")])
    report = validate_paths([str(path)])
    assert _codes(report) == [("listed_without_metadata", "Template 1!D7"), ("not_in_dataset_list", "Template 2!A4")]


def test_write_template_then_validate_blank_reports_no_template1_findings(tmp_path: Path) -> None:
    out = write_template(tmp_path / "แม่แบบ.xlsx", "opdc")
    report = validate_paths([str(out)])
    assert report.dataset_lists == [] and {f.code for f in report.iter_findings()} == {"no_data"}


# -- the annotated workbook and the HTML report ---------------------------------------------------------
def test_annotated_workbook_marks_template1_cells(tmp_path: Path, examples: Path) -> None:
    from catalog_tools.render.xlsx import ERROR_RGB, WARNING_RGB, annotate

    src = examples / "tourism-template1-2-3.xlsx"
    report = validate_paths([str(src)])
    out = tmp_path / "annotated.xlsx"
    annotate(report, out, [str(src)])
    wb = load_workbook(out)
    t1, t2 = wb["Template 1"], wb["Template 2"]
    assert t1["D9"].fill.fgColor.rgb.endswith(ERROR_RGB) and "listed_without_metadata" in t1["D9"].comment.text
    assert "ไม่มีคำอธิบายข้อมูล (Metadata) ใน Template 2" in t1["D9"].comment.text
    assert t1["D10"].fill.fgColor.rgb.endswith(ERROR_RGB) and "list_duplicate_id" in t1["D10"].comment.text
    assert t1["E8"].fill.fgColor.rgb.endswith(WARNING_RGB) and "รายได้จากการท่องเที่ยวรายจังหวัด" in t1["E8"].comment.text
    assert t2["A7"].fill.fgColor.rgb.endswith(WARNING_RGB) and "not_in_dataset_list" in t2["A7"].comment.text
    assert t1["D7"].comment is None  # a row that agrees is left alone


def test_html_report_shows_the_list_and_its_findings(examples: Path) -> None:
    from catalog_tools.render.html import render_page

    report = validate_paths([str(examples / "tourism-template1-2-3.xlsx")])
    page = render_page(report, "validate", "th")
    assert 'id="template1"' in page and "ด้านท่องเที่ยว" in page and "การฟื้นฟูการท่องเที่ยวเมืองรอง" in page
    section = page.split('id="template1"')[1].split("</section>")[0]
    assert section.count("<tr>") == (1 + 4) + (1 + 4)  # header + four fields; header + four dataset rows
    assert section.count("1.2 พัฒนาข้อมูลแหล่งท่องเที่ยว") == 2  # the process carries down under its merged mission
    assert section.count("✗") == 1  # DataSet_11_04 has no metadata
    findings = page.split('id="input-findings"')[1]
    for code, where in [("listed_without_metadata", "Template 1!D9"), ("list_duplicate_id", "Template 1!D10"),
                        ("list_title_mismatch", "Template 1!E8")]:
        assert code in findings and where in findings
    assert "not_in_dataset_list" in page.split('data-id="DataSet_11_03"')[1]


def test_a_header_repeated_inside_the_table_is_not_a_dataset(tmp_path: Path) -> None:
    rows = [[MISSION, PROCESS, SUB, "DataSet_11_01", TITLES["DataSet_11_01"]], HEADER,
            [None, None, None, "DataSet_11_02", TITLES["DataSet_11_02"]]]
    report = validate_paths([str(workbook(tmp_path / "t1.xlsx", rows=rows))])
    assert [(e.id, e.row, e.mission) for e in report.dataset_lists[0].entries] == [
        ("DataSet_11_01", 7, MISSION), ("DataSet_11_02", 9, MISSION)]
    assert _codes(report) == []


def test_the_scope_mirror_is_the_rubric_files_scope_sections() -> None:
    """validate reads scopes.json (no YAML at start-up); it must say what the rubric files say."""
    import json

    from catalog_tools.scopes import MIRROR, from_rubrics

    assert json.loads(MIRROR.read_text(encoding="utf-8")) == from_rubrics(), \
        "run `python -m catalog_tools.scopes` after changing a rubric's scope"
