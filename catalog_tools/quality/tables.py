"""Tables inside a file: every sheet, as rows of cells, with the header row found.

Spreadsheets are read through python-calamine (already the project's workbook reader: XLSX,
XLS and ODS, every sheet, formulas as saved results); CSV/TSV through the ``csv`` module on
the text ``sniff`` decoded; JSON arrays of records become a table whose header is the union of
their keys. Cell positions keep their spreadsheet coordinates (row 1 = the file's first row)
so findings can say ``Sheet2!C14``.

The header row is found rather than assumed: government workbooks put a title (and a blank
line) above it. A sheet whose rows never hold two filled cells side by side is a notes sheet,
not a table, and is reported as such instead of being scored.
"""
from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

csv.field_size_limit(16 * 2**20)

#: rows looked at to find the header
HEAD_ROWS = 30
MAX_ROWS = 2_000_000


class TableError(Exception):
    """The file cannot be read as a table (damaged, password-protected, a zip bomb…)."""

    def __init__(self, en: str, th: str) -> None:
        super().__init__(en)
        self.en, self.th = en, th


@dataclass(slots=True)
class Sheet:
    """One table: ``rows`` from the file's first row; ``header`` is the 0-based header row index."""

    name: str
    rows: list[list[Any]]
    spreadsheet: bool  # locations as ``Sheet!C14`` (True) or ``file.csv!row 14 col 3``
    records: bool = False  # a JSON array: rows are records (``file.json!record 3 col 2``), row 1 our header
    header: int | None = None  # None: no table on this sheet (notes)
    end: int = 0  # rows[header + 1:end] are the data rows (trailing blank rows and footnotes cut)
    footnotes: list[int] = field(default_factory=list)  # 0-based rows below the table holding one note cell

    @property
    def is_table(self) -> bool:
        return self.header is not None

    @property
    def header_cells(self) -> list[Any]:
        return self.rows[self.header] if self.header is not None else []

    @property
    def width(self) -> int:
        """Header width: up to the last filled header cell."""
        return filled_width(self.header_cells)

    def data(self) -> list[list[Any]]:
        return self.rows[self.header + 1:self.end] if self.header is not None else []


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def filled_width(row: list[Any]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if not blank(row[i]):
            return i + 1
    return 0


def filled_count(row: list[Any]) -> int:
    return sum(1 for v in row if not blank(v))


def read_tables(data: bytes, fmt: str, *, text: str | None = None, delimiter: str | None = None, name: str = "data",
                unzip_limit: int = 512 * 2**20) -> list[Sheet]:
    """Every table in ``data`` of sniffed format ``fmt`` (CSV, TSV, XLSX, XLS, ODS, JSON)."""
    if fmt in ("CSV", "TSV"):
        sheets = [Sheet(name, _csv_rows(text or "", delimiter or ("\t" if fmt == "TSV" else ",")), False)]
    elif fmt in ("XLSX", "XLS", "ODS"):
        if fmt in ("XLSX", "ODS"):
            check_zip(data, unzip_limit)
        sheets = _workbook(data)
    elif fmt == "JSON":
        sheets = [Sheet(name, _json_rows(text or ""), False, records=True)]
    else:
        return []
    for sheet in sheets:
        locate_table(sheet)
    return sheets


def check_zip(data: bytes, limit: int) -> None:
    """Refuse a zip whose members unpack past ``limit`` bytes (a zip bomb) before any reader opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(f"damaged zip container ({exc})", "ไฟล์เสียหาย (zip)") from None
    if total > limit:
        raise TableError(f"unpacks to {total:,} bytes, over the {limit:,} byte limit (a zip bomb?)",
                         f"เมื่อขยายไฟล์มีขนาด {total:,} ไบต์ เกินขีดจำกัด {limit:,} ไบต์")


def _csv_rows(text: str, delimiter: str) -> list[list[Any]]:
    text = text.lstrip("\ufeff")
    try:
        rows = [row for _, row in zip(range(MAX_ROWS), csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))]
    except csv.Error as exc:
        raise TableError(f"broken CSV ({exc})", "โครงสร้าง CSV ไม่ถูกต้อง") from None
    return rows


def _workbook(data: bytes) -> list[Sheet]:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metas = list(wb.sheets_metadata)
    except pc.PasswordError:
        raise TableError("the workbook is password-protected", "ไฟล์ถูกตั้งรหัสผ่าน") from None
    except Exception as exc:  # calamine raises several error types for broken files
        raise TableError(f"not a readable workbook ({str(exc)[:120]})", "อ่านไฟล์ไม่ได้") from None
    sheets = []
    for meta in metas:
        if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
            continue
        try:
            sheet = wb.get_sheet_by_name(meta.name)
            start_row, start_col = sheet.start or (0, 0)
            rows: list[list[Any]] = [[] for _ in range(start_row)]
            pad = [""] * start_col
            for i, row in enumerate(sheet.iter_rows()):
                if i >= MAX_ROWS:
                    break
                rows.append(pad + row if start_col else row)
        except Exception as exc:
            raise TableError(f"sheet '{meta.name}' cannot be read ({str(exc)[:120]})", f"อ่านแผ่นงาน '{meta.name}' ไม่ได้") from None
        sheets.append(Sheet(meta.name, rows, True))
    return sheets


_WRAPPERS = ("data", "records", "result", "results", "items", "rows", "features")


def _json_rows(text: str) -> list[list[Any]]:
    """A JSON array of objects (or of arrays), or an object wrapping one, as rows with a header."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return []
    if isinstance(data, dict):
        data = next((data[k] for k in _WRAPPERS if isinstance(data.get(k), list)), None)
        if isinstance(data, dict):  # CKAN's {"result": {"records": [...]}}
            data = next((data[k] for k in _WRAPPERS if isinstance(data.get(k), list)), None)
    if not isinstance(data, list) or not data:
        return []
    if all(isinstance(x, list) for x in data):
        return [[_scalar(v) for v in x] for x in data]
    if not all(isinstance(x, dict) for x in data):
        return []
    keys: dict[str, None] = {}
    for rec in data:
        if rec.get("type") == "Feature" and isinstance(rec.get("properties"), dict):
            rec = rec["properties"]
        keys.update(dict.fromkeys(str(k) for k in rec))
    header = list(keys)
    rows: list[list[Any]] = [list(header)]
    for rec in data:
        if rec.get("type") == "Feature" and isinstance(rec.get("properties"), dict):
            rec = rec["properties"]
        rows.append([_scalar(rec.get(k)) for k in header])
    return rows


def _scalar(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return v


def locate_table(sheet: Sheet) -> None:
    """Find the header row, the end of the data and any footnotes below it (in place).

    The table's width is the most common number of filled cells among the first rows that
    have at least two; the header is the first row filling at least 60 % of that width
    (a title row fills one merged cell). Rows after the last row with two filled cells that
    hold a single cell are footnotes ("ที่มา: …"), not data.
    """
    rows = sheet.rows
    counts = [filled_count(r) for r in rows[:HEAD_ROWS + 100]]
    multi = [c for c in counts if c >= 2]
    if not multi:
        sheet.header = None
        return
    width = Counter(multi).most_common(1)[0][0]
    header = next(i for i, c in enumerate(counts) if c >= 2 and c >= 0.6 * width)
    sheet.header = header
    last = header
    for i in range(len(rows) - 1, header, -1):
        if filled_count(rows[i]) >= 2 or (width < 2 and filled_count(rows[i])):
            last = i
            break
    end = last + 1
    sheet.footnotes = [i for i in range(end, len(rows)) if filled_count(rows[i])] if width >= 2 else []
    # a single-column table keeps all its rows
    if sheet.width <= 1:
        end = max((i + 1 for i in range(len(rows)) if filled_count(rows[i])), default=header + 1)
        sheet.footnotes = []
    sheet.end = end
