"""HTML report: self-contained, escaped, Thai or English, with the sections auditors need."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from catalog_tools.options import ValidationOptions
from catalog_tools.render.html import render_page
from catalog_tools.results import AuditResult, OrgStats, OrgSummary
from catalog_tools.validate import validate_paths
from tests.outputs_data import audit_of, hostile_workbook, many_findings_workbook

OPTS = ValidationOptions.from_mapping({})

# The shape the score command returns (ScoreResult.to_dict()), with the official worked example.
WORKED_SCORE = {
    "version": 1, "fy": 2565,
    "items": [
        {"key": "dataset_list", "level": "basic", "points": 0, "max": 0, "basis": "declared", "lost_by": []},
        {"key": "metadata", "level": "standard", "points": 10, "max": 15, "title": "14-item metadata of every dataset",
         "title_th": "คำอธิบายข้อมูล (Metadata) 14 รายการของทุกชุดข้อมูล", "basis": "4/6 datasets complete (66.67%)",
         "lost_by": ["DataSet_12_02", "DataSet_21_01"]},
        {"key": "catalog", "level": "standard", "points": 10, "max": 10, "basis": "catalog URL given", "lost_by": []},
        {"key": "open_data", "level": "advanced", "points": 0, "max": 20, "basis": "not assessed", "lost_by": []},
    ],
    "levels": {"basic": {"points": 50, "reached": True}, "standard": {"points": 20, "max": 25, "reached": False}},
    "total": 70,
    "fix_first": [{"dataset": "DataSet_12_02", "gain": 2.5, "fix": "กรอกอีเมลผู้ติดต่อ (รายการที่ 5)"}],
}


def _no_network_refs(html: str) -> None:
    from catalog_tools.render.html_parts import SORT_SCRIPT

    # the only script a page may carry is our table sorter, inline, allowed by its hash
    assert re.findall(r"<script[^>]*>(.*?)</script>", html, re.S | re.I) in ([], [SORT_SCRIPT])
    assert html.lower().count("<script") == html.count("<script>" + SORT_SCRIPT)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(http" not in html


def test_validate_report_sections_in_thai(examples: Path):
    report = validate_paths([str(examples / "tourism-messy.xlsx")], options=OPTS)
    html = render_page(report, "validate", "th")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="th">' in html
    assert '<meta charset="utf-8">' in html and "Noto Sans Thai" in html
    for section in ('id="summary"', 'id="completeness"', 'id="fix-first"', 'id="datasets"', "<svg"):
        assert section in html
    assert "รายงานผลการตรวจคำอธิบายข้อมูล" in html and "5. อีเมลผู้ติดต่อ" in html
    assert "ไม่ใช่อีเมล" in html  # Thai message
    assert html.count('class="dataset"') == 6
    assert 'data-key="errors"><span class="n">9</span>' in html
    _no_network_refs(html)


def test_english(examples: Path):
    report = validate_paths([str(examples / "tourism-messy.xlsx")], options=OPTS)
    html = render_page(report, "validate", "en")
    assert '<html lang="en">' in html and "Completeness per item" in html
    assert "is not a valid e-mail address" in html and "ไม่ใช่อีเมล" not in html
    assert "จำนวนนักท่องเที่ยวชาวต่างชาติรายจังหวัด" in html  # data stays Thai


def test_completeness_per_item(examples: Path):
    report = validate_paths([str(examples / "tourism-messy.xlsx")], options=OPTS)
    html = render_page(report, "validate", "en")
    section = html.split('id="completeness"')[1].split("</section>")[0]
    assert section.count("<tr>") == 1 + 14  # header + 14 items
    assert "<td>5/6</td><td>83%</td>" in section  # item 5: one bad e-mail among six datasets


def test_hostile_values_are_escaped(tmp_path: Path):
    report = validate_paths([str(hostile_workbook(tmp_path / "h.xlsx"))], options=OPTS)
    html = render_page(report, "validate", "th")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;ชุดข้อมูล&#x27;)&lt;/script&gt;" in html


def test_score_report_has_kpi_and_chart():
    html = render_page(WORKED_SCORE, "score", "th")
    assert 'id="kpi"' in html and 'id="chart-points"' in html
    assert "มาตรฐาน" in html and "ขั้นสูง" in html
    assert 'data-earned="10" data-possible="15"' in html
    assert "คะแนนรวม: 70" in html
    assert "กรอกอีเมลผู้ติดต่อ (รายการที่ 5)" in html and 'id="fix-first"' in html
    _no_network_refs(html)


def test_audit_report_has_organizations(examples: Path):
    report = validate_paths([str(examples / "ckan-package-search.json")], options=OPTS)
    html = render_page(audit_of(report, [
        OrgSummary("tourism-dept", "กรมการท่องเที่ยว", datasets=3, complete=2, errors=5, complete_percent=66.666),
        OrgSummary("hss", "กรมสนับสนุนบริการสุขภาพ", datasets=2, complete=2, errors=0, complete_percent=100.0),
    ]), "audit", "th")
    org = html.split('id="organizations"')[1].split("</section>")[0]
    assert "กรมการท่องเที่ยว" in org and "กรมสนับสนุนบริการสุขภาพ" in org and "66.67" in org
    assert org.count("<tr>") == 3
    assert 'id="kpi"' in html and 'id="datasets"' in html


@pytest.mark.parametrize("lang", ["th", "en"])
def test_thousand_findings(tmp_path: Path, lang):
    report = validate_paths([str(many_findings_workbook(tmp_path / "many.xlsx"))], options=OPTS)
    html = render_page(report, "validate", lang)
    assert html.count('class="dataset"') == 1000
    assert html.count('class="sev-error"') == 1000
    assert "ภูมิภาคอาเซียน" in html


def _fake_audit(examples: Path) -> AuditResult:
    """An audit of a fake CKAN catalog (two organizations), as ``catalog-tools audit`` produces it."""
    from catalog_tools.ckan.audit import AuditOptions, audit_catalog
    from tests.fake_ckan import FakeCkan
    from catalog_tools.ckan.publish import PublishOptions, publish_report

    fake = FakeCkan()
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    fake.add_org("sports", "กรมพลศึกษา")
    publish_report(validate_paths([str(examples / "tourism-template2-3.xlsx")]), fake, PublishOptions(fields="top-level"))
    fake.call_action("package_create", {
        "name": "stadium-list", "title": "รายชื่อสนามกีฬาจังหวัด", "owner_org": "sports", "data_type": "ข้อมูลระเบียน",
        "maintainer": "กองสนามกีฬา", "maintainer_email": "stadium(at)dpe.go.th", "tags": [{"name": "สนามกีฬา"}],
        "notes": "รายชื่อและที่ตั้งสนามกีฬาประจำจังหวัด", "update_frequency_unit": "ปี", "geo_coverage": "จังหวัด",
        "data_source": "กองสนามกีฬา", "data_format": ["PDF"], "data_category": "ข้อมูลสาธารณะ", "license_id": "Open Data Common",
        "resources": [{"name": "รายชื่อสนาม", "url": "https://www.dpe.go.th/stadium.pdf", "format": "PDF"}]})
    return audit_catalog(fake, AuditOptions(fy=2565))


def test_real_audit_result(examples: Path, no_network):
    report = _fake_audit(examples)
    html = render_page(report, "audit", "th")
    assert "รายงานผลการตรวจสอบบัญชีข้อมูล" in html
    org = html.split('id="organizations"')[1].split("</section>")[0]
    assert "กรมการท่องเที่ยว" in org and "กรมพลศึกษา" in org and org.count("<tr>") == 3
    assert 'id="kpi"' in html and 'id="chart-points"' in html
    assert "stadium-list" in html and "ไม่ใช่อีเมล" in html
    _no_network_refs(html)


def test_organisation_table_sorts_with_our_script_only(examples: Path):
    """The one script is ours, allowed by its hash; values that look like scripts stay text."""
    import base64
    import hashlib

    report = validate_paths([str(examples / "ckan-package-search.json")], options=OPTS)
    html = render_page(audit_of(report, [
        OrgSummary("dot", "กรมการท่องเที่ยว<script>alert(1)</script>", datasets=4, stats=OrgStats(
            open=3, open_complete=3, current=2, current_percent=66.67, registered=1, registered_percent=33.33,
            score={"total": 0.0, "total_display": "0.00", "grade": {"key": "fair", "th": "พอใช้", "en": "fair"}})),
        OrgSummary("dsd", "กรมพลศึกษา", datasets=1, stats=OrgStats(
            open=1, open_complete=1, current=1, current_percent=100.0, registered=1, registered_percent=100.0,
            score={"total": 100.0, "total_display": "100.00", "grade": {"key": "very_good", "th": "ดีมาก", "en": "very good"}})),
    ]), "audit", "th")
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1 and "alert" not in scripts[0]
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    org = html.split('id="organizations"')[1].split("</section>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in org and "ดีมาก" in org and "พอใช้" in org
    assert 'class="orgs sortable"' in org and 'id="org-scores"' in org
    # pages without an organisation table carry no script at all
    assert "<script" not in render_page(report, "validate", "th")
