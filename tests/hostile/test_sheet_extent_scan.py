"""The sheet-extent scan on large and lying sheets: a safe bound, cheap to find.

A sheet of a million dataset rows has a far reference in every cell; the scan must not build a
match per cell (it would cost more than reading the sheet), must still bound the largest row
from above (rows out of order included), and must let the fast reader take a sheet that really
is full, while one far cell in a small file still goes to the bounded reader.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from catalog_tools.loaders.extent import MAX_GRID_CELLS, scan_sheet, sheet_members

from .files import sheet_xml, write_xlsx


def _scan(tmp_path: Path, rows: list, name: str = "sheet.xlsx"):
    path = write_xlsx(tmp_path / name, {"Template 2": sheet_xml(rows)})
    with zipfile.ZipFile(path) as zf:
        return scan_sheet(zf, sheet_members(zf)["Template 2"])


def _row(r: int, n_cols: int = 3) -> tuple[int, list[tuple[int, object]]]:
    return (r, [(c, f"ค่า{r}") for c in range(n_cols)])


def test_rows_of_six_digits_are_bounded_by_their_first_digit_out_of_order(tmp_path: Path) -> None:
    rows = [_row(1), _row(654_321), *(_row(r) for r in range(100_000, 100_400)), _row(123_456)]
    scan = _scan(tmp_path, rows)
    assert scan.far_row == 699_999 and not scan.wide and scan.beyond == 0
    assert scan.grid_bound == 699_999 * 26  # columns A–Z at most: no 2-letter reference
    assert scan.grid_bound > MAX_GRID_CELLS
    assert not scan.dense_ok  # 1,200 cells do not make a grid of 17 million worth building


def test_a_full_sheet_beyond_the_plain_limit_is_read_densely(tmp_path: Path, monkeypatch) -> None:
    """The rule at a scale a test can write: the limits shrunk 50 times (a full sheet of a million
    rows is in benchmarks/bench_outputs.py --sizes 1000000)."""
    from catalog_tools.loaders import extent

    monkeypatch.setattr(extent, "MAX_GRID_CELLS", 320_000)
    monkeypatch.setattr(extent, "MAX_DENSE_CELLS", 8_000_000)
    monkeypatch.setattr(extent, "DENSE_SHARE", 200)
    full = _scan(tmp_path, [_row(1, 26), *(_row(r, 26) for r in range(100_000, 103_000))], "full.xlsx")
    assert full.far_row == 199_999 and full.far_cells >= 3_000 * 26  # (whole buffers: row 1 too)
    assert extent.MAX_GRID_CELLS < full.grid_bound <= extent.MAX_DENSE_CELLS
    assert full.dense_ok  # a quarter-full grid at this scale: read by the fast reader
    sparse = _scan(tmp_path, [_row(1, 26), *(_row(r, 26) for r in range(100_000, 100_100))], "sparse.xlsx")
    assert 100 * 26 <= sparse.far_cells <= 101 * 26 and not sparse.dense_ok
    huge = _scan(tmp_path, [*(_row(r, 26) for r in range(300_000, 303_000))], "huge.xlsx")
    assert huge.grid_bound > extent.MAX_DENSE_CELLS and not huge.dense_ok  # never beyond the hard limit


def test_wide_and_far_columns(tmp_path: Path) -> None:
    scan = _scan(tmp_path, [_row(1), (2, [(27, "AB")]), (3, [(60, "BI")])])
    assert scan.wide and scan.far_col == 61 and scan.far_row == 3
    assert scan.grid_bound == 99_999 * 61 and scan.dense_ok
    scan = _scan(tmp_path, [_row(1), (2, [(30, "AE")]), _row(400_000)], "wide.xlsx")
    assert scan.wide and scan.grid_bound == 499_999 * 52 and not scan.dense_ok


def test_seven_digit_rows_and_cells_beyond_the_readers(tmp_path: Path) -> None:
    scan = _scan(tmp_path, [_row(1), _row(1_048_576), (5_000_000, [(0, "x")]), (7, [(16_383, "XFD")])])
    assert scan.far_row == 5_000_000 and scan.far_col == 16_384
    assert scan.beyond == 2 and scan.first_beyond == "A5000000"
    assert not scan.dense_ok
