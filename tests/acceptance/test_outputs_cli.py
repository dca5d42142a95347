"""The outputs through the command line: template, xlsx, csv, html, --lang, progress vs JSON."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.render.xlsx import SUMMARY_SHEET
from tests.outputs_data import fill_template, many_findings_workbook

ROOT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_template_command_then_validate(run_cli, tmp_path: Path):
    out = tmp_path / "แม่แบบ.xlsx"
    result = run_cli("template", "--out", out, "--layout", "nso", "--standard", "2.2")
    assert result.exit_code == 0, result.output
    assert "Temp2_Meta_Record" in load_workbook(out).sheetnames
    again = run_cli("template", "--out", out)
    assert again.exit_code == 2 and again.stderr.count("\n") == 1 and "--force" in again.stderr
    assert run_cli("template", "--out", out, "--force").exit_code == 0
    assert load_workbook(out).sheetnames[:3] == ["Template 1", "Template 2", "Template 3"]


def test_template_bad_usage_is_one_line(run_cli, tmp_path: Path):
    for args in (["--out", tmp_path / "x.csv"], ["--out", tmp_path / "missing" / "x.xlsx"], ["--out", tmp_path / "x.xlsx", "--layout", "gdx"]):
        result = run_cli("template", *args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output


def test_filled_template_validates_through_cli(run_cli, tmp_path: Path):
    filled = fill_template(tmp_path / "filled.xlsx", "opdc")
    result = run_cli("validate", filled, "--format", "json")
    assert result.exit_code == 0, result.stdout
    doc = json.loads(result.stdout)
    assert doc["summary"]["errors"] == 0 and doc["summary"]["warnings"] == 0


def test_xlsx_needs_output(run_cli, examples: Path):
    result = run_cli("validate", examples / "tourism-messy.xlsx", "--format", "xlsx")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_xlsx_output_and_input_untouched(run_cli, examples: Path, tmp_path: Path):
    src = examples / "tourism-messy.xlsx"
    before = _sha(src)
    out = tmp_path / "ผลการตรวจ.xlsx"
    result = run_cli("validate", src, "--format", "xlsx", "--output", out)
    assert result.exit_code == 1  # findings with errors
    assert result.stdout == ""
    assert _sha(src) == before
    wb = load_workbook(out)
    assert wb[SUMMARY_SHEET].max_row - 1 == 17
    assert "อีเมล" in wb["Template 2"]["F6"].comment.text


def test_xlsx_refuses_to_write_over_the_input(run_cli, examples: Path, tmp_path: Path):
    src = tmp_path / "input.xlsx"
    src.write_bytes((examples / "tourism-messy.xlsx").read_bytes())
    before = _sha(src)
    result = run_cli("validate", src, "--format", "xlsx", "--output", src)
    assert result.exit_code == 2 and "input" in result.stderr
    assert _sha(src) == before


def test_csv_to_stdout_and_file(run_cli, examples: Path, tmp_path: Path):
    result = run_cli("validate", examples / "tourism-messy.xlsx", "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert len(rows) == 17 and any("อีเมล" in r["message_th"] for r in rows)
    out = tmp_path / "findings.csv"
    run_cli("validate", examples / "tourism-messy.xlsx", "--format", "csv", "-o", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_html_lang(run_cli, examples: Path, tmp_path: Path):
    th, en = tmp_path / "th.html", tmp_path / "en.html"
    run_cli("validate", examples / "tourism-messy.xlsx", "--format", "html", "-o", th, "--lang", "th")
    run_cli("validate", examples / "tourism-messy.xlsx", "--format", "html", "-o", en, env={"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert '<html lang="th">' in th.read_text("utf-8") and "ความครบถ้วนรายรายการ" in th.read_text("utf-8")
    assert '<html lang="en">' in en.read_text("utf-8") and "Completeness per item" in en.read_text("utf-8")


def test_text_follows_thai_locale(run_cli, examples: Path):
    env_th = {"CATALOG_TOOLS_LANG": "", "LC_ALL": "th_TH.UTF-8", "LC_MESSAGES": "", "LANG": ""}
    env_en = {"CATALOG_TOOLS_LANG": "", "LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "", "LANG": ""}
    th = run_cli("validate", examples / "tourism-messy.xlsx", env=env_th).stdout
    en = run_cli("validate", examples / "tourism-messy.xlsx", env=env_en).stdout
    assert "ข้อผิดพลาด" in th and "ชุดข้อมูล 6 ชุด" in th
    assert "6 datasets" in en and "ข้อผิดพลาด" not in en
    forced = run_cli("validate", examples / "tourism-messy.xlsx", "--lang", "en", env=env_th).stdout
    assert "6 datasets" in forced


def test_json_always_has_both_languages(run_cli, examples: Path):
    doc = json.loads(run_cli("validate", examples / "tourism-messy.xlsx", "--format", "json", "--lang", "th").stdout)
    f = doc["datasets"][1]["findings"][0]
    assert "e-mail" in f["message"] and "อีเมล" in f["message_th"]


def test_score_html(run_cli, examples: Path, tmp_path: Path):
    out = tmp_path / "score.html"
    result = run_cli("score", examples / "opdc-worked-example.xlsx", "--fy", "2565", "--catalog-url", "https://catalog.opdc.go.th",
                     "--format", "html", "-o", out, "--lang", "th")
    assert result.exit_code in (0, 1), result.output
    html = out.read_text("utf-8")
    assert 'id="kpi"' in html and 'data-earned="10" data-possible="15"' in html  # the official worked example: 10 of 15
    assert "คะแนนรวม" in html


def test_thousand_findings_every_output(run_cli, tmp_path: Path):
    src = many_findings_workbook(tmp_path / "ชุดข้อมูล-1000.xlsx")
    before = _sha(src)
    xlsx, csv_out, html = tmp_path / "a.xlsx", tmp_path / "a.csv", tmp_path / "a.html"
    for fmt, out in (("xlsx", xlsx), ("csv", csv_out), ("html", html)):
        result = run_cli("validate", src, "--format", fmt, "-o", out, "--lang", "th")
        assert result.exit_code == 1, result.output
    assert _sha(src) == before
    assert load_workbook(xlsx)[SUMMARY_SHEET].max_row - 1 == 1000
    rows = list(csv.DictReader(io.StringIO(csv_out.read_text("utf-8-sig"))))
    assert len(rows) == 1000 and all(r["message_th"] for r in rows)
    text = html.read_text("utf-8")
    assert text.count('class="sev-error"') == 1000 and "ไม่ใช่อีเมล" in text


def _run_with_tty_stderr(args: list[str], env: dict[str, str]) -> tuple[int, bytes, bytes]:
    master, slave = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "catalog_tools", *args], stdout=subprocess.PIPE, stderr=slave,
                          stdin=subprocess.DEVNULL, cwd=ROOT, env=env, timeout=120)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        err += chunk
    os.close(master)
    return proc.returncode, proc.stdout, err


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_progress_on_a_terminal_never_mixes_into_json(tmp_path: Path):
    src = many_findings_workbook(tmp_path / "many.xlsx")
    env = {k: v for k, v in os.environ.items() if k != "CATALOG_TOOLS_PROGRESS"}
    code, out, err = _run_with_tty_stderr(["validate", str(src), "--format", "json"], env)
    assert code == 1
    doc = json.loads(out.decode("utf-8"))  # exactly one JSON document, nothing else
    assert doc["summary"]["errors"] == 1000
    assert b"\x1b[" not in out and b"validate" in err  # the bar went to the terminal on stderr


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path):
    src = many_findings_workbook(tmp_path / "many.xlsx", n=50)
    env = {k: v for k, v in os.environ.items() if k != "CATALOG_TOOLS_PROGRESS"}
    proc = subprocess.run([sys.executable, "-m", "catalog_tools", "validate", str(src), "--format", "json"],
                          capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert proc.stderr == b""
    assert json.loads(proc.stdout)["summary"]["errors"] == 50
