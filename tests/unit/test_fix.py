"""``catalog-tools fix``: the expected fixes, what it must leave alone, what the copy keeps, and
the promise checked over every fixture: the fixed file never shows a finding fix claimed to fix,
never gains a finding, and the input is never modified."""
from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.fixes import FIX_RULES, RESOLVES, fix_file
from catalog_tools.loaders.common import InputError
from catalog_tools.messages import CODES
from catalog_tools.render.xlsx import FIXED_RGB
from catalog_tools.validate import validate_paths
from tests.fix_data import (EXPECTED_T2, EXPECTED_T3, T2_ORDER, T3_ORDER, UNTOUCHED_T2, messy_ckan_json, messy_csv,
                            messy_nso_workbook, messy_opdc_workbook)

ROOT = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _letter(order: list[str], name: str) -> str:
    return chr(ord("A") + order.index(name))


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    return messy_opdc_workbook(tmp_path / "tourism-messy-fix.xlsx")


def test_each_rule_fixes_its_cells(messy: Path, tmp_path: Path):
    out = tmp_path / "fixed.xlsx"
    result = fix_file(messy, out)
    wb = load_workbook(out)
    rules_at: dict[str, set[str]] = {}
    for c in result.changes:
        rules_at.setdefault(c.location, set()).add(c.rule)
    for row, name, raw, fixed, rule in EXPECTED_T2:
        cell = f"{_letter(T2_ORDER, name)}{row}"
        assert wb["Template 2"][cell].value == fixed, (cell, raw)
        assert rule in rules_at[f"Template 2!{cell}"]
    for row, name, raw, fixed, rule in EXPECTED_T3:
        cell = f"{_letter(T3_ORDER, name)}{row}"
        assert wb["Template 3"][cell].value == fixed
        assert rule in rules_at[f"Template 3!{cell}"]
    # the "other" text moved into the steward's "(อื่นๆ โปรดระบุ)" column Q
    assert wb["Template 2"]["Q5"].value == "เขตพัฒนาการท่องเที่ยว"
    assert {c.rule for c in result.changes} == set(FIX_RULES)  # the messy workbook exercises every rule


def test_unsafe_cells_are_left_alone(messy: Path, tmp_path: Path):
    out = tmp_path / "fixed.xlsx"
    result = fix_file(messy, out)
    ws = load_workbook(out)["Template 2"]
    for row, name, raw in UNTOUCHED_T2:
        cell = f"{_letter(T2_ORDER, name)}{row}"
        assert ws[cell].value == raw
        assert not any(c.location == f"Template 2!{cell}" for c in result.changes)
    codes = Counter(f.code for f in result.remaining.iter_findings() if f.location and f.location.endswith("6"))
    assert codes["choice"] == 2 and codes["required"] == 1 and codes["format"] == 1


def test_the_copy_keeps_formulas_styles_validation_and_sheets(messy: Path, tmp_path: Path):
    before = _digest(messy)
    out = tmp_path / "fixed.xlsx"
    fix_file(messy, out)
    assert _digest(messy) == before  # the input is only read
    wb = load_workbook(out)
    assert wb.sheetnames == ["Template 2", "Template 3", "ตัวเลือก", "หมายเหตุ"]
    t2 = wb["Template 2"]
    assert t2["C7"].value == '=CONCATENATE("สถิติ", " ", "นักท่องเที่ยวรายเดือน")'
    assert wb["หมายเหตุ"]["B2"].value == "=COUNTA('Template 2'!A3:A7)"
    assert wb["หมายเหตุ"]["B1"].value == "กองยุทธศาสตร์และแผนงาน"
    assert t2["C3"].font.bold and t2["C3"].font.color.rgb.endswith("1F4E78")
    assert wb["ตัวเลือก"].sheet_state == "hidden" and [r[0].value for r in wb["ตัวเลือก"].iter_rows()] == ["ปี", "เดือน", "ไตรมาส"]
    dvs = t2.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].formula1 == "=ตัวเลือก!$A$1:$A$3" and "J3:J200" in str(dvs[0].sqref)
    assert isinstance(wb["Template 3"]["F4"].value, __import__("datetime").datetime)  # a real date cell stays a date
    # fixed cells are marked like the annotated workbook: fill + comment naming the rule
    j4 = t2["J4"]
    assert j4.fill.fgColor.rgb.endswith(FIXED_RGB) and "fix_synonym" in j4.comment.text and "Yearly" in j4.comment.text
    assert t2["J6"].comment is None and not (t2["J6"].fill.fgColor.rgb or "").endswith(FIXED_RGB)


def test_dry_run_writes_nothing(messy: Path, tmp_path: Path):
    out = tmp_path / "never.xlsx"
    result = fix_file(messy, out, dry_run=True)
    assert not out.exists() and result.output is None and result.changes
    assert list(tmp_path.iterdir()) == [messy]


def test_nso_layout(tmp_path: Path):
    src = messy_nso_workbook(tmp_path / "nso.xlsx")
    result = fix_file(src, tmp_path / "nso-fixed.xlsx")
    got = {(c.location, c.rule, c.after) for c in result.changes}
    assert ("Temp2_Meta_Record!J6", "fix_synonym", "เดือน") in got
    assert ("Temp2_Meta_Record!N6", "fix_separator", "XLS, CSV") in got
    assert ("Temp3_Resource_Record!F6", "fix_date_era", "2566-09-30") in got
    assert result.remaining is not None and result.remaining.error_count == 0
    # two formats in one NSO cell read fine here, but the NSO importer would take the cell as one value
    assert [(f.code, f.location) for f in result.remaining.iter_findings()] == [("nso_multi_value", "Temp2_Meta_Record!N6")]


@pytest.mark.parametrize("encoding,delimiter", [("utf-8-sig", ";"), ("cp874", ",")])
def test_csv_keeps_encoding_and_delimiter(tmp_path: Path, encoding: str, delimiter: str):
    src = messy_csv(tmp_path / "template2.csv", encoding=encoding, delimiter=delimiter)
    out = tmp_path / "template2-fixed.csv"
    result = fix_file(src, out)
    data = out.read_bytes()
    if encoding == "cp874":
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        text = data.decode("cp874")
    else:
        assert data.startswith(b"\xef\xbb\xbf")
        text = data.decode("utf-8-sig")
    assert text.splitlines()[0].count(delimiter) == len(T2_ORDER) - 1
    assert "ไตรมาส" in text and "รายไตรมาส" not in text and "MAILTO:" not in text
    assert {c.rule for c in result.changes} >= {"fix_synonym", "fix_thai_digits", "fix_email", "fix_separator"}


def test_ckan_json_dates_become_gregorian(tmp_path: Path):
    src = messy_ckan_json(tmp_path / "packages.json")
    out = tmp_path / "packages-fixed.json"
    result = fix_file(src, out)
    got = {(c.location, c.rule, c.after) for c in result.changes}
    assert ("tourist-arrivals-province:$.last_updated_date", "fix_date_era", "2023-09-30") in got
    assert ("tourist-arrivals-province:$.resources[0].resource_last_updated_date", "fix_date_era", "2023-09-30") in got
    text = out.read_text("utf-8")
    assert '"objective": "[\\"พันธกิจหน่วยงาน\\"]"' in text  # a JSON-list string keeps its shape
    assert '"resource_created_date": "2017-01-01"' in text
    # "อื่น ๆ (text)" → the value and the item's "_other" key, as CKAN stores them
    assert '"geo_coverage": "อื่นๆ"' in text and '"geo_coverage_other": "เขตพัฒนาการท่องเที่ยวอันดามัน"' in text


def _inputs(tmp_path: Path) -> list[Path]:
    """Every input file under fixtures/ (examples and bad ones) and the messy files built here."""
    made = [messy_opdc_workbook(tmp_path / "messy-opdc.xlsx"), messy_nso_workbook(tmp_path / "messy-nso.xlsx"),
            messy_csv(tmp_path / "messy.csv"), messy_csv(tmp_path / "messy-874.csv", encoding="cp874", delimiter=","),
            messy_ckan_json(tmp_path / "messy.json")]
    shipped = sorted(p for p in (ROOT / "fixtures").rglob("*") if p.suffix in (".xlsx", ".csv", ".json"))
    return shipped + made


def test_fixed_files_never_show_what_fix_fixed(tmp_path: Path):
    """Over every fixture: no finding fix claimed to remove is left at a fixed cell, and the
    fixed copy has no finding the original did not have (same code, same place). A fixture
    validation cannot read, fix refuses the same way (no output)."""
    checked = fixed_files = 0
    for src in _inputs(tmp_path):
        if validate_paths([str(src)]).load_errors:
            with pytest.raises(InputError):
                fix_file(src, tmp_path / f"never-{src.name}")
            assert not (tmp_path / f"never-{src.name}").exists()
            continue
        fixed_files += 1
        copy = tmp_path / f"in-{src.name}"
        shutil.copyfile(src, copy)
        before_digest = _digest(copy)
        out = tmp_path / f"fixed-{src.name}"
        result = fix_file(copy, out)
        assert _digest(copy) == before_digest, src.name
        original = validate_paths([str(copy)])
        fixed = validate_paths([str(out)])
        assert not fixed.load_errors, src.name
        after = Counter((f.code, f.location) for f in fixed.iter_findings())
        for c in result.changes:
            for code in RESOLVES.get(c.rule, ()):
                assert after[(code, c.location)] == 0, (src.name, c)
                checked += 1
        gained = after - Counter((f.code, f.location) for f in original.iter_findings())
        assert not gained, (src.name, gained)
        assert len(fixed.datasets) == len(original.datasets), src.name
    assert checked >= 10 and fixed_files >= 12  # the fixtures do exercise the claims


def test_every_fix_rule_is_registered():
    for rule in FIX_RULES:
        assert rule in CODES and CODES[rule].th and CODES[rule].en and CODES[rule].summary.startswith("fix:")
    assert set(RESOLVES) <= set(FIX_RULES) and all(code in CODES for codes in RESOLVES.values() for code in codes)


def test_input_equal_to_output_is_refused(messy: Path):
    before = _digest(messy)
    with pytest.raises(InputError, match="refusing to overwrite"):
        fix_file(messy, messy)
    with pytest.raises(InputError, match="refusing to overwrite"):
        fix_file(messy, messy.parent / "." / messy.name)
    assert _digest(messy) == before


def test_a_merged_cell_is_fixed_once_at_its_top_left(messy: Path, tmp_path: Path):
    wb = load_workbook(messy)
    ws = wb["Template 2"]
    ws["D5"] = "  กรมการท่องเที่ยว\u200b"  # the organisation, merged over two dataset rows
    ws.merge_cells("D5:D6")
    src = tmp_path / "merged.xlsx"
    wb.save(src)
    result = fix_file(src, tmp_path / "merged-fixed.xlsx")
    org = [c for c in result.changes if c.field == "owner_org"]
    assert [(c.location, c.rule, c.after) for c in org] == [("Template 2!D5", "fix_whitespace", "กรมการท่องเที่ยว")]
    out = load_workbook(tmp_path / "merged-fixed.xlsx")["Template 2"]
    assert out["D5"].value == "กรมการท่องเที่ยว" and "D5:D6" in {str(r) for r in out.merged_cells.ranges}
