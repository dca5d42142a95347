"""``catalog-tools fix`` from the command line: the listed changes, exit codes, JSON output."""
from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
MESSY = ROOT / "fixtures" / "examples" / "tourism-messy.xlsx"


def test_fix_lists_each_change_thai_first(run_cli, tmp_path: Path):
    out = tmp_path / "tourism-fixed.xlsx"
    result = run_cli("fix", MESSY, "-o", out, "--lang", "th")
    assert result.exit_code == 1  # errors remain for the steward (a broken e-mail, a placeholder…)
    lines = result.stdout.splitlines()
    assert "Template 2!J5  [fix_synonym]  'รายปี' → 'ปี'  หน่วยความถี่ของการปรับปรุงข้อมูล: เปลี่ยนค่า 'รายปี' เป็นค่าตามมาตรฐาน 'ปี'" in lines
    assert any(line.startswith("Template 3!F6  [fix_date_era]  '2023-06-30' → '2566-06-30'") for line in lines)
    assert any("\\u200b" in line and line.startswith("Template 2!F5  [fix_whitespace]") for line in lines)
    assert "ยังต้องแก้ด้วยตนเอง: ข้อผิดพลาด 9 รายการ" in result.stdout
    assert load_workbook(out)["Template 2"]["J5"].value == "ปี"


def test_fix_json_output(run_cli, tmp_path: Path):
    result = run_cli("fix", MESSY, "-o", tmp_path / "fixed.xlsx", "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["version"] == 1 and doc["dry_run"] is False and doc["changed_cells"] == 6
    assert doc["counts"] == {"fix_date_era": 1, "fix_separator": 1, "fix_synonym": 2, "fix_thai_digits": 1,
                             "fix_whitespace": 1}
    change = next(c for c in doc["changes"] if c["location"] == "Template 2!O10")
    assert change == {"location": "Template 2!O10", "field": "data_category", "rule": "fix_synonym", "before": "สาธารณะ",
                      "after": "ข้อมูลสาธารณะ", "message": change["message"], "message_th": change["message_th"]}
    assert doc["remaining"]["errors"] == 9
    assert not any(f["code"] == "synonym" for f in doc["remaining"]["findings"])


def test_fix_clean_file_exits_0(run_cli, tmp_path: Path):
    result = run_cli("fix", ROOT / "fixtures" / "examples" / "tourism-fy2566.xlsx", "-o", tmp_path / "same.xlsx", "--lang", "en")
    assert result.exit_code == 0
    assert "0 cells changed" in result.stdout


def test_dry_run_needs_no_output(run_cli, tmp_path: Path):
    result = run_cli("fix", MESSY, "--dry-run", "--lang", "en")
    assert result.exit_code == 1 and "Dry run (nothing written)" in result.stdout


def test_missing_output_is_a_usage_error(run_cli):
    result = run_cli("fix", MESSY)
    assert result.exit_code == 2 and "-o FILE" in result.stderr
