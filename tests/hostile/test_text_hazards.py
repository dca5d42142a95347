"""Lone surrogates, non-finite numbers and terminal control characters in inputs."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from catalog_tools.textsafe import for_terminal, one_line, scrub

from .conftest import EXAMPLES, leftovers, run_cmd
from .files import HEADER, ROW, sheet_xml, write_xlsx


def _packages(tmp_path: Path, **changes: object) -> Path:
    data = json.loads((EXAMPLES / "ckan-package-search.json").read_text(encoding="utf-8"))
    pkg = data["result"]["results"][0]
    pkg.update(changes)
    path = tmp_path / "packages.json"
    # ensure_ascii keeps "\ud83d" as the six-character escape a portal would send
    path.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return path


def _strict_json(text: str) -> object:
    def refuse(name: str) -> object:
        raise AssertionError(f"{name} is not JSON")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html", "xlsx"])
def test_lone_surrogate_in_json_input(fmt: str, tmp_path: Path) -> None:
    src = _packages(tmp_path, title="นักท่องเที่ยว \ud83d รายจังหวัด", notes="\udc00 หมายเหตุ", maintainer="\ud83d")
    out = tmp_path / f"report.{fmt}"
    run = run_cmd("validate", src, "--format", fmt, "-o", out, "--verbose" if fmt == "text" else "--lang=th")
    assert run.rc in (0, 1) and run.clean and run.stderr == "", run.stderr
    text = out.read_bytes().decode("utf-8") if fmt != "xlsx" else ""
    if fmt == "json":
        report = _strict_json(text)
        assert report["datasets"][0]["title"] == "นักท่องเที่ยว \ufffd รายจังหวัด"  # type: ignore[index]
    assert leftovers(tmp_path) == []


def test_lone_surrogate_in_score_json(tmp_path: Path) -> None:
    src = _packages(tmp_path, title="\ud83d สถิติ")
    run = run_cmd("score", src, "--fy", "2566", "--format", "json")
    assert run.rc == 0 and run.clean, run.stderr
    _strict_json(run.stdout)


@pytest.mark.parametrize("raw", ["1e400", "-1e400", "NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_json_input(raw: str, tmp_path: Path) -> None:
    src = _packages(tmp_path)
    text = src.read_text(encoding="utf-8").replace('"update_frequency_interval": "1"',
                                                   f'"update_frequency_interval": {raw}, "num_resources": {raw}')
    assert raw in text
    src.write_text(text, encoding="utf-8")
    for cmd in (["validate", src, "--format", "json"], ["score", src, "--fy", "2566", "--format", "json"]):
        run = run_cmd(*cmd)
        assert run.rc in (0, 1) and run.clean, run.stderr
        report = _strict_json(run.stdout)
        if cmd[0] == "validate":
            ds = report["datasets"][0]  # type: ignore[index]
            codes = {f["code"] for f in ds["findings"] if f["field"] == "update_frequency_interval"}
            if raw == "NaN":  # a placeholder like "-" and "N/A": an optional item left blank
                assert "update_frequency_interval" not in ds["metadata"]
            else:  # kept as the text that was there, and reported as not a number
                assert ds["metadata"]["update_frequency_interval"] == raw
                assert "format" in codes, ds["findings"]


def test_non_finite_number_in_a_workbook_cell(tmp_path: Path) -> None:
    header = [*HEADER, "ค่าความถี่ของการปรับปรุงข้อมูล"]
    row = [*ROW, 0]
    xml = sheet_xml([(1, list(enumerate(header))), (2, list(enumerate(row)))]).replace("<v>0</v>", "<v>1e400</v>")
    src = write_xlsx(tmp_path / "inf.xlsx", {"Template 2": xml})
    run = run_cmd("validate", src, "--format", "json")
    assert run.rc == 1 and run.clean, run.stderr
    report = _strict_json(run.stdout)
    assert report["datasets"][0]["metadata"]["update_frequency_interval"] == "Infinity"  # type: ignore[index]


def test_very_long_integer_is_text_not_a_crash(tmp_path: Path) -> None:
    src = _packages(tmp_path)
    src.write_text(src.read_text(encoding="utf-8").replace('"update_frequency_interval": "1"',
                                                           '"update_frequency_interval": ' + "9" * 5000), encoding="utf-8")
    run = run_cmd("validate", src, "--format", "json")
    assert run.rc == 1 and run.clean, run.stderr
    _strict_json(run.stdout)


@pytest.mark.parametrize("resources", [1, 1.5, True, "ไฟล์", {"name": "x"}])
def test_odd_resources_shape_is_not_a_type_error(resources: object, tmp_path: Path) -> None:
    src = _packages(tmp_path, resources=resources)
    run = run_cmd("validate", src)
    assert run.rc in (0, 1) and run.clean and "TypeError" not in run.stderr, run.stderr


def test_terminal_escapes_never_reach_the_terminal(tmp_path: Path) -> None:
    evil = "\x1b]0;owned\x07\x1b[2J\x9b31m\rกรมการท่องเที่ยว\x08\x08\u202eliated\u2066"
    src = _packages(tmp_path, title=f"สถิติ {evil}", geo_coverage=evil, maintainer_email=evil)
    for args in (["validate", src, "--verbose"], ["score", src, "--fy", "2566"]):
        run = run_cmd(*args)
        assert run.rc in (0, 1) and run.clean, run.stderr
        for ch in ("\x1b", "\x07", "\x9b", "\x08", "\r", "\u202e", "\u2066"):
            assert ch not in run.stdout and ch not in run.stderr, (args[0], repr(ch))
        assert "กรมการท่องเที่ยว" in run.stdout or args[0] == "score"


def test_helpers() -> None:
    assert for_terminal("ก\x1b[31mข\nค\tง\x9b") == "ก[31mข\nค\tง"
    assert for_terminal("ชุดข้อมูล \u202eเดิม\u202c \u2067x\u2069") == "ชุดข้อมูล เดิม x"
    assert one_line("a\nb\r\nc\x07") == "a b c"
    assert scrub({"\ud83d": ["x\udc00", 1.5]}) == {"\ufffd": ["x\ufffd", 1.5]}
    pair = "😀"
    assert scrub(pair) == pair


def test_a_lone_surrogate_anywhere_in_a_large_page_is_replaced_and_a_clean_page_kept_as_it_is() -> None:
    """scrub first tries the whole tree at once; a surrogate deep down, in a key, or beside values the
    fast check cannot write (huge integers, non-text keys) must still be found."""
    def page() -> list[dict]:
        return [{"name": f"tourist-arrivals-{i:04d}", "title": f"จำนวนนักท่องเที่ยว ชุดที่ {i}",
                 "resources": [{"name": "ไฟล์ CSV", "url": f"https://data.tat.or.th/{i}.csv", "size": i * 1024}]}
                for i in range(500)]
    clean = page()
    assert scrub(clean) is clean  # nothing to replace: the same object, no copy
    deep, keyed, odd = page(), page(), page()
    deep[250]["resources"][0]["name"] = "ไฟล์ \udcff CSV"
    keyed[499]["resources"][0]["\ud800format"] = "CSV"
    odd[3]["resources"][0]["size"] = 2 ** 80  # beyond 64 bits: the fast check gives up, the walk decides
    odd[4]["title"] = "ชุด\udc80ข้อมูล"
    assert scrub(deep)[250]["resources"][0]["name"] == "ไฟล์ \ufffd CSV"
    assert "\ufffdformat" in scrub(keyed)[499]["resources"][0]
    got = scrub(odd)
    assert got[4]["title"] == "ชุด\ufffdข้อมูล" and got[3]["resources"][0]["size"] == 2 ** 80
    big = page()
    big[0]["size"] = 2 ** 80  # nothing to replace, but the fast check cannot tell: walked, values kept
    assert scrub(big)[0]["size"] == 2 ** 80 and scrub(big)[1:] == page()[1:]
