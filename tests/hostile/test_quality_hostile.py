"""Hostile inputs for ``catalog-tools quality``: each gives a finding or one clear error line,
never a traceback, never a file read outside the workbook's folder, never a modified input."""
from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from catalog_tools.quality.assess import Fetched, assess
from tests.quality.corpus import clean_csv, multi_sheet_xlsx, zip_bomb_xlsx
from tests.quality.workbook import DATASET, write_workbook


def _resources(stdout: str) -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(stdout)["datasets"][0]["resources"]}


def _row(name: str, url: str, fmt: str = "CSV") -> dict:
    return {"dataset_id": DATASET, "name": name, "url": url, "format": fmt}


def test_template3_paths_outside_the_workbook_folder_are_not_read(tmp_path: Path, run_cli, no_network) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("รหัสผ่าน,ค่า\nadmin,1234\n", encoding="utf-8")
    folder = tmp_path / "agency"
    folder.mkdir()
    wb = write_workbook(folder / "tourism.xlsx", "", [], [
        _row("ขึ้นไปหนึ่งชั้น", "../secret.csv"), _row("เส้นทางเต็ม", str(secret)), _row("file URL", f"file://{secret}")])
    res = run_cli("quality", wb, "--no-cache", "--format", "json")
    assert res.exit_code == 1
    for name, r in _resources(res.stdout).items():
        assert r["quality"]["reachable"] is False and r["quality"]["rows"] is None, name
        assert [f["code"] for f in r["findings"]] == ["content_unreachable"], name
        assert "outside the workbook" in r["findings"][0]["message"], name


def test_zip_bomb_next_to_the_workbook(tmp_path: Path, run_cli) -> None:
    (tmp_path / "bomb.xlsx").write_bytes(zip_bomb_xlsx(300 * 2**20))
    wb = write_workbook(tmp_path / "tourism.xlsx", "", [], [_row("ระเบิด", "bomb.xlsx", "XLSX")])
    res = run_cli("quality", wb, "--no-cache", "--format", "json")
    assert res.exit_code == 1 and "Traceback" not in res.output
    (r,) = _resources(res.stdout).values()
    assert [f["code"] for f in r["findings"]] == ["content_unreadable"]


def test_output_over_the_input_is_refused_and_the_input_is_unchanged(tmp_path: Path, run_cli) -> None:
    (tmp_path / "visitors.csv").write_bytes(clean_csv())
    wb = write_workbook(tmp_path / "tourism.xlsx", "", [], [_row("ไฟล์", "visitors.csv")])
    before = wb.read_bytes()
    res = run_cli("quality", wb, "--no-cache", "--format", "html", "-o", wb)
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "input" in res.stderr
    assert wb.read_bytes() == before


def test_markup_and_formulas_in_the_data_are_inert_in_html_and_csv(tmp_path: Path, run_cli) -> None:
    body = ('<script>alert(1)</script>,=HYPERLINK("http://x"),ปี\r\n'
            '<img src=x onerror=alert(1)>,1,2566\r\n<b>กระบี่</b>,สอง,2566\r\n').encode()
    (tmp_path / "visitors.csv").write_bytes(body)
    wb = write_workbook(tmp_path / "tourism.xlsx", "", [], [_row('@SUM(1+1)*cmd|"/c calc"!A1', "visitors.csv")])
    out = tmp_path / "q.html"
    run_cli("quality", wb, "--no-cache", "--format", "html", "-o", out)
    page = out.read_text("utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    table = run_cli("quality", wb, "--no-cache", "--format", "csv").stdout
    (row,) = list(csv.DictReader(io.StringIO(table.lstrip("\ufeff"))))
    assert row["resource"].startswith("'@")


@pytest.mark.parametrize("body", [
    b"[" * 200_000 + b"]" * 200_000,  # nesting deeper than the JSON parser recurses
    bytes(random.Random(2566).randrange(256) for _ in range(50_000)),  # noise named .csv
    multi_sheet_xlsx()[:3000],  # a workbook cut short
    b"\xef\xbb\xbf" + "จังหวัด,ปี\r\n".encode() + b"\x00" * 5000,  # NULs after a BOM
    "จังหวัด,หมายเหตุ\r\nน่าน,\"ไม่ปิดเครื่องหมายคำพูด\r\n".encode() * 3,  # an unclosed quote
    ("ก," * 20_000 + "\r\n").encode() * 3,  # very wide rows
])
def test_broken_bytes_give_findings_not_tracebacks(body: bytes) -> None:
    a = assess(Fetched(body, True, 200, size=len(body)), name="visitors.csv", declared="CSV")
    assert a.quality["reachable"] is True
    assert a.quality["detected_format"] != "CSV" or a.quality["rows"] is not None


def test_control_characters_in_headers_and_names_stay_one_line(tmp_path: Path, run_cli) -> None:
    (tmp_path / "visitors.csv").write_bytes("จังหวัด\x1b[31m,ปี\r\n,2566\r\nน่าน\x07,2566\r\n".encode())
    wb = write_workbook(tmp_path / "tourism.xlsx", "", [], [_row("ไฟล์\nสองบรรทัด", "visitors.csv")])
    res = run_cli("quality", wb, "--no-cache")
    for line in res.stdout.splitlines():
        assert "\x1b" not in line and "\x07" not in line


def test_a_very_wide_sheet_is_measured_with_its_findings_capped() -> None:
    body = ("ก," * 20_000 + "\r\n").encode() * 3
    a = assess(Fetched(body, True, 200, size=len(body)), name="wide.csv", declared="CSV")
    codes = [i.code for i in a.issues]
    assert codes.count("content_duplicate_header") == 20
    (capped,) = [i for i in a.issues if i.code == "content_findings_capped" and i.context["of_code"] == "content_duplicate_header"]
    assert capped.value == 20_000 - 1 - 20  # every header after the first repeats it
    assert a.quality["sheets"][0]["validated"] is False  # too wide for frictionless; our metrics still ran
    assert a.quality["uniqueness"] == 50.0
