"""Attacks the issue did not list: empty, fake and bombed containers, odd names, every command."""
from __future__ import annotations

import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, digest, leftovers, run_cmd
from .files import full_rows, sheet_xml, write_xlsx


@pytest.mark.parametrize("name", ["empty.xlsx", "empty.csv", "empty.json", "empty.xls"])
def test_zero_byte_inputs(name: str, tmp_path: Path) -> None:
    src = tmp_path / name
    src.write_bytes(b"")
    run = run_cmd("validate", src)
    assert run.one_line_error and "empty" in run.stderr, run.stderr


@pytest.mark.parametrize("content", [b"not a workbook at all\n", b"PK\x03\x04" + b"\x00" * 40,
                                     b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600])
def test_fake_workbooks(content: bytes, tmp_path: Path) -> None:
    src = tmp_path / "catalog.xlsx"
    src.write_bytes(content)
    run = run_cmd("validate", src)
    assert run.one_line_error, run.stderr


def test_zip_that_claims_to_unpack_to_three_gigabytes(tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "bomb.xlsx", {"Template 2": sheet_xml(full_rows(2))})
    data = bytearray(src.read_bytes())
    # the central directory's "uncompressed size" of the sheet: what a zip bomb declares
    pos = data.find(b"PK\x01\x02", data.find(b"xl/worksheets/sheet1.xml") - 200)
    while data[pos + 46: pos + 46 + 24] != b"xl/worksheets/sheet1.xml":
        pos = data.find(b"PK\x01\x02", pos + 4)
    data[pos + 24: pos + 28] = struct.pack("<I", 3 * 2**30)
    src.write_bytes(bytes(data))
    run = run_cmd("validate", src)
    assert run.one_line_error and "2 GiB" in run.stderr, run.stderr


def test_sheet_xml_that_is_not_xml(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"Template 2": sheet_xml(full_rows(2))})
    buf = io.BytesIO()
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            zout.writestr(info, b"<worksheet><sheetData><row r=" if info.filename.endswith("sheet1.xml") else body)
    src = tmp_path / "broken.xlsx"
    src.write_bytes(buf.getvalue())
    run = run_cmd("validate", src)
    assert (run.rc == 1 or run.one_line_error) and run.clean, run.stderr


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/\xff\xfe-\xe0\xb8-catalog.csv"
    with open(raw, "wb") as fh:
        fh.write((EXAMPLES / "tourism-template2-cp874.csv").read_bytes())
    name = os.fsdecode(raw)
    for fmt in ("text", "json", "csv", "html"):
        run = run_cmd("validate", name, "--format", fmt)
        assert run.rc in (0, 1) and run.clean and run.stderr == "", (fmt, run.stderr[-1500:])
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/\xff-missing.csv")
    run = run_cmd("validate", missing)
    assert run.one_line_error and "\\xff-missing.csv" in run.stderr, run.stderr


def test_every_command_refuses_to_overwrite_its_inputs(tmp_path: Path) -> None:
    decl = tmp_path / "declarations.yaml"
    decl.write_text("fy: 2566\nagency: กรมการท่องเที่ยว\n", encoding="utf-8")
    token = tmp_path / "token.txt"
    token.write_text("tok-of-the-tourism-department\n", encoding="utf-8")
    before = {p: digest(p) for p in (decl, token)}
    for args in (["audit", "--ckan", "http://127.0.0.1:9", "--declarations", decl, "-o", decl],
                 ["audit", "--ckan", "http://127.0.0.1:9", "--token-file", token, "--format", "json", "-o", token],
                 ["publish", EXAMPLES / "tourism-template2-3.xlsx", "--ckan", "http://127.0.0.1:9", "--token-file", token,
                  "--log", token]):
        run = run_cmd(*args)
        assert run.one_line_error and "refusing to overwrite" in run.stderr, (args[0], run.stderr)
    assert {p: digest(p) for p in (decl, token)} == before


def test_template_never_leaves_a_partial_file_and_respects_existing(tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    out.write_bytes(b"steward's own file")
    run = run_cmd("template", "--out", out)
    assert run.one_line_error and out.read_bytes() == b"steward's own file"
    run = run_cmd("template", "--out", out, "--force")
    assert run.rc == 0 and zipfile.is_zipfile(out) and leftovers(tmp_path) == []


def test_fix_uses_the_same_guards(tmp_path: Path, workbook: Path) -> None:
    hard = tmp_path / "hard.xlsx"
    os.link(workbook, hard)
    before = digest(workbook)
    run = run_cmd("fix", workbook, "-o", hard)
    assert run.one_line_error and digest(workbook) == before, run.stderr
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    run = run_cmd("fix", fifo, "-o", tmp_path / "fixed.xlsx", timeout=30)
    assert run.one_line_error and "FIFO" in run.stderr, run.stderr


def test_fix_of_a_merge_bomb_and_a_formula_value(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = full_rows(2)
    src = write_xlsx(tmp_path / "bomb.xlsx", {"Template 2": sheet_xml(rows, merges=["Q3:XFD1048576"])})
    out = tmp_path / "fixed.xlsx"
    run = run_cmd("fix", src, "-o", out, preexec_fn=_bounded, timeout=120)
    assert run.rc in (0, 1) and run.clean, run.stderr[-1500:]
    wb = load_workbook(out)
    assert all(c.data_type != "f" for row in wb["Template 2"].iter_rows() for c in row)


def _bounded() -> None:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))


def test_no_openpyxl_warnings_on_stderr(tmp_path: Path) -> None:
    """Extensions openpyxl does not keep (data validation, conditional formatting) made it print
    Python warnings with source lines; stderr is for the tool's own one-line messages."""
    ext = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="0"/></ext>'
           '<ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings/></ext>'
           "</extLst></worksheet>")
    rows = full_rows(2, email="plan(at)tourism.go.th")
    src = write_xlsx(tmp_path / "ext.xlsx", {"Template 2": sheet_xml(rows).replace("</worksheet>", ext)})
    far = write_xlsx(tmp_path / "far.xlsx", {"Template 2": sheet_xml([*rows, (1_048_576, [(16_383, "x")])])
                                             .replace("</worksheet>", ext)})
    for args in (["validate", src, "--format", "xlsx", "-o", tmp_path / "a.xlsx"], ["fix", src, "-o", tmp_path / "f.xlsx"],
                 ["validate", far]):
        run = run_cmd(*args)
        assert run.rc in (0, 1) and run.stderr == "", (args[0], run.stderr)
