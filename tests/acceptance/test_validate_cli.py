"""Acceptance tests of ``catalog-tools validate``, driven by the cases in ``cases/*.yaml``.

Each case names an input file, the exit code, summary counts, and the exact set of error
findings as (code, field, location); listed warnings must be present. A case file is the
expectation a steward would write by reading the workbook, not a copy of our output.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _case(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case_path", CASES, ids=lambda p: p.stem)
def test_case(case_path: Path, run_cli) -> None:
    case = _case(case_path)
    src = ROOT / case["input"]
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    result = run_cli("validate", src, "--format", "json")
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before, "the input file was modified"
    assert result.exit_code == case["exit"], result.output
    report = json.loads(result.stdout)
    for key, value in case["summary"].items():
        assert report["summary"][key] == value, key
    every = list(report["findings"])
    for d in report["datasets"]:
        every += d["findings"]
        for r in d["resources"]:
            every += r["findings"]
    errors = sorted((f["code"], f["field"], f["location"]) for f in every if f["severity"] == "error")
    assert errors == sorted(tuple(e) for e in case["errors"])
    warnings = {(f["code"], f["field"], f["location"]) for f in every if f["severity"] == "warning"}
    for w in case.get("warnings", []):
        assert tuple(w) in warnings
    by_id = {d["id"]: d for d in report["datasets"]}
    for ds_id, n in case.get("items_complete", {}).items():
        assert by_id[ds_id]["items_complete"] == n
    for ds_id, meta in case.get("metadata", {}).items():
        for k, v in meta.items():
            assert by_id[ds_id]["metadata"][k] == v, (ds_id, k)
    for f in every:
        assert f["message"] and f["message_th"], f
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in f["message_th"]), f["message_th"]


def test_json_report_shape(run_cli, examples: Path) -> None:
    result = run_cli("validate", examples / "tourism-messy.xlsx", "--format", "json")
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert set(report) >= {"version", "datasets", "findings", "summary"}
    d = report["datasets"][1]
    assert set(d) >= {"id", "title", "source", "complete", "items_complete", "findings", "resources"}
    assert d["source"] == {"path": str(examples / "tourism-messy.xlsx"), "sheet": "Template 2", "row": 6}
    f = d["findings"][0]
    assert set(f) >= {"code", "severity", "field", "item", "location", "value", "message", "message_th"}
    assert (f["code"], f["field"], f["item"], f["location"], f["value"]) == (
        "format", "maintainer_email", "5", "Template 2!F6", "plan(at)tourism.go.th")
    assert set(report["summary"]) >= {"datasets", "complete", "errors", "warnings"}


def test_suggestion_for_a_near_miss(tmp_path: Path, run_cli) -> None:
    csv = tmp_path / "t2.csv"
    header = ("รหัสชุดข้อมูล,ประเภทข้อมูล,ชื่อชุดข้อมูล,องค์กร,ชื่อผู้ติดต่อ,อีเมลผู้ติดต่อ,คำสำคัญ,รายละเอียด,วัตถุประสงค์,"
              "หน่วยความถี่ของการปรับปรุงข้อมูล,ค่าความถี่ของการปรับปรุงข้อมูล,ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่,แหล่งที่มา,"
              "รูปแบบการเก็บข้อมูล,หมวดหมู่ข้อมูลตามธรรมาภิบาลข้อมูลภาครัฐ,สัญญาอนุญาตให้ใช้ข้อมูล")
    row = ("DataSet_01,ข้อมูลสถิติ,ปริมาณน้ำฝนรายเดือน,กรมอุตุนิยมวิทยา,กองเครือข่ายสถานีอุตุนิยมวิทยา,rain@tmd.go.th,"
           "ฝน,ปริมาณน้ำฝนรายเดือนทั่วประเทศ,พันธกิจหน่วยงาน,เดือน,1,จังหวัด,สถานีตรวจอากาศ,CSV,ข้อมูลสาธารณะ,Open Data Comon")
    csv.write_text(header + "\n" + row + "\n", encoding="utf-8-sig")
    report = json.loads(run_cli("validate", csv, "--format", "json").stdout)
    (f,) = report["datasets"][0]["findings"]
    assert (f["code"], f["suggestion"], f["location"]) == ("choice", "Open Data Common", "t2.csv!P2")
    assert "Open Data Common" in f["message"] and "Open Data Common" in f["message_th"]


def test_standard_20_accepts_its_own_licences(examples: Path, run_cli) -> None:
    r22 = json.loads(run_cli("validate", examples / "ckan-package-search.json", "--format", "json").stdout)
    r20 = json.loads(run_cli("validate", examples / "ckan-package-search.json", "--format", "json", "--standard", "2.0").stdout)
    lic22 = [f for d in r22["datasets"] for f in d["findings"] if f["field"] == "license_id" and f["code"] == "choice"]
    lic20 = [f for d in r20["datasets"] for f in d["findings"] if f["field"] == "license_id" and f["code"] == "choice"]
    assert len(lic22) == 1 and lic20 == []


def test_presence_only_completeness(examples: Path, run_cli) -> None:
    conforming = json.loads(run_cli("validate", examples / "tourism-messy.xlsx", "--format", "json").stdout)
    present = json.loads(run_cli("validate", examples / "tourism-messy.xlsx", "--format", "json",
                                 "--completeness", "present").stdout)
    assert conforming["summary"]["complete"] == 2
    # bad e-mail, bad objective, bad interval and bad url still count as "present"
    assert present["summary"]["complete"] == 5


def test_config_file_turns_the_licence_rule_into_an_error(tmp_path: Path, examples: Path, run_cli) -> None:
    cfg = tmp_path / "rules.yaml"
    cfg.write_text("validation:\n  license_rule: error\n", encoding="utf-8")
    report = json.loads(run_cli("validate", examples / "tourism-messy.xlsx", "--format", "json", "--config", cfg).stdout)
    lic = [f for d in report["datasets"] for f in d["findings"] if f["code"] == "license_category"]
    assert [f["severity"] for f in lic] == ["error"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("validation:\n  licence_rule: error\n", encoding="utf-8")
    result = run_cli("validate", examples / "tourism-messy.xlsx", "--config", bad)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "bad.yaml: at $.validation: Additional properties are not allowed ('licence_rule' was unexpected)" in result.stderr


@pytest.mark.parametrize("name, message", [
    ("corrupt.xlsx", "is not a valid Excel workbook"),
    ("not-a-workbook.xlsx", "is not a valid Excel workbook"),
    ("empty.csv", "the file is empty"),
    ("no-header.csv", "no Template 2 or Template 3 header"),
    ("binary.csv", "cannot be read as CSV text"),
    ("broken.json", "is not valid JSON"),
])
def test_bad_inputs_exit_2_with_one_line(name: str, message: str) -> None:
    """Run the real entry point in a subprocess: one line on stderr, no traceback, no stdout."""
    path = ROOT / "fixtures" / "bad" / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    proc = subprocess.run([sys.executable, "-m", "catalog_tools", "validate", str(path), "--format", "json"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_unreadable_and_missing_paths(tmp_path: Path) -> None:
    missing = subprocess.run([sys.executable, "-m", "catalog_tools", "validate", str(tmp_path / "nope.xlsx")],
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "file not found" in missing.stderr and "Traceback" not in missing.stderr
    folder = subprocess.run([sys.executable, "-m", "catalog_tools", "validate", str(tmp_path)], capture_output=True, text=True)
    assert folder.returncode == 2 and "directory" in folder.stderr


def test_usage_errors_exit_2(run_cli, examples: Path) -> None:
    assert run_cli("validate").exit_code == 2
    assert run_cli("validate", examples / "tourism-messy.xlsx", "--standard", "3.0").exit_code == 2


def test_text_output_is_grouped_per_dataset_in_both_languages(run_cli, examples: Path) -> None:
    en = run_cli("validate", examples / "tourism-messy.xlsx", "--lang", "en").stdout
    th = run_cli("validate", examples / "tourism-messy.xlsx", "--lang", "th").stdout
    assert "✗ DataSet_11_02" in en and "Template 2!F6" in en and "not a valid e-mail address" in en
    assert "ไม่ใช่อีเมล" in th and "ข้อผิดพลาด 9" in th
    assert en.splitlines()[-1].startswith("6 datasets, 2 complete")


def test_many_inputs_in_one_run(run_cli, examples: Path) -> None:
    result = run_cli("validate", examples / "tourism-template2-3.xlsx", examples / "nso-gd-catalog-import.xlsx",
                     "--format", "json")
    report = json.loads(result.stdout)
    assert report["summary"]["datasets"] == 5
    assert {d["source"]["path"].rsplit("/", 1)[-1] for d in report["datasets"]} == {
        "tourism-template2-3.xlsx", "nso-gd-catalog-import.xlsx"}
