"""Excel workbooks through python-calamine (Rust): about 9× faster than openpyxl to read.

Handles the OPDC Template 2/3 layout (header found by its labels, anywhere in the first rows)
and the NSO GD Catalog import workbook (``Temp2_Meta_*``/``Temp3_Resource_*``: header on row
4, data from row 6, columns by position as the NSO importer reads them). Merged cells are
filled from their top-left value; hidden sheets are reported and not read; formulas are
read as their saved results.
"""
from __future__ import annotations

import zipfile
from itertools import chain, islice
from pathlib import Path
from typing import Any, Generator, Iterable, Iterator

import python_calamine as pc

from ..headers import HeaderMatch, find_header
from ..messages import make_finding
from ..model import DatasetList, LoadError, LoadNote, RawRecord, Source
from . import template1
from .common import MAX_UNZIPPED_BYTES, InputError, no_data_note, rows_to_records
from .nso import NSO_SHEETS, nso_columns

_MAX_ROWS = 2_000_000
_HEAD_ROWS = 30
_MERGED_ROWS = 5_000_000  # merged-range rows remembered per sheet (a file of merges must not exhaust memory)
#: the hidden sheet of allowed values that ``catalog-tools template`` writes; not data, not worth a warning
TEMPLATE_LISTS_SHEET = "lists"


def iter_workbook(path: Path, display: str, *, standard: str,
                  container: str = "xlsx") -> Iterator[RawRecord | LoadNote | DatasetList]:
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
    found = records = 0
    for meta in metas:
        name = meta.name
        if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
            continue
        if str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
            if name == TEMPLATE_LISTS_SHEET:
                continue  # the drop-down lists of our own blank template (catalog_tools.template)
            yield _skipped(display, name, "the sheet is hidden", "แผ่นงานถูกซ่อนไว้")
            continue
        try:
            sheet = wb.get_sheet_by_name(name)
            rows = _stream(sheet)
            head = list(islice(rows, _HEAD_ROWS))
        except Exception as exc:
            yield _skipped(display, name, f"it could not be read ({_short(exc)})", "อ่านแผ่นงานไม่ได้")
            continue
        t1 = template1.recognise(head, standard, name)
        if t1 is not None:  # Template 1: the dataset list, not metadata rows
            yield from template1.read_list(t1, chain(head, rows), path=display, sheet=name,
                                           merged=sheet.merged_cell_ranges or ())
            found += 1
            continue
        counter = _Count(_sheet_records(head, chain(head, rows), display, name, standard))
        yield from counter
        if counter.recognised:
            found += 1
            records += counter.records
        elif len(head) == _HEAD_ROWS and not _has_text(head) and next(rows, None) is not None:
            # text only below the rows a header is looked for in: say so rather than skip it silently
            yield _skipped(display, name, f"its first {_HEAD_ROWS} rows are empty; the header row must be among them",
                           f"{_HEAD_ROWS} แถวแรกว่างเปล่า แถวหัวตารางต้องอยู่ในช่วงนี้")
    if found == 0:
        raise InputError(LoadError(display, "no Template 2 or Template 3 header row was found in any sheet",
                                   "ไม่พบแถวหัวตารางของ Template 2 หรือ Template 3 ในแผ่นงานใด"))
    if records == 0:
        yield no_data_note(display)


class _Count:
    """Passes a sheet's items through, counting records; ``recognised`` is the generator's result."""

    def __init__(self, gen: Iterator[RawRecord | LoadNote]) -> None:
        self._gen = gen
        self.records = 0
        self.recognised = False

    def __iter__(self) -> Iterator[RawRecord | LoadNote]:
        self.recognised = yield from self._counted()

    def _counted(self):
        gen = self._gen
        while True:
            try:
                item = next(gen)
            except StopIteration as stop:
                return bool(stop.value)
            if isinstance(item, RawRecord):
                self.records += 1
            yield item


def _sheet_records(head: list[list[Any]], rows: Iterable[list[Any]], path: str, sheet: str,
                   standard: str) -> Generator[RawRecord | LoadNote, None, bool]:
    """Records of one sheet: ``head`` (the first rows) decides the layout, ``rows`` is the whole stream.

    Returns (as the generator's value) whether a Template 2/3 header was recognised.
    """
    nso = NSO_SHEETS.get(sheet.strip().lower())
    if nso is not None and len(head) >= 4:
        kind, nso_fixed = nso
        columns = nso_columns(sheet, head[3], standard)
        if columns is not None:
            by_position = HeaderMatch(kind, 3, columns, {}, 99)
            yield from rows_to_records(rows, by_position, path=path, sheet=sheet, standard=standard, first_data_row=5,
                                       fixed=nso_fixed)
            return True
    header = find_header(head, standard, sheet)
    if header is None:
        if any(any(isinstance(c, str) and c.strip() for c in row) for row in head):
            yield _skipped(path, sheet, "no Template 2/3 header row was recognised", "ไม่พบแถวหัวตาราง Template 2/3")
        return False
    fixed = nso[1] if nso is not None else None
    yield from rows_to_records(rows, header, path=path, sheet=sheet, standard=standard, fixed=fixed)
    return True


def _has_text(rows: Iterable[list[Any]]) -> bool:
    return any(any(isinstance(c, str) and c.strip() for c in row) for row in rows)


def _stream(sheet: Any) -> Iterator[list[Any]]:
    """Rows of ``sheet`` from Excel row 1 and column A, with merged cells filled from their
    top-left value (stewards merge the organisation cell over many rows)."""
    start_col = (sheet.start or (0, 0))[1]
    pad = [""] * start_col
    pending: dict[int, list[tuple[int, int, int]]] = {}  # row → [(c0, c1, r0)] of merged ranges
    # Rows past the last cell with data are never read: a range merged down to row 1,048,576
    # only costs the rows that exist, and all ranges together at most _MERGED_ROWS entries.
    last = (sheet.end or (_MAX_ROWS, 0))[0]
    budget = _MERGED_ROWS
    for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []:
        r1 = min(r1, last)
        if r1 >= r0 and (r1 - r0 + 1) * (c1 - c0 + 1) <= 1_000_000 and budget >= r1 - r0 + 1:
            budget -= r1 - r0 + 1
            for r in range(r0, r1 + 1):
                pending.setdefault(r, []).append((c0, c1, r0))
    tops: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(islice(sheet.iter_rows(), _MAX_ROWS)):
        if start_col:
            row = pad + row
        spans = pending.pop(r, None)
        if spans:
            for c0, c1, r0 in spans:
                if r == r0:
                    tops[(r0, c0)] = row[c0] if c0 < len(row) else ""
                top = tops.get((r0, c0), "")
                for c in range(c0, min(c1 + 1, len(row))):
                    if (r, c) != (r0, c0) and (row[c] == "" or row[c] is None):
                        row[c] = top
        yield row


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
