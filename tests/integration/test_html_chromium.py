"""The HTML report opened in a real browser (headless Debian chromium): what a manager sees.

Install with ``scripts/ensure-chromium.sh``. Skipped when chromium is absent, unless
CATALOG_TOOLS_REQUIRE_CHROMIUM=1. Screenshots are kept in ``test-artifacts/`` for people to look at.
"""
from __future__ import annotations

import html as htmllib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from catalog_tools.options import ValidationOptions
from catalog_tools.render.html import render_page
from catalog_tools.validate import validate_paths
from tests.outputs_data import hostile_workbook

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

if CHROMIUM is None:
    if os.environ.get("CATALOG_TOOLS_REQUIRE_CHROMIUM") == "1":
        raise RuntimeError("chromium is required (CATALOG_TOOLS_REQUIRE_CHROMIUM=1): run scripts/ensure-chromium.sh")
    pytestmark = pytest.mark.skip(reason="chromium not installed; run scripts/ensure-chromium.sh")


def _chromium(page: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1200,1800", *extra, page.as_uri()]
    return subprocess.run(args, capture_output=True, text=True, timeout=180)


def _dom(page: Path, tmp_path: Path) -> str:
    proc = _chromium(page, tmp_path, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _visible_text(dom: str) -> str:
    text = re.sub(r"<style.*?</style>", " ", dom, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", text))


def _screenshot(page: Path, tmp_path: Path, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    proc = _chromium(page, tmp_path, f"--screenshot={shot}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000  # a real page, not a blank one
    return shot


def test_validate_report_in_chromium(examples: Path, tmp_path: Path):
    report = validate_paths([str(examples / "tourism-messy.xlsx")], options=ValidationOptions.from_mapping({}))
    page = tmp_path / "validate-th.html"
    page.write_text(render_page(report, "validate", "th"), encoding="utf-8")
    dom = _dom(page, tmp_path)
    text = _visible_text(dom)
    assert "รายงานผลการตรวจคำอธิบายข้อมูล" in text
    assert "ความครบถ้วนรายรายการ" in text and "5. อีเมลผู้ติดต่อ" in text
    assert "ไม่ใช่อีเมล" in text  # a Thai finding message inside an opened <details>
    assert dom.count('class="dataset"') == 6
    assert dom.count("<svg") >= 1 and "83%" in text
    _screenshot(page, tmp_path, "html-report-validate-th.png")


def test_score_report_in_chromium(tmp_path: Path):
    from tests.unit.test_render_html import WORKED_SCORE

    page = tmp_path / "score-th.html"
    page.write_text(render_page(WORKED_SCORE, "score", "th"), encoding="utf-8")
    dom = _dom(page, tmp_path)
    text = _visible_text(dom)
    assert "คะแนนตัวชี้วัด Data Catalog แยกตามระดับ" in text and "คะแนนรวม: 70" in text
    assert 'data-earned="10" data-possible="15"' in dom
    _screenshot(page, tmp_path, "html-report-score-th.png")


def test_hostile_markup_does_not_run(tmp_path: Path):
    report = validate_paths([str(hostile_workbook(tmp_path / "h.xlsx"))], options=ValidationOptions.from_mapping({}))
    report.datasets[0].title = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> ชุดข้อมูลอันตราย"
    page = tmp_path / "hostile.html"
    page.write_text(render_page(report, "validate", "th"), encoding="utf-8")
    dom = _dom(page, tmp_path)
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "<img" not in dom
    assert "<img src=x onerror" in _visible_text(dom)  # shown as text
    assert "=HYPERLINK(" in _visible_text(dom)  # the formula-like e-mail is plain text here too


def test_audit_report_in_chromium(examples: Path, tmp_path: Path):
    from tests.unit.test_render_html import _fake_audit

    page = tmp_path / "audit-th.html"
    page.write_text(render_page(_fake_audit(examples), "audit", "th"), encoding="utf-8")
    text = _visible_text(_dom(page, tmp_path))
    assert "ผลรายหน่วยงาน" in text and "กรมการท่องเที่ยว" in text and "กรมพลศึกษา" in text
    assert "คะแนนตัวชี้วัด Data Catalog แยกตามระดับ" in text
    _screenshot(page, tmp_path, "html-report-audit-th.png")
