"""Excel workbooks through python-calamine (Rust): about 9× faster than openpyxl to read.

Handles the OPDC Template 2/3 layout (header found by its labels, anywhere in the first rows)
and the NSO GD Catalog import workbook (``Temp2_Meta_*``/``Temp3_Resource_*``: header on row
4, data from row 6, columns by position as the NSO importer reads them). Merged cells are
filled from their top-left value; hidden sheets are reported and not read; formulas are
read as their saved results.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Iterator

import python_calamine as pc

from ..headers import HeaderMatch, find_header
from ..messages import make_finding
from ..model import LoadError, LoadNote, RawRecord, Source
from .common import MAX_UNZIPPED_BYTES, InputError, rows_to_records
from .nso import NSO_SHEETS, nso_columns

_MAX_ROWS = 2_000_000


def iter_workbook(path: Path, display: str, *, standard: str, container: str = "xlsx") -> Iterator[RawRecord | LoadNote]:
    if container == "xlsx":
        _check_zip(path, display)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        metas = list(wb.sheets_metadata)
    except pc.PasswordError:
        raise InputError(LoadError(display, "the workbook is password-protected", "ไฟล์ถูกตั้งรหัสผ่าน")) from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise InputError(LoadError(display, f"is not a readable Excel workbook ({_short(exc)})",
                                   "ไม่ใช่ไฟล์ Excel ที่อ่านได้")) from None
    found = 0
    for meta in metas:
        name = meta.name
        if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
            continue
        if str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
            yield _skipped(display, name, "the sheet is hidden", "แผ่นงานถูกซ่อนไว้")
            continue
        try:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=_MAX_ROWS)
            merged = sheet.merged_cell_ranges or []
        except Exception as exc:
            yield _skipped(display, name, f"it could not be read ({_short(exc)})", "อ่านแผ่นงานไม่ได้")
            continue
        if merged:
            _fill_merged(rows, merged)
        got = False
        for item in _sheet_records(rows, display, name, standard):
            got = True
            yield item
        if got:
            found += 1
    if found == 0:
        raise InputError(LoadError(display, "no Template 2 or Template 3 header row was found in any sheet",
                                   "ไม่พบแถวหัวตารางของ Template 2 หรือ Template 3 ในแผ่นงานใด"))


def _sheet_records(rows: list[list[Any]], path: str, sheet: str, standard: str) -> Iterator[RawRecord | LoadNote]:
    nso = NSO_SHEETS.get(sheet.strip().lower())
    if nso is not None and len(rows) >= 4:
        kind, fixed = nso
        columns = nso_columns(sheet, rows[3], standard)
        if columns is not None:
            header = HeaderMatch(kind, 3, columns, {}, 99)
            yield from rows_to_records(rows, header, path=path, sheet=sheet, standard=standard, first_data_row=5, fixed=fixed)
            return
    header = find_header(rows, standard, sheet)
    if header is None:
        if any(any(isinstance(c, str) and c.strip() for c in row) for row in rows[:50]):
            yield _skipped(path, sheet, "no Template 2/3 header row was recognised", "ไม่พบแถวหัวตาราง Template 2/3")
        return
    fixed = nso[1] if nso is not None else None
    yield from rows_to_records(rows, header, path=path, sheet=sheet, standard=standard, fixed=fixed)


def _fill_merged(rows: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        top = rows[r0][c0] if c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1 + 1, len(rows))):
            row = rows[r]
            for c in range(c0, min(c1 + 1, len(row))):
                if (r, c) != (r0, c0) and (row[c] == "" or row[c] is None):
                    row[c] = top


def _check_zip(path: Path, display: str) -> None:
    """Refuse zip bombs and non-zip files before the reader sees them."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(LoadError(display, f"is not a valid Excel workbook ({_short(exc)})",
                                   "ไม่ใช่ไฟล์ Excel ที่ถูกต้อง")) from None
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(LoadError(display, "the workbook unpacks to more than 2 GiB; refusing to read it",
                                   "ไฟล์ Excel มีขนาดเมื่อขยายใหญ่เกินกำหนด"))


def _skipped(path: str, sheet: str, reason_en: str, reason_th: str) -> LoadNote:
    return LoadNote(make_finding("sheet_skipped", value=sheet, location=f"{sheet}!A1", source=Source(path, sheet),
                                 reason_en=reason_en, reason_th=reason_th))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:160]
