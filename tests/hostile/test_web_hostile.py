"""Hostile uploads to the web app, in a real browser: a clear message on the page, never a stack
trace, nothing of the file in the server log, no script from a cell ever run."""
from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from tests.outputs_data import fill_template
from tests.web_support import app, chromium, screenshot  # noqa: F401 (fixtures)

WEB_MAX_MB = 1  # a small limit, so a 'huge' upload stays quick


def _upload(page, app, path: Path) -> str:
    page.goto(app.url + "/")
    page.set_input_files("#file", str(path))
    with page.expect_navigation():
        page.click("#check-button")
    content = page.content()
    assert "Traceback" not in content and 'File "' not in content
    return page.inner_text("#error-message")


def test_not_a_workbook(chromium, app, tmp_path: Path):
    fake = tmp_path / "รายงานประจำปี.xlsx"
    fake.write_text("รายงานประจำปี กรมการท่องเที่ยว — ไม่ใช่ไฟล์ Excel", encoding="utf-8")
    page = chromium.new_page()
    assert _upload(page, app, fake) == "ไม่ใช่ไฟล์ Excel ที่ถูกต้อง"
    screenshot(page, "web-hostile-not-a-workbook.png")
    pdf = tmp_path / "แผนปฏิบัติการ.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert "ไม่ใช่ไฟล์ Excel (.xlsx) CSV หรือ JSON" in _upload(page, app, pdf)
    page.close()


def test_zip_bomb(chromium, app, tmp_path: Path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 4096)
    data = bytearray(bomb.read_bytes())
    at = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)
    data[at + 24:at + 28] = (0x90000000).to_bytes(4, "little")  # claims 2.25 GiB unpacked
    bomb.write_bytes(bytes(data))
    page = chromium.new_page()
    assert _upload(page, app, bomb) == "ไฟล์ Excel มีขนาดเมื่อขยายใหญ่เกินกำหนด"
    page.close()


def test_huge_file(chromium, app, tmp_path: Path):
    big = tmp_path / "big.csv"
    row = "DataSet_11_01,ข้อมูลสถิติ,จำนวนนักท่องเที่ยว,กรมการท่องเที่ยว\n"
    big.write_text(row * (3 * 2**20 // len(row.encode())), encoding="utf-8")  # 3 MiB against a 1 MiB limit
    page = chromium.new_page()
    assert _upload(page, app, big) == "ไฟล์ใหญ่เกิน 1 MB"
    page.close()


def test_html_in_cell_values_is_shown_as_text(chromium, app, tmp_path: Path):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>สถิตินักท่องเที่ยว'
    src = fill_template(tmp_path / "evil.xlsx", "opdc", dataset={"title": evil, "maintainer_email": '"><b>plan</b>'})
    dialogs: list[str] = []
    page = chromium.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app.url + "/")
    page.set_input_files("#file", str(src))
    with page.expect_navigation():
        page.click("#check-button")
    report = page.frame_locator("#report")
    report.locator("h1").wait_for()
    assert evil in report.locator("body").inner_text()  # shown as the text it is
    assert report.locator("script").count() == 0 and report.locator("img[src=x]").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
    page.close()
    assert "สถิตินักท่องเที่ยว" not in app.log_text() and "plan" not in app.log_text()


def test_uploads_are_not_kept_and_results_hold_outputs_only(chromium, app, tmp_path: Path):
    src = fill_template(tmp_path / "tourism.xlsx", "opdc")
    page = chromium.new_page()
    page.goto(app.url + "/")
    page.set_input_files("#file", str(src))
    with page.expect_navigation():
        page.click("#check-button")
    token = page.url.rsplit("/", 1)[1]
    names = sorted(p.name for p in (app.state / token).iterdir())
    assert names == ["annotated.xlsx", "findings.csv", "fixed.xlsx", "meta.json", "report-en.html", "report-th.html"]
    assert load_workbook(app.state / token / "fixed.xlsx")  # an output, not the upload
    page.close()


def test_unknown_result_and_bad_token(chromium, app):
    page = chromium.new_page()
    for path in ("/result/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/result/..%2F..%2Fetc/download/csv", "/nope"):
        page.goto(app.url + path)
        assert "หมดอายุหรือไม่มีอยู่" in page.inner_text("#error-message")
    page.close()


def _post(url: str, data: bytes, headers: dict[str, str]) -> int:
    import urllib.error
    import urllib.request

    req = urllib.request.Request(url, data=data, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_another_site_cannot_start_an_audit_or_reach_the_app(app):
    """A page elsewhere must not make the server send its CKAN token anywhere, and a rebinding
    host name gets nothing: both refused before any work, nothing stored."""
    import urllib.error
    import urllib.request

    before = sorted(p.name for p in app.state.iterdir())
    form = b"ckan_url=https%3A%2F%2Fcollector.example&org=dot"
    plain = {"Content-Type": "application/x-www-form-urlencoded"}
    assert _post(app.url + "/audit", form, {**plain, "Origin": "https://collector.example"}) == 403
    assert _post(app.url + "/audit", form, {**plain, "Sec-Fetch-Site": "cross-site"}) == 403
    req = urllib.request.Request(app.url + "/", headers={"Host": "rebind.example"})
    try:
        urllib.request.urlopen(req, timeout=10)
        status = 200
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 400
    assert sorted(p.name for p in app.state.iterdir()) == before


def test_serve_on_a_port_in_use_is_one_line(run_cli):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", port)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("catalog-tools: error: cannot listen on 127.0.0.1:") and "Traceback" not in result.output
