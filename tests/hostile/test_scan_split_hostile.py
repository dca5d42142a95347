"""The extent scan of a large sheet shared with a forked helper (``shard.scan_in_two``).

The scan is the safety check made before the fast reader may see a sheet: one far cell it
missed would make the reader build a grid of billions of cells and abort the process. Shared by
two processes it must find exactly what one process finds — wherever the far, wide, unnumbered
or out-of-range cells are (the parent's part, the helper's, across the split), whatever the
helper does (dies, hangs, is slow, writes junk or a torn or wrong message), and a damaged sheet
must fail with the one-process scan's own error. The parent's zip and descriptors are left as
they were, and no process is left behind.

Each case runs in a fresh interpreter (a helper is forked only by a process with one thread),
with buffers of 4 KiB so that a sheet of a few hundred rows is split into twenty or so.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from .files import corrupt_member, sheet_xml, write_xlsx
from ..shard_support import in_fresh_process, in_fresh_scan

_MEMBER = "xl/worksheets/sheet1.xml"
_CHUNK = 4096


def _rows(first: int, last: int, cols: int = 5) -> list:
    return [(r, [(c, f"สถิตินักท่องเที่ยว จังหวัดเชียงใหม่ {r}-{c}") for c in range(cols)]) for r in range(first, last)]


def _sheets() -> dict[str, str]:
    plain = _rows(1, 400)
    return {
        "plain": sheet_xml(plain),
        # XFD1048576 near the end: in the helper's part
        "far_cell_late": sheet_xml([*plain, (1_048_576, [(16_383, "ไกลสุด")])]),
        # cells beyond the readers in both parts: the first one named is the parent's
        "beyond_both": sheet_xml([(3, [(0, "ก"), (2_000, "นอกขอบ")]), *_rows(4, 400), (450, [(3_000, "นอกขอบ")])]),
        # rows of six digits out of order, one in each part; a row of seven digits late
        "rows_far": sheet_xml([*_rows(1, 50), (654_321, [(0, "ไกล")]), *_rows(50, 400), (123_456, [(0, "ไกล")]),
                               (1_000_001, [(1, "ไกลมาก")])]),
        # two-letter columns only in the helper's part
        "wide_late": sheet_xml([*plain, (401, [(27, "AB"), (60, "BI")])]),
        # every row full of far references (a 100,000-row sheet's end): far cells counted across the split
        "full_far": sheet_xml(_rows(100_000, 100_300, cols=30)),
        # one cell without a reference, late
        "unnumbered_late": sheet_xml(plain).replace('<c r="C390"', "<c", 1),
        # one cell without a reference, early
        "unnumbered_early": sheet_xml(plain).replace('<c r="B5"', "<c", 1),
    }


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("แยกสแกน")
    return {name: write_xlsx(folder / f"{name}.xlsx", {"Template 2": xml}) for name, xml in _sheets().items()}


def _same_as_one_process(out: dict) -> None:
    assert "two_error" not in out and "one_error" not in out, out
    assert out["two"] == out["one"]
    assert out["forks"] == 1
    assert out["zip_still_reads"] and out["fds_kept"] and out["no_child_left"]


@pytest.mark.parametrize("name", list(_sheets()))
def test_two_processes_find_what_one_finds(books: dict[str, Path], name: str) -> None:
    with zipfile.ZipFile(books[name]) as zf:
        assert zf.getinfo(_MEMBER).file_size > 12 * _CHUNK  # split into many buffers, each part several
    out = in_fresh_scan(str(books[name]), _MEMBER, chunk=_CHUNK)
    _same_as_one_process(out)
    if name == "far_cell_late":
        assert out["two"]["beyond"] == 1 and out["two"]["first_beyond"] == "XFD1048576"
        assert out["two"]["far_row"] == 1_048_576
    if name == "beyond_both":
        assert out["two"]["beyond"] == 2 and out["two"]["first_beyond"].endswith("3")
    if name.startswith("unnumbered"):
        assert out["two"]["unnumbered"]


@pytest.mark.parametrize("fault", ["die", "hang", "slow", "junk", "torn", "wrong_part", "not_a_state"])
def test_a_failing_helper_changes_nothing(books: dict[str, Path], fault: str) -> None:
    """The far cell is in the helper's part: whatever the helper does, the parent finds it."""
    out = in_fresh_scan(str(books["far_cell_late"]), _MEMBER, chunk=_CHUNK, fault=fault)
    _same_as_one_process(out)
    assert out["two"]["first_beyond"] == "XFD1048576"


def test_a_state_of_other_buffers_is_not_merged(books: dict[str, Path]) -> None:
    """Merged, the state of buffers the parent has scanned too would count their far cells twice."""
    out = in_fresh_scan(str(books["full_far"]), _MEMBER, chunk=_CHUNK, fault="wrong_part")
    _same_as_one_process(out)
    assert out["two"]["far_cells"] == out["one"]["far_cells"] == 300 * 30


@pytest.mark.parametrize("at", [0.2, 0.9])
def test_a_damaged_sheet_fails_as_in_one_process(tmp_path: Path, at: float) -> None:
    path = write_xlsx(tmp_path / "เสีย.xlsx", {"Template 2": _sheets()["far_cell_late"]})
    corrupt_member(path, _MEMBER, at=at, length=24)
    out = in_fresh_scan(str(path), _MEMBER, chunk=_CHUNK)
    assert out["one_error"] and out["two_error"] == out["one_error"]
    assert out["forks"] == 1 and out["fds_kept"] and out["no_child_left"]


def test_validate_with_two_jobs_scans_in_two_and_reports_the_same(tmp_path: Path) -> None:
    from ..shard_support import run_case

    path = write_xlsx(tmp_path / "สองงาน.xlsx", {"Template 2": _sheets()["plain"]})
    one = run_case("validate", [str(path)], jobs=1)
    two = in_fresh_process("validate", [str(path)], jobs=2, settings={"SCAN_SPLIT_MIN": 0})
    assert two["data"] == one["data"]
    assert two["forks"] == 1  # the scan's helper (400 rows are too few to share the validation)
    assert two["no_child_left"]
