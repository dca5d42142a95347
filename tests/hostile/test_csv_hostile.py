"""CSV files that break the reader's assumptions: open quotes, giant lines, a million columns."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_cmd
from .files import FULL_HEADER, full_row


def _csv(rows: list[list[object]]) -> str:
    return "\n".join(",".join(str(v) for v in row) for row in rows) + "\n"


def _five_datasets(**changes_of_second: object) -> list[list[object]]:
    rows: list[list[object]] = [FULL_HEADER]
    for i in range(1, 6):
        row = full_row(i, **(changes_of_second if i == 2 else {}))
        row[6], row[13] = "ท่องเที่ยว", "CSV"  # no commas inside values: no quotes needed
        rows.append(row)
    return rows


def _report(path: Path, *args: object) -> dict:
    run = run_cmd("validate", path, "--format", "json", *args)
    assert run.rc in (0, 1) and run.clean and run.stderr == "", run.stderr
    return json.loads(run.stdout)


def test_unbalanced_quote_is_a_finding_with_the_row(tmp_path: Path) -> None:
    src = tmp_path / "tourism.csv"
    src.write_text(_csv(_five_datasets(org='"กรมการท่องเที่ยว')), encoding="utf-8")
    report = _report(src)
    quote = [f for f in report["findings"] if f["code"] == "csv_quote"]
    assert len(quote) == 1, report["findings"]
    assert quote[0]["severity"] == "error" and quote[0]["location"] == "tourism.csv!D3"
    assert "lines 3–6" in quote[0]["message"] and "3 following line" in quote[0]["message"]
    assert "บรรทัด 3–6" in quote[0]["message_th"]


def test_quote_closed_many_lines_later(tmp_path: Path) -> None:
    rows = _five_datasets(org='"กรมการท่องเที่ยว')
    rows[4][3] = 'กรมการท่องเที่ยว"'  # closed on the fourth dataset's line: rows 3 and 4 vanish into one cell
    src = tmp_path / "tourism.csv"
    src.write_text(_csv(rows), encoding="utf-8")
    report = _report(src)
    assert [f["location"] for f in report["findings"] if f["code"] == "csv_quote"] == ["tourism.csv!D3"]
    assert report["summary"]["errors"] >= 1


def test_real_multi_line_description_is_not_flagged(tmp_path: Path) -> None:
    rows = _five_datasets()
    rows[2][7] = '"จำนวนนักท่องเที่ยวชาวไทย\nจำแนกรายจังหวัด\nข้อมูลรายเดือน"'
    src = tmp_path / "tourism.csv"
    src.write_text(_csv(rows), encoding="utf-8")
    report = _report(src)
    assert not [f for f in report["findings"] if f["code"] == "csv_quote"]
    assert len(report["datasets"]) == 5
    assert report["datasets"][1]["metadata"]["notes"].count("\n") == 2


def test_one_giant_line_is_refused_on_one_line(tmp_path: Path) -> None:
    src = tmp_path / "giant.csv"
    src.write_text(",".join(FULL_HEADER) + "\n" + "x," * 2_200_000 + "\n", encoding="utf-8")  # 4.4 M characters
    run = run_cmd("validate", src)
    assert run.one_line_error and "max_line_chars" in run.stderr, run.stderr


def test_limits_are_options(tmp_path: Path) -> None:
    src = tmp_path / "tourism.csv"
    src.write_text(_csv(_five_datasets()), encoding="utf-8")
    config = tmp_path / "limits.yaml"
    config.write_text("validation:\n  max_line_chars: 100\n", encoding="utf-8")
    run = run_cmd("validate", src, "--config", config)
    assert run.one_line_error and "line 1 " in run.stderr and "max_line_chars (100" in run.stderr, run.stderr
    config.write_text("validation:\n  max_field_chars: 20\n", encoding="utf-8")
    run = run_cmd("validate", src, "--config", config)
    assert run.one_line_error and "max_field_chars" in run.stderr, run.stderr
    config.write_text("validation:\n  max_columns: 0\n", encoding="utf-8")
    run = run_cmd("validate", src, "--config", config)
    assert run.one_line_error and "max_columns" in run.stderr, run.stderr


def test_a_million_columns_header(tmp_path: Path) -> None:
    src = tmp_path / "wide.csv"
    src.write_text(",".join(FULL_HEADER) + "," * 1_000_000 + "\n", encoding="utf-8")
    run = run_cmd("validate", src)
    assert run.one_line_error and "max_columns" in run.stderr, run.stderr


def test_open_quote_with_a_huge_rest(tmp_path: Path) -> None:
    src = tmp_path / "open.csv"
    src.write_text(_csv([FULL_HEADER]) + 'DataSet_11_01,"' + ("ข้อมูล\n" * 30_000), encoding="utf-8")
    run = run_cmd("validate", src)
    assert run.one_line_error and "max_field_chars" in run.stderr, run.stderr


@pytest.mark.parametrize("content", [b"", b"\xff\xfe", b"\xff\xfe\x00", b"\xfe\xff\xd8\x00", b"\x00" * 64,
                                     b"\xef\xbb\xbf"])
def test_empty_and_broken_encodings(content: bytes, tmp_path: Path) -> None:
    src = tmp_path / "catalog.csv"
    src.write_bytes(content)
    run = run_cmd("validate", src)
    assert run.one_line_error, (content, run.stderr)


def test_utf16_with_a_broken_bom(tmp_path: Path) -> None:
    text = _csv(_five_datasets())
    src = tmp_path / "utf16.csv"
    src.write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:-1])  # odd length: the last character is cut
    run = run_cmd("validate", src)
    assert run.rc in (1, 2) and run.clean and (run.rc == 1 or run.one_line_error), run.stderr
