"""Shared pieces of the sheet loaders: turning a header match and rows into RawRecords."""
from __future__ import annotations

import re
from dataclasses import dataclass
from math import isfinite
from collections.abc import Iterable, Mapping
from typing import Any, Iterator, Sequence

from ..headers import HeaderMatch, column_letter
from ..messages import make_finding
from ..model import LoadError, LoadNote, RawRecord, Source
from ..normalize import clean_text, is_placeholder
from ..schemas_api import fold, schema_info
from ..textsafe import finite_or_text

MAX_FILE_BYTES = 512 * 2**20
MAX_UNZIPPED_BYTES = 2 * 2**30

_SAMPLE_ID = re.compile(r"^DataSet_\d+_\d+$", re.IGNORECASE)
_SAMPLE_TITLE = re.compile(r"^Name \d+_\d+$", re.IGNORECASE)
_INSTRUCTION = re.compile(r"^\(.*\)$|^YYYY-MM-DD", re.DOTALL)


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """How much of a text input is read before it is refused (one line, exit 2); see docs/security.md.

    Set with ``max_field_chars``, ``max_line_chars`` and ``max_columns`` in a ``--config`` file.
    """

    #: one CSV value; an Excel cell holds 32,767 characters, so 4× that leaves room for any real export
    max_field_chars: int = 131_072
    #: one physical line of a CSV file (a row of 40 full cells is 1.3 M characters)
    max_line_chars: int = 4_194_304
    #: values in one CSV row (Excel's column limit)
    max_columns: int = 16_384


DEFAULT_LIMITS = ReadLimits()


class InputError(Exception):
    """An input that cannot be read; carries the one-line LoadError for the user."""

    def __init__(self, error: LoadError) -> None:
        super().__init__(str(error))
        self.error = error


def _blank(v: Any) -> bool:
    """An empty cell: nothing, only white space, or NaN (``_record`` and ``_surely_data`` test plain
    text cells, nearly all of them, inline first)."""
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def no_data_note(path: str) -> LoadNote:
    """A readable Template 2/3 file with headers but not one data row (e.g. a blank template)."""
    return LoadNote(make_finding("no_data", value=path, location=path, source=Source(path)))


def _hint_text(text: str, field: str, info: Any, names: frozenset[str]) -> bool:
    """Is ``text`` (in the column of ``field``) what a template's hint row holds there?"""
    f = fold(text)
    if _INSTRUCTION.match(text) or is_placeholder(text) or f == "temp1_dataset" or f in names or f == fold(field):
        return True
    spec = info.fields.get(field)
    if spec is None:
        return False
    labels = (spec.title, spec.title_th, spec.hint_th or "", *spec.aliases)
    return any(label and f == fold(label) for label in labels)


def data_over_hints(cells: Sequence[Any], columns: dict[int, str], info: Any,
                    names: frozenset[str] = frozenset()) -> tuple[list[tuple[int, str]], int]:
    """Cells of a hint row that hold data, as (column, text), and how many cells hold hints."""
    data, hints = [], 0
    for i, field in columns.items():
        if i >= len(cells) or _blank(cells[i]):
            continue
        text = clean_text(cells[i])
        if _hint_text(text, field, info, names):
            hints += 1
        else:
            data.append((i, text))
    return data, hints


def _hint_row_note(data: list[tuple[int, str]], *, path: str, sheet: str, excel_row: int, read: bool) -> LoadNote:
    """The finding for data typed on a template's hint row: never dropped without a word."""
    shown = ", ".join(f"{column_letter(i)}{excel_row} '{text[:40]}'" for i, text in data[:6])
    if len(data) > 6:
        shown += f", … (+{len(data) - 6})"
    if read:
        en = ("it was read as a record here, but the NSO importer skips row 5, so it would not be imported; "
              "put the hint row back on row 5 or move the data to row 6 or below")
        th = ("ตรวจสอบเป็นข้อมูลแถวหนึ่งแล้ว แต่ระบบนำเข้าของ สสช. ข้ามแถวที่ 5 จึงจะไม่ถูกนำเข้า "
              "ให้ใส่แถวคำอธิบายกลับที่แถว 5 หรือย้ายข้อมูลลงไปตั้งแต่แถว 6")
    else:
        en = "these cells were not read; write the record on a row of its own below the hint row"
        th = "ไม่ได้อ่านค่าในเซลล์เหล่านี้ ให้กรอกข้อมูลในแถวใหม่ใต้แถวคำอธิบาย"
    return LoadNote(make_finding("hint_row_data", value=excel_row, extra=shown, location=f"{sheet}!{excel_row}:{excel_row}",
                                 source=Source(path, sheet, excel_row), reason_en=en, reason_th=th,
                                 severity="warning" if read else "error"))


def is_instruction_row(cells: Sequence[Any], columns: dict[int, str]) -> bool:
    """The row under a Template header that explains each column ("(เลือกจากตัวเลือก)", "Temp1_Dataset")."""
    texts = [str(cells[i]).strip() for i in columns if i < len(cells) and not _blank(cells[i])]
    if not texts:
        return False
    if any(fold(t) == "temp1_dataset" for t in texts):
        return True
    hinty = sum(1 for t in texts if _INSTRUCTION.match(t) or is_placeholder(t))
    return hinty >= max(2, (len(texts) + 1) // 2)


class RowCells(Mapping[str, str]):
    """Cell references of one row (``Sheet!F7``), computed only when a finding needs one."""

    __slots__ = ("_letters", "_prefix", "_row")

    def __init__(self, letters: dict[str, str], prefix: str, row: int) -> None:
        self._letters = letters
        self._prefix = prefix
        self._row = row

    def __getitem__(self, field: str) -> str:
        return f"{self._prefix}{self._letters[field]}{self._row}"

    def __iter__(self) -> Iterator[str]:
        return iter(self._letters)

    def __len__(self) -> int:
        return len(self._letters)

    def __contains__(self, field: object) -> bool:
        return field in self._letters


class StandIns:
    """Whether rows held in memory that are surely records are given as one shared stand-in, not read.

    Why: a helper process validating blocks of a shared sheet (``catalog_tools.shard``) reads every
    row to keep its place, but looks only at the records of the blocks it validates; reading the
    others' values (a third of the time of taking a row) only slows it down. The helper switches
    this on for the blocks the parent validates; the parent never does (it keeps every record). A
    stand-in takes a record's place only where the row surely is one (more than three filled
    cells: what ``_is_data`` accepts first), so the helper counts the records the parent counts.
    """

    on = False


def _surely_data(cells: Sequence[Any], col_items: list[tuple[int, str]]) -> bool:
    """More than three cells ``_record`` would keep (so its ``values`` has more than three items)."""
    n = len(cells)
    filled = 0
    for i, _ in col_items:
        if i < n:
            v = cells[i]
            if v.__class__ is str:
                if not v or v.isspace():
                    continue
            elif _blank(v):
                continue
            filled += 1
            if filled > 3:
                return True
    return False


def rows_to_records(
    rows: Iterable[Sequence[Any]],
    header: HeaderMatch,
    *,
    path: str,
    sheet: str,
    standard: str,
    first_data_row: int | None = None,
    fixed: dict[str, Any] | None = None,
    row_offset: int = 0,
    hint_row: int | None = None,
    hint_names: frozenset[str] = frozenset(),
    layout: str = "",
    resident: bool = False,
    ) -> Iterator[RawRecord | LoadNote]:
    """Yield one RawRecord per data row under ``header``.

    ``rows`` are 0-based and may be a stream (the whole sheet is never held twice);
    Excel rows in locations are 1-based. ``resident``: ``rows`` are in memory and reading them reads
    no file (the records are marked so, see ``RawRecord.resident``). ``hint_row`` (0-based) is a row the layout skips
    (the NSO importer's row 5): data typed there is read and reported, never dropped silently;
    the same holds for the instruction row under an OPDC header.
    """
    info = schema_info(header.kind, standard)
    id_field = "id" if header.kind == "dataset" else "dataset_id"
    columns = header.columns
    col_items = sorted(columns.items())
    letters = {name: column_letter(i) for i, name in columns.items()}
    prefix = f"{sheet}!"
    header_excel_row = header.row + 1 + row_offset
    for i, text in header.unknown.items():
        yield LoadNote(make_finding("column_unknown", value=text, location=f"{sheet}!{column_letter(i)}{header_excel_row}",
                                    source=Source(path, sheet, header_excel_row)))
    present = set(columns.values())
    for name in info.required:
        if name not in present and name not in (fixed or {}):
            spec = info.fields[name]
            yield LoadNote(make_finding("column_missing", field=name, field_en=spec.title, field_th=spec.title_th, item=spec.item,
                                        location=f"{sheet}!{header_excel_row}:{header_excel_row}",
                                        source=Source(path, sheet, header_excel_row)))
    start = header.row + 1 if first_data_row is None else first_data_row
    checked_instruction = first_data_row is not None
    fixed_values = dict(fixed or {})
    stand_in: RawRecord | None = None
    distinct = len(set(columns.values())) == len(columns)  # one field per column: a filled cell is a value
    for r, cells in enumerate(rows):
        if r < start:
            if r == hint_row:
                data, hints = data_over_hints(cells, columns, info, hint_names)
                if data:
                    excel_row = r + 1 + row_offset
                    record = _record(cells, col_items, header.kind, id_field, letters, prefix, excel_row, path, sheet,
                                     fixed_values, layout, resident) if not hints else None
                    yield _hint_row_note(data, path=path, sheet=sheet, excel_row=excel_row, read=record is not None)
                    if record is not None:
                        yield record
            continue
        if not checked_instruction:
            checked_instruction = True
            if is_instruction_row(cells, columns):
                data, _ = data_over_hints(cells, columns, info)
                if data:
                    yield _hint_row_note(data, path=path, sheet=sheet, excel_row=r + 1 + row_offset, read=False)
                continue
        if StandIns.on and resident and distinct and _surely_data(cells, col_items):
            if stand_in is None:
                stand_in = RawRecord(header.kind, {}, {}, Source(path, sheet, None), "sheet",  # type: ignore[arg-type]
                                     fixed_values, layout=layout, resident=True)
            yield stand_in  # in a helper, for a record it will not look at (StandIns)
            continue
        record = _record(cells, col_items, header.kind, id_field, letters, prefix, r + 1 + row_offset, path, sheet,
                         fixed_values, layout, resident)
        if record is not None:
            yield record


def _record(cells: Sequence[Any], col_items: list[tuple[int, str]], kind: str, id_field: str, letters: dict[str, str],
            prefix: str, excel_row: int, path: str, sheet: str, fixed: dict[str, Any], layout: str,
            resident: bool = False) -> RawRecord | None:
    """The record of one data row, or None for a blank row, a sample row or a footnote."""
    values: dict[str, Any] = {}
    n = len(cells)
    for i, name in col_items:
        if i < n:
            v = cells[i]
            if v.__class__ is str:  # most cells: text, blank as ""
                if v and not v.isspace():
                    values[name] = v
                continue
            if _blank(v):
                continue
            if isinstance(v, float) and not isfinite(v):
                v = finite_or_text(v)  # a cell saved as 1e400: text, so JSON output stays JSON
            values[name] = v
    if not values or not _is_data(values, kind, id_field):
        return None
    return RawRecord(kind, values, RowCells(letters, prefix, excel_row),  # type: ignore[arg-type]
                     Source(path, sheet, excel_row), "sheet", fixed, layout=layout, resident=resident)


def _is_data(values: dict[str, Any], kind: str, id_field: str) -> bool:
    """False for template sample rows, unfilled resource rows and footnotes."""
    if len(values) > 3:  # a sample row holds an id, a title and a data type at most: most rows stop here
        return True
    rid = values.get(id_field)
    if len(values) == 1 and rid is not None:  # the id and nothing else
        if kind == "resource":
            return False  # "DataSet_13_02" with nothing else: an unfilled Template 3 row
        text = clean_text(rid)
        return not (len(text) > 40 and " " in text)  # a footnote sentence, not an id
    if kind == "dataset" and rid is not None and _SAMPLE_ID.match(clean_text(rid)):
        title = values.get("title")
        if isinstance(title, str) and _SAMPLE_TITLE.match(title.strip()) and set(values) - {id_field} <= {"title", "data_type"}:
            return False  # the template's own sample row ("Name 11_01")
    return True
