"""Hostile inputs to ``catalog-tools fix``: one clear line on stderr, exit 2, the input untouched
and no output file — never a traceback, never a partial copy."""
from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "fixtures" / "bad"
MESSY = ROOT / "fixtures" / "examples" / "tourism-messy.xlsx"


def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("catalog-tools: error:"), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_output_equal_to_input_is_refused(run_cli, tmp_path: Path):
    src = tmp_path / "tourism.xlsx"
    shutil.copyfile(MESSY, src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    for target in (src, tmp_path / "sub" / ".." / "tourism.xlsx"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        line = _one_line_error(run_cli("fix", src, "-o", target))
        assert "refusing to overwrite" in line and "ไม่เขียนทับไฟล์" in line
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before


def test_output_through_a_symlink_to_the_input_is_refused(run_cli, tmp_path: Path):
    src = tmp_path / "tourism.xlsx"
    shutil.copyfile(MESSY, src)
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    _one_line_error(run_cli("fix", src, "-o", link))
    assert src.read_bytes() == MESSY.read_bytes()


@pytest.mark.parametrize("name", ["not-a-workbook.xlsx", "corrupt.xlsx", "binary.csv", "broken.json", "empty.csv",
                                  "no-header.csv"])
def test_unreadable_inputs(run_cli, tmp_path: Path, name: str):
    suffix = Path(name).suffix
    out = tmp_path / f"fixed{suffix}"
    _one_line_error(run_cli("fix", BAD / name, "-o", out))
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_zip_bomb_is_refused_before_unpacking(run_cli, tmp_path: Path):
    """A sheet that claims to unpack to 2.25 GiB (its size patched into the zip directory, as
    bombs do): refused from the directory, before anything is decompressed."""
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 4096)
    data = bytearray(bomb.read_bytes())
    at = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 4)  # the sheet's central-directory record
    data[at + 24:at + 28] = (0x90000000).to_bytes(4, "little")
    bomb.write_bytes(bytes(data))
    line = _one_line_error(run_cli("fix", bomb, "-o", tmp_path / "out.xlsx"))
    assert "2 GiB" in line and not (tmp_path / "out.xlsx").exists()


def test_wrong_output_type_and_old_xls(run_cli, tmp_path: Path):
    assert "must be named .xlsx" in _one_line_error(run_cli("fix", MESSY, "-o", tmp_path / "fixed.csv"))
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    assert "save it as .xlsx" in _one_line_error(run_cli("fix", xls, "-o", tmp_path / "fixed.xlsx"))


def test_unwritable_output_leaves_no_partial_file(run_cli, tmp_path: Path):
    line = _one_line_error(run_cli("fix", MESSY, "-o", tmp_path / "missing-folder" / "fixed.xlsx"))
    assert "cannot write" in line
    assert list(tmp_path.iterdir()) == []


def test_missing_input(run_cli, tmp_path: Path):
    assert "file not found" in _one_line_error(run_cli("fix", tmp_path / "nope.xlsx", "-o", tmp_path / "out.xlsx"))


def test_a_fifo_input_is_refused_without_blocking(run_cli, tmp_path: Path):
    fifo = tmp_path / "template2.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in _one_line_error(run_cli("fix", fifo, "-o", tmp_path / "fixed.csv"))
    assert not (tmp_path / "fixed.csv").exists()


def test_terminal_escapes_in_cells_never_reach_the_terminal(run_cli, tmp_path: Path):
    import csv

    from tests.fix_data import T2_ORDER
    from tests.outputs_data import DATASET, T2_HEADER

    src = tmp_path / "escapes.csv"
    row = dict(DATASET, title=" สถิตินักท่องเที่ยว\x1b]0;pwned\x07\x1b[2J ")
    with open(src, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([T2_HEADER, [row.get(n, "") for n in T2_ORDER]])
    result = run_cli("fix", src, "-o", tmp_path / "fixed.csv", "--lang", "en")
    assert "[fix_whitespace]" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout  # shown, spelled out
