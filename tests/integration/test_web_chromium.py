"""The web app in a real browser (headless Debian chromium via Playwright), against
``catalog-tools serve`` running in its own process: upload → report → downloads → the fixed
file re-validated; the English switch; the blank template; the score form; a CKAN audit with
progress; two stewards at once. Screenshots are kept in test-artifacts/."""
from __future__ import annotations

import concurrent.futures
import os
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools.scoring import score_report
from catalog_tools.validate import validate_paths
from tests.web_support import ROOT, app, chromium, running_app, screenshot  # noqa: F401 (fixtures)

EXAMPLES = ROOT / "fixtures" / "examples"
DOCS_SHOT = ROOT / "docs" / "web-app.png"




def _upload(page, app, path: Path) -> None:
    page.goto(app.url + "/")
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.click("#check-button")


def _download(page, selector: str, folder: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(str(target))
    return target


def test_upload_report_downloads_and_the_fixed_file_revalidated(chromium, app, tmp_path: Path):
    src = tmp_path / "บัญชีข้อมูล กรมการท่องเที่ยว.xlsx"
    shutil.copyfile(EXAMPLES / "tourism-messy.xlsx", src)
    ctx = chromium.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900}, locale="th-TH")
    page = ctx.new_page()
    _upload(page, app, src)
    assert page.inner_text("#file-name") == src.name
    assert "แก้ให้อัตโนมัติ 6 เซลล์" in page.inner_text("#fixed-summary")
    report = page.frame_locator("#report")
    report.locator("h1").wait_for()
    assert "รายงานผลการตรวจคำอธิบายข้อมูล" in report.locator("h1").inner_text()
    assert report.locator(".dataset").count() == 6  # the same HTML report as --format html
    page.click("details > summary")
    changes = page.inner_text("#changes")
    assert "Template 2!J5" in changes and "fix_synonym" in changes
    assert "plan@tourism.go.th\\u200b" in changes  # the invisible character is spelled out
    screenshot(page, "web-result-th.png", full_page=True)
    page.set_viewport_size({"width": 1000, "height": 640})
    shot = screenshot(page, "web-app.png")
    if os.environ.get("CATALOG_TOOLS_UPDATE_DOCS_SHOT") == "1":
        shutil.copyfile(shot, DOCS_SHOT)  # the README's picture: this shot, refreshed on request
    assert DOCS_SHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and DOCS_SHOT.stat().st_size < 150_000

    annotated = _download(page, "#dl-annotated", tmp_path)
    assert annotated.name.endswith("-checked.xlsx")
    assert "สรุปผลการตรวจ (Summary)" in load_workbook(annotated).sheetnames
    findings = _download(page, "#dl-csv", tmp_path)
    assert findings.read_bytes().startswith(b"\xef\xbb\xbf") and "Template 2!J5" in findings.read_text("utf-8-sig")
    fixed = _download(page, "#dl-fixed", tmp_path)
    assert fixed.name == "บัญชีข้อมูล กรมการท่องเที่ยว-fixed.xlsx"
    wb = load_workbook(fixed)
    assert wb["Template 2"]["J5"].value == "ปี" and wb["Template 3"]["F6"].value == "2566-06-30"
    again = validate_paths([str(fixed)])
    assert not [f for f in again.iter_findings() if f.code in ("synonym", "date_era")]
    assert again.error_count == validate_paths([str(src)]).error_count == 9  # what needs a person is still there

    # the fixed copy uploaded again: nothing left that fix may change, the same errors shown
    _upload(page, app, fixed)
    assert page.inner_text("#fixed-summary") == "ไม่มีค่าที่แก้ให้อัตโนมัติได้"
    assert "ข้อผิดพลาด 9" in page.inner_text("#summary")
    ctx.close()


def test_english_switch(chromium, app):
    page = chromium.new_page()
    _upload(page, app, EXAMPLES / "tourism-template2-3.xlsx")
    with page.expect_navigation():
        page.click("#lang-switch")
    assert page.inner_text("#lang-switch") == "ภาษาไทย"
    assert page.inner_text("h2") == "Downloads"
    report = page.frame_locator("#report")
    report.locator("h1").wait_for()
    assert report.locator("html").get_attribute("lang") == "en"
    page.goto(app.url + "/")  # the choice is remembered
    assert page.inner_text("#check-button") == "Check"
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.inner_text("#check-button") == "ตรวจ"
    page.close()


@pytest.mark.parametrize("layout,standard,sheet", [("opdc", "2.2", "Template 2"), ("nso", "2.0", "Temp2_Meta_Record")])
def test_blank_template_download(chromium, app, tmp_path: Path, layout: str, standard: str, sheet: str):
    ctx = chromium.new_context(accept_downloads=True)
    page = ctx.new_page()
    page.goto(app.url + "/")
    page.select_option("#layout", layout)
    page.select_option("#tstandard", standard)
    path = _download(page, "#template-button", tmp_path)
    assert path.name == f"template-{layout}-{standard}.xlsx"
    assert sheet in load_workbook(path).sheetnames
    ctx.close()


def test_score_form(chromium, app):
    page = chromium.new_page()
    page.goto(app.url + "/score")
    page.set_input_files("#file", str(EXAMPLES / "tourism-fy2566.xlsx"))
    page.select_option("#fy", "2566")
    page.fill("#agency", "กรมการท่องเที่ยว")
    page.fill("#catalog_url", "https://catalog.tourism.go.th")
    page.select_option("#scope-2566", "ชุดข้อมูลสนับสนุนการให้บริการประชาชน (e-Service)")
    page.check("#dataset_list")
    page.check("#uploaded")
    page.fill("#gd_catalog", "DataSet_11_01, DataSet_11_02, DataSet_11_03, DataSet_12_01")
    page.fill("#ssot", "DataSet_11_01")
    page.fill("#use_dataset0", "DataSet_12_02")
    page.fill("#use_evidence0", "แอปพลิเคชันแผนที่จุดบริการนักท่องเที่ยว ใช้ข้อมูลชุดนี้ผ่าน API")
    with page.expect_navigation():
        page.click("#score-button")
    report = page.frame_locator("#report")
    report.locator("h1").wait_for()
    text = report.locator("body").inner_text()
    expected = score_report(validate_paths([str(EXAMPLES / "tourism-fy2566.xlsx")]), fy=2566,
                            catalog_url="https://catalog.tourism.go.th", declarations={
                                "fy": 2566, "agency": "กรมการท่องเที่ยว", "catalog_url": "https://catalog.tourism.go.th",
                                "use_scope": "ชุดข้อมูลสนับสนุนการให้บริการประชาชน (e-Service)", "dataset_list": True,
                                "uploaded": "all", "single_source_of_truth": ["DataSet_11_01"],
                                "gd_catalog_registered": ["DataSet_11_01", "DataSet_11_02", "DataSet_11_03", "DataSet_12_01"],
                                "utilization": [{"dataset": "DataSet_12_02",
                                                 "evidence": "แอปพลิเคชันแผนที่จุดบริการนักท่องเที่ยว ใช้ข้อมูลชุดนี้ผ่าน API"}]})
    total = expected.to_dict()["total"]
    assert re.search(rf"(?<![\d.]){re.escape(f'{total:g}')}(?![\d])", text), (total, text[:600])
    screenshot(page, "web-score-th.png", full_page=True)
    page.close()


def _post_file(url: str, path: Path) -> str:
    """A multipart upload with urllib, as a second steward's browser would send it; the result page."""
    boundary = "----catalogtools" + path.stem.encode().hex()[:16]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(url + "/check", data=body, method="POST",
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return resp.url + "\n" + resp.read().decode("utf-8")


def test_two_stewards_at_once_never_see_each_others_files(chromium, app, tmp_path: Path):
    a = tmp_path / "ท่องเที่ยว-ก.xlsx"
    b = tmp_path / "ท่องเที่ยว-ข.xlsx"
    shutil.copyfile(EXAMPLES / "tourism-messy.xlsx", a)
    shutil.copyfile(EXAMPLES / "nso-gd-catalog-import.xlsx", b)
    # in parallel over HTTP, several rounds
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        jobs = [(p, pool.submit(_post_file, app.url, p)) for p in (a, b, a, b, a, b)]
        pages = [(p, job.result()) for p, job in jobs]
    tokens = set()
    for p, text in pages:
        url, html = text.split("\n", 1)
        assert f'<span id="file-name">{p.name}</span>' in html
        tokens.add(url.rsplit("/", 1)[1])
    assert len(tokens) == 6
    # and in two browser sessions, interleaved: each keeps its own result and downloads
    ctx1, ctx2 = chromium.new_context(accept_downloads=True), chromium.new_context(accept_downloads=True)
    p1, p2 = ctx1.new_page(), ctx2.new_page()
    p1.goto(app.url + "/")
    p2.goto(app.url + "/")
    p1.set_input_files("#file", str(a))
    p2.set_input_files("#file", str(b))
    p1.click("#check-button", no_wait_after=True)
    p2.click("#check-button", no_wait_after=True)
    p1.wait_for_selector("#file-name")
    p2.wait_for_selector("#file-name")
    assert p1.inner_text("#file-name") == a.name and p2.inner_text("#file-name") == b.name
    f1 = _download(p1, "#dl-fixed", tmp_path / "one" if (tmp_path / "one").mkdir() is None else tmp_path)
    f2 = _download(p2, "#dl-fixed", tmp_path / "two" if (tmp_path / "two").mkdir() is None else tmp_path)
    assert "Template 2" in load_workbook(f1).sheetnames and "Temp2_Meta_Record" in load_workbook(f2).sheetnames
    ctx1.close()
    ctx2.close()


@pytest.mark.ckan
def test_audit_with_progress(chromium, ckan_server, org_s, tmp_path: Path):
    from tests.integration.test_audit_ckan import GOOD

    org = org_s["name"]
    for i in range(3):
        ckan_server.call("package_create", dict(GOOD, name=ckan_server.unique_name(f"library{i}"), owner_org=org))
    with running_app(tmp_path, env={"CKAN_API_TOKEN": ckan_server.token}) as server:
        page = chromium.new_page()
        page.goto(server.url + "/audit")
        assert "โทเค็น API" in page.inner_text("#token-state") and "ไม่มี" not in page.inner_text("#token-state")
        assert page.locator("input[name*=token]").count() == 0  # the page never asks for the token
        page.fill("#ckan_url", ckan_server.url)
        page.fill("#org", org)
        page.click("#audit-button")
        page.wait_for_selector("#audit-status")  # the progress page, refreshed while it runs
        page.wait_for_selector("#report", timeout=120_000)
        report = page.frame_locator("#report")
        report.locator("h1").wait_for()
        assert report.locator(".dataset").count() == 3
        screenshot(page, "web-audit-th.png", full_page=True)
        page.close()
        assert ckan_server.token not in server.log_text()
        meta_files = list(server.state.glob("*/meta.json"))
        assert meta_files and all(ckan_server.token not in m.read_text("utf-8") for m in meta_files)


def test_progress_page_refreshes_until_the_audit_is_done(chromium, app):
    """The audit page a steward watches: the count and bar while it runs, the report when done
    (driven through the result store, as the audit thread drives it)."""
    import json

    token = "P" * 32
    folder = app.state / token
    folder.mkdir()
    meta = {"kind": "audit", "status": "running", "name": "https://catalog.tourism.go.th dot", "fy": 2566}
    (folder / "meta.json").write_text(json.dumps(dict(meta, done=40, total=120)), encoding="utf-8")
    page = chromium.new_page()
    page.goto(f"{app.url}/result/{token}")
    assert page.inner_text("#audit-status") == "กำลังตรวจ…"
    assert page.inner_text("#audit-count") == "ตรวจแล้ว 40 จาก 120 รายการ"
    assert page.get_attribute("#audit-progress", "value") == "40"
    (folder / "meta.json").write_text(json.dumps(dict(meta, done=80, total=120)), encoding="utf-8")
    page.wait_for_selector("#audit-count:has-text('ตรวจแล้ว 80 จาก 120')", timeout=15_000)  # the page refreshes itself
    (folder / "report-th.html").write_text("<!doctype html><html lang=th><h1>ผลการตรวจระบบ</h1></html>", encoding="utf-8")
    (folder / "meta.json").write_text(json.dumps(dict(meta, status="done", summary={"datasets": 120, "errors": 3,
                                                                                       "warnings": 5})), encoding="utf-8")
    page.wait_for_selector("#report", timeout=15_000)
    assert page.frame_locator("#report").locator("h1").inner_text() == "ผลการตรวจระบบ"
    (folder / "meta.json").write_text(json.dumps(dict(meta, status="failed", error="CKAN is unreachable")), encoding="utf-8")
    page.reload()
    assert page.inner_text("#audit-status") == "ตรวจไม่สำเร็จ" and page.inner_text("#error-message") == "CKAN is unreachable"
    page.close()
