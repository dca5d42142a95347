"""--compare: what changed between two of our JSON reports (audit, validate or score)."""
from __future__ import annotations

import json

import pytest

from catalog_tools.compare import CompareError, compare, compare_lines, load_previous


def _ds(ds_id, complete=True, gd=None, band=None):
    d = {"id": ds_id, "title": f"ชุดข้อมูล {ds_id}", "complete": complete, "findings": []}
    if gd is not None:
        d["gd_catalog"] = {"state": gd, "source": "gd_catalog"}
    if band is not None:
        d["timeliness"] = {"band": band, "cycle_days": 30}
    return d


PREVIOUS = {
    "version": 1,
    "datasets": [_ds("tourism-stat", gd="not_registered", band=0), _ds("hotel-list", complete=False, band=3),
                 _ds("guide-list", gd="registered", band=0), _ds("old-survey")],
    "score": {"fy": 2566, "total": 70.0, "items": []},
    "organizations": [{"name": "dot", "title": "กรมการท่องเที่ยว", "datasets": 3, "score": {"total": 70.0}},
                      {"name": "closed-unit", "title": "หน่วยงานที่ยุบแล้ว", "datasets": 1, "score": {"total": 50.0}}],
}
CURRENT = {
    "version": 1,
    "datasets": [_ds("tourism-stat", gd="registered", band=2), _ds("hotel-list", complete=True, band=0),
                 _ds("guide-list", complete=False, gd="not_registered", band=0), _ds("event-calendar", gd="registered")],
    "score": {"fy": 2566, "total": 82.5, "items": []},
    "organizations": [{"name": "dot", "title": "กรมการท่องเที่ยว", "datasets": 4, "score": {"total": 82.5}}],
}


def test_every_kind_of_change():
    c = compare(PREVIOUS, CURRENT)
    assert c["added"] == ["event-calendar"] and c["removed"] == ["old-survey"]
    assert c["became_complete"] == ["hotel-list"] and c["became_incomplete"] == ["guide-list"]
    assert c["newly_registered"] == ["event-calendar", "tourism-stat"] and c["no_longer_registered"] == ["guide-list"]
    assert c["newly_overdue"] == ["tourism-stat"] and c["no_longer_overdue"] == ["hotel-list"]
    assert c["score"] == {"before": 70.0, "after": 82.5, "delta": 12.5, "fy_before": 2566, "fy_after": 2566}
    rows = {r["name"]: r for r in c["organizations"]}
    assert rows["dot"]["delta"] == 12.5 and rows["dot"]["datasets_before"] == 3
    assert rows["closed-unit"]["datasets_after"] == 0 and rows["closed-unit"]["delta"] is None
    assert c["counts"]["added"] == 1 and c["counts"]["newly_registered"] == 2


def test_nothing_changed():
    c = compare(CURRENT, CURRENT)
    assert all(v == 0 for v in c["counts"].values()) and c["score"]["delta"] == 0
    assert "no dataset changed" in "\n".join(compare_lines(c))


def test_text_in_both_languages():
    c = compare(PREVIOUS, CURRENT)
    th = "\n".join(compare_lines(c, lang="th"))
    assert "ลงทะเบียน GD Catalog ใหม่: 2" in th and "70.0 → 82.5 (+12.50)" in th
    en = "\n".join(compare_lines(c, lang="en"))
    assert "newly overdue: 1 — tourism-stat" in en


def test_a_score_json_compares_with_a_score_json():
    c = compare({"fy": 2565, "total": 70.0, "items": []}, {"fy": 2566, "total": 57.5, "items": []})
    assert c["score"]["delta"] == -12.5 and c["added"] == []


@pytest.mark.parametrize("content", ["not json", "[1, 2]", json.dumps({"hello": "world"})])
def test_bad_previous_files_are_one_line_errors(tmp_path, content):
    p = tmp_path / "previous.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(CompareError) as info:
        load_previous(p)
    assert "\n" not in str(info.value)


def test_missing_previous_file(tmp_path):
    with pytest.raises(CompareError, match="cannot read"):
        load_previous(tmp_path / "ไม่มี.json")


def test_score_cli_compare_in_every_format(run_cli, tmp_path):
    from tests.conftest import EXAMPLES
    wb = EXAMPLES / "tourism-fy2566.xlsx"
    prev = tmp_path / "previous.json"
    first = run_cli("score", wb, "--fy", "2566", "--format", "json", "-o", prev)
    assert first.exit_code == 0, first.stderr
    again = run_cli("score", wb, "--fy", "2566", "--format", "json", "--compare", prev)
    c = json.loads(again.stdout)["compare"]
    assert c["datasets_compared"] is False and c["added"] == [] and c["score"]["delta"] == 0
    # against an earlier validate report holding one dataset fewer, the dataset shows as added
    bigger = json.loads(run_cli("validate", wb, "--format", "json").stdout)
    first_id = bigger["datasets"][0]["id"]
    bigger["datasets"] = bigger["datasets"][1:]
    prev.write_text(json.dumps(bigger, ensure_ascii=False), encoding="utf-8")
    c = json.loads(run_cli("score", wb, "--fy", "2566", "--format", "json", "--compare", prev).stdout)["compare"]
    assert c["added"] == [first_id] and "score" not in c
    text = run_cli("score", wb, "--fy", "2566", "--compare", prev, "--lang", "th")
    assert "การเปลี่ยนแปลงจากครั้งก่อน" in text.stdout and "ชุดข้อมูลที่เพิ่มขึ้น: 1" in text.stdout
    html_out = tmp_path / "score.html"
    run_cli("score", wb, "--fy", "2566", "--compare", prev, "--format", "html", "-o", html_out)
    assert 'id="compare"' in html_out.read_text(encoding="utf-8")


def test_compare_file_errors_and_same_path_as_output(run_cli, tmp_path):
    from tests.conftest import EXAMPLES
    wb = EXAMPLES / "tourism-fy2566.xlsx"
    bad = tmp_path / "previous.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run_cli("score", wb, "--fy", "2566", "--compare", bad)
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1
    good = tmp_path / "prev.json"
    run_cli("score", wb, "--fy", "2566", "--format", "json", "-o", good)
    before = good.read_bytes()
    same = run_cli("score", wb, "--fy", "2566", "--format", "json", "--compare", good, "-o", good)
    assert same.exit_code == 2 and good.read_bytes() == before
