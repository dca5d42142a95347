"""Writing the fixed copy: xlsx through openpyxl (everything else in the workbook kept), CSV
with its own encoding and delimiter.

A cell is written only when it still holds exactly the text the loader read (openpyxl and
calamine can disagree: a formula's cached result, a date cell); otherwise its whole edit
group is left out. Fixed cells are marked like the annotated workbook marks findings
(``render.xlsx.mark_cell``), in green.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..loaders.common import InputError
from ..loaders.csvfile import decode
from ..model import LoadError
from .plan import Change, EditGroup


def split_location(location: str) -> tuple[str, str]:
    """``"Template 2!F7"`` → ``("Template 2", "F7")`` (a sheet name may itself hold ``!``)."""
    sheet, _, coord = location.rpartition("!")
    return sheet, coord


def fix_workbook(source: Path, groups: list[EditGroup]) -> tuple[Any, list[Change]]:
    """The openpyxl workbook with ``groups`` applied and marked, and the changes really made."""
    from ..loaders.extent import open_copy
    from ..render.xlsx import FIXED_RGB, fill, mark_cell, set_value

    keep_vba = source.suffix.lower() == ".xlsm"
    # From bytes: the input file is never opened for writing.
    # merged ranges clipped to the data first: openpyxl makes an object per merged cell
    wb = open_copy(source.read_bytes(), keep_vba=keep_vba)
    green = fill(FIXED_RGB)
    applied: list[Change] = []
    for group in groups:
        cells = [_cell(wb, e.location) for e in group.edits]
        if any(c is None or not _holds(c.value, e.expect) for c, e in zip(cells, group.edits)):
            continue
        for cell, edit in zip(cells, group.edits):
            if isinstance(edit.value, str):
                set_value(cell, edit.value)  # text is never turned into a formula, even after cleaning
            else:
                cell.value = edit.value
                cell.data_type = "s"
            mine = [c for c in group.changes if c.location == edit.location]
            written = f"{split_location(edit.location)[0]}!{cell.coordinate}"
            for c in mine:  # a merged range is written (and reported) at its top-left cell
                c.location = written
            note = "\n".join(f"{c.rule}\n{c.message_th}\n{c.message}" for c in mine)
            mark_cell(cell, f"แก้ไขอัตโนมัติ / fixed by catalog-tools fix\n{note}", green)
        applied.extend(group.changes)
    return wb, applied


def _cell(wb: Any, location: str) -> Any:
    from ..render.xlsx import writable_cell

    sheet, coord = split_location(location)
    if sheet not in wb.sheetnames:
        return None
    ws = wb[sheet]
    try:
        return writable_cell(ws, ws[coord])
    except (ValueError, IndexError):
        return None


def _holds(current: Any, expect: Any) -> bool:
    if expect is None:  # an empty "_other" cell that receives the text
        return current is None or current == ""
    return isinstance(current, str) and current == expect


def fix_csv(source: Path, groups: list[EditGroup]) -> tuple[bytes, list[Change]]:
    """The fixed CSV file's bytes (same encoding, same delimiter) and the changes really made."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    text, encoding = decode(source.read_bytes())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel_tab if source.suffix.lower() == ".tsv" else csv.excel
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
    applied: list[Change] = []
    for group in groups:
        spots = []
        for edit in group.edits:
            letters, row = coordinate_from_string(split_location(edit.location)[1])
            r, c = row - 1, column_index_from_string(letters) - 1
            ok = r < len(rows) and (c < len(rows[r]) and rows[r][c] == (edit.expect or "")
                                     or c >= len(rows[r]) and not edit.expect)
            spots.append((r, c) if ok else None)
        if any(s is None for s in spots):
            continue
        for (r, c), edit in zip(spots, group.edits):  # type: ignore[misc]
            while len(rows[r]) <= c:
                rows[r].append("")
            rows[r][c] = edit.value
        applied.extend(group.changes)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=dialect.delimiter, quotechar=dialect.quotechar or '"',
                        lineterminator="\r\n" if "\r\n" in text[:65536] else "\n")
    writer.writerows(rows)
    try:
        return out.getvalue().encode(encoding), applied
    except UnicodeEncodeError:  # cannot happen with the standard's values; never write a mangled file
        raise InputError(LoadError(str(source), f"the fixed text cannot be written in the file's encoding ({encoding})",
                                   "ไม่สามารถบันทึกข้อความที่แก้ไขด้วยรหัสอักขระเดิมของไฟล์")) from None
