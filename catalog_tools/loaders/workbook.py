"""Excel workbooks through python-calamine (Rust): about 9× faster than openpyxl to read.

Handles the OPDC Template 2/3 layout (header found by its labels, anywhere in the first rows)
and the NSO GD Catalog import workbook (``Temp2_Meta_*``/``Temp3_Resource_*``: header on row
4, data from row 6, columns by position as the NSO importer reads them; data typed on row 5,
which the importer skips, is read and reported). Merged cells are
filled from their top-left value; hidden sheets are reported and not read; formulas are
read as their saved results.
"""
from __future__ import annotations

import threading
import zipfile
from itertools import chain, islice
from pathlib import Path
from typing import Any, Callable, Generator, Iterable, Iterator

import python_calamine as pc

from ..headers import HeaderMatch, column_letter, find_header
from ..messages import make_finding
from ..model import DatasetList, LoadError, LoadNote, RawRecord, Source
from . import template1
from .common import MAX_UNZIPPED_BYTES, InputError, no_data_note, rows_to_records
from .extent import (EXCEL_MAX_ROWS, SPARSE_MAX_COLS, clip_merges, merged_ranges, open_with_openpyxl, quiet_openpyxl,
                     scan_sheet, sheet_members)
from .nso import NSO_SHEETS, nso_columns, nso_hint_names

_HEAD_ROWS = 30
#: the hidden sheet of allowed values that ``catalog-tools template`` writes; not data, not worth a warning
TEMPLATE_LISTS_SHEET = "lists"


def iter_workbook(path: Path, display: str, *, standard: str, container: str = "xlsx",
                  jobs: int = 1) -> Iterator[RawRecord | LoadNote | DatasetList]:
    """``jobs=2``: a large sheet's extent scan may be shared with a forked helper (``shard.scan_in_two``)."""
    zf = _check_zip(path, display) if container == "xlsx" else None
    try:
        yield from _iter_sheets(path, display, standard, zf, jobs)
    finally:
        if zf is not None:
            zf.close()


def _iter_sheets(path: Path, display: str, standard: str, zf: zipfile.ZipFile | None,
                 jobs: int = 1) -> Iterator[RawRecord | LoadNote | DatasetList]:
    members = sheet_members(zf) if zf is not None else {}
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        metas = list(wb.sheets_metadata)
    except pc.PasswordError:
        raise InputError(LoadError(display, "the workbook is password-protected", "ไฟล์ถูกตั้งรหัสผ่าน")) from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise InputError(LoadError(display, f"is not a readable Excel workbook ({_short(exc)})",
                                   "ไม่ใช่ไฟล์ Excel ที่อ่านได้")) from None
    found = records = 0
    readable = [m.name for m in metas if _worksheet(m) and _visible(m)]
    scans = _Scans(zf, [members.get(n) for n in readable], two=jobs > 1)
    for meta in metas:
        name = meta.name
        if not _worksheet(meta):
            continue
        if not _visible(meta):
            if name == TEMPLATE_LISTS_SHEET:
                continue  # the drop-down lists of our own blank template (catalog_tools.template)
            yield _skipped(display, name, "the sheet is hidden", "แผ่นงานถูกซ่อนไว้")
            continue
        notes: list[LoadNote] = []
        try:
            rows, resident = _sheet_rows(wb, path, zf, members.get(name), name, notes, display, scans)
            head = list(islice(rows, _HEAD_ROWS))
        except Exception as exc:
            yield _skipped(display, name, f"it could not be read ({_short(exc)})", "อ่านแผ่นงานไม่ได้")
            continue
        t1 = template1.recognise(head, standard, name)
        if t1 is not None:  # Template 1: the dataset list, not metadata rows
            yield from template1.read_list(t1, chain(head, rows), path=display, sheet=name,
                                           merged=_merges(wb, zf, members.get(name), name))
            yield from notes
            found += 1
            continue
        counter = _Count(_sheet_records(head, chain(head, rows), display, name, standard, resident))
        yield from counter
        yield from notes  # filled while the rows were read
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


def _worksheet(meta: Any) -> bool:
    """A worksheet (not a chart sheet or a macro sheet)."""
    return str(meta.typ) == str(pc.SheetTypeEnum.WorkSheet)


def _visible(meta: Any) -> bool:
    return str(meta.visible) == str(pc.SheetVisibleEnum.Visible)


class _Count:
    """Passes a sheet's items through, counting records; ``recognised`` is the generator's result."""

    def __init__(self, gen: Iterator[RawRecord | LoadNote]) -> None:
        self._gen = gen
        self.records = 0
        self.recognised = False

    def __iter__(self) -> Iterator[RawRecord | LoadNote]:
        self.recognised = yield from self._counted()

    def _counted(self) -> Generator[RawRecord | LoadNote, None, bool]:
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
                   standard: str, resident: bool = False) -> Generator[RawRecord | LoadNote, None, bool]:
    """Records of one sheet: ``head`` (the first rows) decides the layout, ``rows`` is the whole stream
    (``resident``: held in memory, see ``RawRecord.resident``).

    Returns (as the generator's value) whether a Template 2/3 header was recognised.
    """
    nso = NSO_SHEETS.get(sheet.strip().lower())
    if nso is not None and len(head) >= 4:
        kind, nso_fixed = nso
        columns = nso_columns(sheet, head[3], standard)
        if columns is not None:
            by_position = HeaderMatch(kind, 3, columns, {}, 99)
            yield from rows_to_records(rows, by_position, path=path, sheet=sheet, standard=standard, first_data_row=5,
                                       fixed=nso_fixed, hint_row=4, hint_names=nso_hint_names(sheet), layout="nso",
                                       resident=resident)
            return True
    header = find_header(head, standard, sheet)
    if header is None:
        if any(any(isinstance(c, str) and c.strip() for c in row) for row in head):
            yield _skipped(path, sheet, "no Template 2/3 header row was recognised", "ไม่พบแถวหัวตาราง Template 2/3")
        return False
    fixed = nso[1] if nso is not None else None
    yield from rows_to_records(rows, header, path=path, sheet=sheet, standard=standard, fixed=fixed, resident=resident)
    return True


def _has_text(rows: Iterable[list[Any]]) -> bool:
    return any(any(isinstance(c, str) and c.strip() for c in row) for row in rows)


def _merges(wb: Any, zf: zipfile.ZipFile | None, member: str | None, name: str) -> list[Any]:
    """A sheet's merged ranges (Template 1 reads a merged id or title cell as one dataset)."""
    try:
        if zf is not None and member:
            return merged_ranges(zf, member)
        return list(wb.get_sheet_by_name(name).merged_cell_ranges or [])
    except Exception:  # the rows were read; without the ranges a merged dataset cell may repeat
        return []


def _sheet_rows(wb: Any, path: Path, zf: zipfile.ZipFile | None, member: str | None, name: str,
                notes: list[LoadNote], display: str, scans: _Scans) -> tuple[Iterator[list[Any]], bool]:
    """The sheet's rows, by the fast dense reader when its grid is bounded, else cell by cell; and
    whether they are all in memory already (the dense reader's: reading them on reads no file).

    The scan of the sheet XML comes first: one cell at XFD1048576 would make calamine allocate a
    17-billion-cell grid and abort the process. While calamine reads a sheet (in Rust, without the
    interpreter lock), the next sheet is scanned (``_Scans``).
    """
    scan = scans.get(member) if zf is not None and member else None
    if scan is None or scan.dense_ok:
        return _stream(_read_sheet(wb, name, lambda: scans.ahead(member)), notes, display, name), True
    if scan.beyond:
        notes.append(_outside(display, name, scan.beyond, scan.first_beyond))
    return _sparse_rows(path, zf, member, notes, display, name), False  # type: ignore[arg-type]


class _Scans:
    """The extent scan of each sheet, made once; the next sheet's while calamine reads this one.

    A scan's error is kept and raised when its sheet is read, where it would have been raised
    without the look-ahead (the sheet is then reported as unreadable, as before).
    """

    def __init__(self, zf: zipfile.ZipFile | None, order: list[str | None], *, two: bool = False) -> None:
        self.zf = zf
        self.order = order  # the sheets' XML parts, in reading order
        self._done: dict[str, tuple[bool, Any]] = {}
        self.scan: Callable[[zipfile.ZipFile, str], Any] = scan_sheet
        if two:  # a sheet scanned before reading (not ahead, in a thread) may be shared with a helper process
            from ..shard import scan_in_two
            self.scan = scan_in_two

    def get(self, member: str) -> Any:
        if member not in self._done:
            self._scan(member)
        ok, value = self._done.pop(member)
        if not ok:
            raise value
        return value

    def ahead(self, member: str | None) -> None:
        """Scan the sheet read after ``member``, if any and not scanned yet."""
        if member is not None and member in self.order:
            later = self.order[self.order.index(member) + 1:]
            if later and later[0] and later[0] not in self._done:
                self._scan(later[0])

    def _scan(self, member: str) -> None:
        if self.zf is None:
            return
        try:
            self._done[member] = (True, self.scan(self.zf, member))
        except Exception as exc:
            self._done[member] = (False, exc)


def _read_sheet(wb: Any, name: str, meanwhile: Callable[[], None]) -> Any:
    """``wb.get_sheet_by_name(name)``, with ``meanwhile()`` run in a thread as calamine parses (it lets
    go of the interpreter lock). The parse stays in this thread: the memory it takes and frees is
    then reused by what follows (a large allocation made in another thread stays in that thread's
    malloc arena: +95 MB of peak for 100,000 datasets, measured). The thread has ended when this
    returns or raises."""
    helper = threading.Thread(target=meanwhile, name="catalog-tools-scan", daemon=True)
    helper.start()
    try:
        return wb.get_sheet_by_name(name)
    finally:
        helper.join()


def _stream(sheet: Any, notes: list[LoadNote], path: str, name: str) -> Iterator[list[Any]]:
    """Rows of a calamine ``sheet`` from Excel row 1 and column A, merged cells filled."""
    start_col = (sheet.start or (0, 0))[1]
    end = sheet.end or (-1, -1)
    pad = [""] * start_col
    rows: Iterator[list[Any]] = islice(sheet.iter_rows(), EXCEL_MAX_ROWS)
    if start_col:
        rows = (pad + row for row in rows)
    merges = sheet.merged_cell_ranges or []
    if not merges:
        return rows
    return fill_merged(rows, merges, end[0] + 1, end[1] + 1, notes, path, name)


def fill_merged(rows: Iterable[list[Any]], merges: Iterable[tuple[tuple[int, int], tuple[int, int]]],
                n_rows: int, n_cols: int, notes: list[LoadNote], path: str, name: str) -> Iterator[list[Any]]:
    """Fill merged cells from their top-left value (stewards merge the organisation cell over many rows).

    The work is bounded by the real data extent (``n_rows`` × ``n_cols``), never by what the
    merges claim (``extent.clip_merges``); overlapping ranges beyond that bound are not filled
    and are reported, so a file with 20,000 merges over a million rows costs what its data costs.
    """
    kept, ignored = clip_merges(list(merges), n_rows, n_cols)
    pending: dict[int, list[tuple[int, int, int]]] = {}  # row → [(c0, c1, r0)] of merged ranges
    for (r0, c0), (r1, c1) in kept:
        for r in range(r0, r1 + 1):
            pending.setdefault(r, []).append((c0, c1, r0))
    if ignored:
        notes.append(_merges_ignored(path, name, ignored))
    tops: dict[tuple[int, int], Any] = {}
    for r, row in enumerate(rows):
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


def _sparse_rows(path: Path, zf: zipfile.ZipFile, member: str, notes: list[LoadNote], display: str,
                 name: str) -> Iterator[list[Any]]:
    """Rows of a sheet too large for a dense grid, read cell by cell (openpyxl's streaming parser).

    Only rows that hold cells are kept; gaps between them are yielded as empty rows (no
    allocation); cells beyond Excel's last row or beyond ``SPARSE_MAX_COLS`` columns are not read
    (the scan counted them for the note). Merged ranges are clipped to the data actually read.
    """
    # The streaming parser behind openpyxl's read-only worksheets; it yields only the rows present.
    from openpyxl.worksheet._reader import WorkSheetParser

    book = open_with_openpyxl(path, read_only=True, data_only=True, keep_links=False)
    try:
        sheet = book[name]
        data: list[tuple[int, list[Any]]] = []
        width = 0
        with zf.open(member) as src, quiet_openpyxl():
            parser = WorkSheetParser(src, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                     date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
            for idx, cells in parser.parse():
                if idx > EXCEL_MAX_ROWS:
                    break
                kept = [(c["column"], c["value"]) for c in cells
                        if c["value"] is not None and c["value"] != "" and c["column"] <= SPARSE_MAX_COLS]
                if not kept:
                    continue
                row: list[Any] = [""] * max(col for col, _ in kept)
                for col, value in kept:
                    row[col - 1] = value
                width = max(width, len(row))
                data.append((idx - 1, row))
    finally:
        book.close()
    n_rows = data[-1][0] + 1 if data else 0

    def gap_filled() -> Iterator[list[Any]]:
        r = 0
        for idx, row in data:
            while r < idx:
                yield []
                r += 1
            yield row
            r += 1

    merges = merged_ranges(zf, member)
    if not merges:
        return gap_filled()
    return fill_merged(gap_filled(), merges, n_rows, width, notes, display, name)


def _check_zip(path: Path, display: str) -> zipfile.ZipFile:
    """Refuse zip bombs and non-zip files before the reader sees them; the open zip for the sheet scans."""
    try:
        zf = zipfile.ZipFile(path)
        total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(LoadError(display, f"is not a valid Excel workbook ({_short(exc)})",
                                   "ไม่ใช่ไฟล์ Excel ที่ถูกต้อง")) from None
    if total > MAX_UNZIPPED_BYTES:
        zf.close()
        raise InputError(LoadError(display, "the workbook unpacks to more than 2 GiB; refusing to read it",
                                   "ไฟล์ Excel มีขนาดเมื่อขยายใหญ่เกินกำหนด"))
    return zf


def _skipped(path: str, sheet: str, reason_en: str, reason_th: str) -> LoadNote:
    return LoadNote(make_finding("sheet_skipped", value=sheet, location=f"{sheet}!A1", source=Source(path, sheet),
                                 reason_en=reason_en, reason_th=reason_th))


def _outside(path: str, sheet: str, count: int, first: str) -> LoadNote:
    return LoadNote(make_finding("cells_outside", value=sheet, location=f"{sheet}!{first}", source=Source(path, sheet),
                                 extra=f"{count:,}", first=first, max_rows=f"{EXCEL_MAX_ROWS:,}",
                                 max_col=column_letter(SPARSE_MAX_COLS - 1)))


def _merges_ignored(path: str, sheet: str, count: int) -> LoadNote:
    return LoadNote(make_finding("merge_ignored", value=sheet, location=f"{sheet}!A1", source=Source(path, sheet),
                                 extra=f"{count:,}"))


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:160]
