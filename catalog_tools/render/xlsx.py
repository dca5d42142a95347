"""Annotated workbook: a copy of the input with offending cells highlighted and explained.

Stewards fix metadata where they wrote it, in Excel. This renderer copies the input workbook
(openpyxl), fills every cell a finding points at (red for errors, yellow for warnings), adds a
comment with the Thai and English message and the suggestion, and appends a summary sheet
"สรุปผลการตรวจ (Summary)" — one row per finding, with an autofilter and a link to the cell.

Decisions:
- The input is only read; the copy is written to ``--output``. Writing over an input is refused.
- Several inputs: the *first* .xlsx input is the one copied and annotated; findings from the
  other inputs are listed in the summary (with their file) but have no cell link. Run
  ``validate`` once per workbook to annotate each.
- CSV/JSON inputs (no workbook to copy), or a workbook openpyxl cannot open: the output holds
  the summary sheet only.
- Row-level findings (``Template 2!7:7``) annotate the row's first cell.
- openpyxl does not carry charts or images into the copy; values, styles, validations do.
"""
from __future__ import annotations

import errno
from collections import defaultdict
from pathlib import Path
from typing import Any, Sequence

from ..fileio import atomic_write, save_workbook
from ..loaders.extent import open_copy
from ..model import Report
from . import register
from .rows import COLUMNS, FindingRow, iter_rows, row_values

# openpyxl (and the numpy it pulls in) is imported only when a workbook is written: the
# renderer registry is loaded by every command, and start-up time matters in a CLI.

SUMMARY_SHEET = "สรุปผลการตรวจ (Summary)"
ERROR_RGB = "FFC7CE"  # Excel's "bad" red
WARNING_RGB = "FFEB9C"  # Excel's "neutral" yellow
FIXED_RGB = "C6EFCE"  # Excel's "good" green: a cell ``catalog-tools fix`` changed
_HEAD_RGB = "DDEBF7"


def fill(rgb: str) -> Any:
    """A solid fill of colour ``rgb``."""
    return _fill(rgb)


def _fill(rgb: str) -> Any:
    from openpyxl.styles import PatternFill
    return PatternFill("solid", fgColor=rgb)
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_COMMENT_LIMIT = 30_000  # Excel's cell text limit is 32,767 characters


def _clean(text: str) -> str:
    """openpyxl refuses control characters; a hostile input must not crash the report."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    return ILLEGAL_CHARACTERS_RE.sub("", text)


#: what Excel or LibreOffice would run as a formula when the text is typed or re-entered (OWASP)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def put_cell(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write ``value`` to a cell of ``ws`` with ``set_value``; return the cell."""
    cell = ws.cell(row, col)
    set_value(cell, value)
    return cell


def set_value(cell: Any, value: Any) -> None:
    """Give ``cell`` the value ``value`` so that text is only ever text.

    Text is cleaned first (openpyxl refuses control characters) and checked *after* cleaning:
    ``"\x01=HYPERLINK(…)"`` becomes ``"=HYPERLINK(…)"`` once the control character is gone.
    Every string cell is stored with the string type (openpyxl would store a leading ``=`` as a
    formula), and text starting like a formula gets Excel's quote prefix, so editing the cell in
    Excel does not turn it into a live formula either.
    """
    if not isinstance(value, str):
        cell.value = value
        return
    value = _clean(value)
    cell.value = value
    cell.data_type = "s"
    if value.startswith(_FORMULA_START):
        cell.quotePrefix = True


def annotate(report: Report, output: Path, inputs: Sequence[str] = (), *, stream: bool = True) -> dict[str, int]:
    """Write the annotated copy (or a summary-only workbook) to ``output``; return counts.

    An .xlsx input is annotated by editing its package (``xlsx_stream``: fast, little memory,
    everything else copied byte for byte); a package that writer does not handle, and
    ``stream=False``, go through openpyxl as before.
    """
    rows = list(iter_rows(report))
    source = _first_workbook(inputs)
    if source is not None and _same_file(source, output):
        raise OSError(errno.EEXIST, "refusing to overwrite the input workbook; choose another --output")
    if stream and source is not None and source.suffix.lower() == ".xlsx":
        done = _annotate_stream(rows, source, output)
        if done is not None:
            return {"findings": len(rows), "annotated_cells": done}
    return _annotate_openpyxl(rows, source, output)


class _Fallback(Exception):
    """The package-editing writer cannot handle this workbook (nothing was written)."""


def _annotate_stream(rows: list[FindingRow], source: Path, output: Path) -> int | None:
    """The annotated copy by ``xlsx_stream``; None (nothing written) when it cannot."""
    import zipfile

    from .xlsx_stream import Unsupported, write_annotated

    same = _PathCheck(source)
    from_source = [same(r.path) for r in rows]
    marks: dict[str, dict[str, list[FindingRow]]] = defaultdict(lambda: defaultdict(list))
    for r, own in zip(rows, from_source):
        if own and r.sheet is not None and (r.cell is not None or r.row is not None):
            marks[r.sheet][r.cell or f"A{r.row}"].append(r)
    try:
        with atomic_write(output, binary=True) as fh:
            try:
                return write_annotated(source, fh, rows, marks, SUMMARY_SHEET, comment_text, _clean, from_source,
                                       quote_prefixed=_FORMULA_START)
            except (Unsupported, zipfile.BadZipFile, KeyError, ValueError, UnicodeError) as exc:
                raise _Fallback(str(exc)) from None
    except _Fallback:  # atomic_write removed its temporary file: the openpyxl writer takes over
        return None


class _PathCheck:
    """``_same_path`` with each distinct path resolved once (a resolve per finding cost 11 s)."""

    def __init__(self, source: Path) -> None:
        self.source = source.resolve()
        self.seen: dict[str | None, bool] = {}

    def __call__(self, path: str | None) -> bool:
        hit = self.seen.get(path)
        if hit is None:
            hit = self.seen[path] = _same_path(path, self.source)
        return hit


def comment_text(group: list[FindingRow]) -> tuple[str, int]:
    """The comment of one cell (errors first) and its height: the text ``mark_cell`` attaches."""
    parts = []
    for r in sorted(group, key=lambda r: not r.finding.is_error):
        f = r.finding
        sev = "ข้อผิดพลาด / error" if f.is_error else "คำเตือน / warning"
        text = f"[{sev}] {f.code}\n{f.message_th}\n{f.message}"
        if f.suggestion:
            text += f"\nคำแนะนำ / suggestion: {f.suggestion}"
        parts.append(text)
    body = _clean("\n\n".join(parts))[:_COMMENT_LIMIT]
    lines = body.count("\n") + 1 + len(body) // 50
    return body, min(600, 20 + 15 * lines)


def _annotate_openpyxl(rows: list[FindingRow], source: Path | None, output: Path) -> dict[str, int]:
    from openpyxl import Workbook

    annotated = 0
    wb = None
    if source is not None:
        try:  # bytes: the input file itself is never opened for writing
            wb = open_copy(source.read_bytes())
        except OSError:
            raise
        except Exception:  # a workbook calamine reads but openpyxl cannot copy: the summary still helps
            source = None
    if wb is not None and source is not None:
        annotated = _annotate_cells(wb, [r for r in rows if _same_path(r.path, source)])
    else:
        wb = Workbook()
        wb.remove(wb.active)
    summary = _summary_sheet(wb, rows, linkable=source, sheets=set(wb.sheetnames))
    wb.active = wb.sheetnames.index(summary.title)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == summary.title
    save_workbook(wb, output)
    return {"findings": len(rows), "annotated_cells": annotated}


def _first_workbook(inputs: Sequence[str]) -> Path | None:
    for p in inputs:
        path = Path(p)
        if path.suffix.lower() in _WORKBOOK_SUFFIXES and path.is_file():
            return path
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def _same_path(path: str | None, source: Path) -> bool:
    if not path:
        return False
    try:
        return Path(path).resolve() == source.resolve()
    except OSError:
        return False


def _target(ws: Any, r: FindingRow) -> Any:
    """The cell a finding points at (a merged range's top-left; a row's first cell)."""
    try:
        if r.cell is not None:
            return writable_cell(ws, ws[r.cell])
        if r.row is not None:
            return writable_cell(ws, ws.cell(r.row, 1))
    except ValueError:  # a place no sheet can have (cells_outside at row 5,000,000): listed in the summary only
        return None
    return None


def writable_cell(ws: Any, cell: Any) -> Any:
    """``cell`` itself, or the top-left cell of the merged range it lies in (None if not found)."""
    from openpyxl.cell.cell import MergedCell

    if isinstance(cell, MergedCell):
        for rng in ws.merged_cells.ranges:
            if cell.coordinate in rng:
                return ws.cell(rng.min_row, rng.min_col)
        return None
    return cell


def _annotate_cells(wb: Any, rows: list[FindingRow]) -> int:
    error_fill, warning_fill = _fill(ERROR_RGB), _fill(WARNING_RGB)
    by_cell: dict[tuple[str, str], list[FindingRow]] = defaultdict(list)
    cells: dict[tuple[str, str], Any] = {}
    for r in rows:
        if r.sheet is None or r.sheet not in wb.sheetnames:
            continue
        cell = _target(wb[r.sheet], r)
        if cell is None:
            continue
        key = (r.sheet, cell.coordinate)
        by_cell[key].append(r)
        cells[key] = cell
    for key, group in by_cell.items():
        cell = cells[key]
        has_error = any(r.finding.is_error for r in group)
        body, height = comment_text(group)
        _set_mark(cell, body, height, error_fill if has_error else warning_fill)
    return len(by_cell)


def mark_cell(cell: Any, text: str, fill: Any) -> None:
    """Fill ``cell`` and attach ``text`` as its comment (sized to the text): how a cell is
    marked in the annotated workbook and in the copy ``catalog-tools fix`` writes."""
    body = _clean(text)[:_COMMENT_LIMIT]
    lines = body.count("\n") + 1 + len(body) // 50
    _set_mark(cell, body, min(600, 20 + 15 * lines), fill)


def _set_mark(cell: Any, body: str, height: int, fill: Any) -> None:
    from openpyxl.comments import Comment

    cell.fill = fill
    cell.comment = Comment(body, "catalog-tools", width=360, height=height)


def _summary_sheet(wb: Any, rows: list[FindingRow], *, linkable: Path | None, sheets: set[str]) -> Any:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    error_fill, warning_fill = _fill(ERROR_RGB), _fill(WARNING_RGB)
    title = SUMMARY_SHEET
    n = 2
    while title in wb.sheetnames:
        title = f"{SUMMARY_SHEET[:26]} ({n})"
        n += 1
    ws = wb.create_sheet(title, 0)
    for c, (_, th, en) in enumerate(COLUMNS, start=1):
        put_cell(ws, 1, c, f"{th} / {en}" if th != en else th)
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = _fill(_HEAD_RGB)
        c.alignment = Alignment(wrap_text=True, vertical="center")
    loc_col = [k for k, _, _ in COLUMNS].index("location") + 1
    sev_col = [k for k, _, _ in COLUMNS].index("severity") + 1
    for i, r in enumerate(rows, start=2):
        values = row_values(r)
        for c, (key, _, _) in enumerate(COLUMNS, start=1):
            put_cell(ws, i, c, values[key])
        ws.cell(i, sev_col).fill = error_fill if r.finding.is_error else warning_fill
        if (linkable is not None and r.sheet in sheets and _same_path(r.path, linkable)
                and (r.cell or r.row)):
            ref = r.cell or f"A{r.row}"
            quoted = r.sheet.replace("'", "''")
            link = ws.cell(i, loc_col)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!{ref}", display=link.value)
            link.font = Font(color="0563C1", underline="single")
    widths = {"dataset": 16, "resource": 8, "code": 16, "severity": 9, "field": 22, "item": 7, "location": 20,
              "value": 30, "message_th": 60, "message": 60, "suggestion": 24, "file": 30}
    for c, (key, _, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(key, 16)
    last = get_column_letter(len(COLUMNS))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(rows) + 1)}"
    ws.freeze_panes = "A2"
    return ws


@register("xlsx", kinds=("validate",), binary=True,
          description="annotated copy of the input workbook + summary sheet (needs --output)")
def render_xlsx(report: Report, *, output: Path | None = None, inputs: Sequence[str] = (), **_: Any) -> None:
    if output is None:  # the CLI checks this first; library callers get a clear error
        raise ValueError("the xlsx format writes a file: give output=")
    annotate(report, Path(output), inputs)
    return None
