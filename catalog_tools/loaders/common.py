"""Shared pieces of the sheet loaders: turning a header match and rows into RawRecords."""
from __future__ import annotations

import re
from typing import Any, Iterator, Sequence

from ..headers import HeaderMatch, column_letter
from ..messages import make_finding
from ..model import LoadError, LoadNote, RawRecord, Source
from ..normalize import clean_text, is_placeholder
from ..schemas_api import fold, schema_info

MAX_FILE_BYTES = 512 * 2**20
MAX_UNZIPPED_BYTES = 2 * 2**30

_SAMPLE_ID = re.compile(r"^DataSet_\d+_\d+$", re.IGNORECASE)
_SAMPLE_TITLE = re.compile(r"^Name \d+_\d+$", re.IGNORECASE)
_INSTRUCTION = re.compile(r"^\(.*\)$|^YYYY-MM-DD", re.DOTALL)


class InputError(Exception):
    """An input that cannot be read; carries the one-line LoadError for the user."""

    def __init__(self, error: LoadError) -> None:
        super().__init__(str(error))
        self.error = error


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def is_instruction_row(cells: Sequence[Any], columns: dict[int, str]) -> bool:
    """The row under a Template header that explains each column ("(เลือกจากตัวเลือก)", "Temp1_Dataset")."""
    texts = [str(cells[i]).strip() for i in columns if i < len(cells) and not _blank(cells[i])]
    if not texts:
        return False
    if any(fold(t) == "temp1_dataset" for t in texts):
        return True
    hinty = sum(1 for t in texts if _INSTRUCTION.match(t) or is_placeholder(t))
    return hinty >= max(2, (len(texts) + 1) // 2)


def rows_to_records(
    rows: Sequence[Sequence[Any]],
    header: HeaderMatch,
    *,
    path: str,
    sheet: str,
    standard: str,
    first_data_row: int | None = None,
    fixed: dict[str, Any] | None = None,
    row_offset: int = 0,
    ) -> Iterator[RawRecord | LoadNote]:
    """Yield one RawRecord per data row under ``header`` (0-based ``rows``; Excel rows are 1-based)."""
    info = schema_info(header.kind, standard)
    id_field = "id" if header.kind == "dataset" else "dataset_id"
    columns = header.columns
    letters = {i: column_letter(i) for i in columns}
    for i, text in header.unknown.items():
        yield LoadNote(make_finding("column_unknown", value=text, location=f"{sheet}!{column_letter(i)}{header.row + 1 + row_offset}",
                                    source=Source(path, sheet, header.row + 1 + row_offset)))
    present = set(columns.values())
    for name in info.required:
        if name not in present and name not in (fixed or {}):
            spec = info.fields[name]
            yield LoadNote(make_finding("column_missing", field=name, field_en=spec.title, field_th=spec.title_th, item=spec.item,
                                        location=f"{sheet}!{header.row + 1 + row_offset}:{header.row + 1 + row_offset}",
                                        source=Source(path, sheet, header.row + 1 + row_offset)))
    start = header.row + 1 if first_data_row is None else first_data_row
    checked_instruction = first_data_row is not None
    for r in range(start, len(rows)):
        cells = rows[r]
        if not checked_instruction:
            checked_instruction = True
            if is_instruction_row(cells, columns):
                continue
        values: dict[str, Any] = {}
        for i, name in columns.items():
            if i < len(cells):
                v = cells[i]
                if not _blank(v):
                    values[name] = v
        if not values:
            continue
        if not _is_data(values, header.kind, id_field):
            continue
        excel_row = r + 1 + row_offset
        cell_refs = {name: f"{sheet}!{letters[i]}{excel_row}" for i, name in columns.items()}
        yield RawRecord(header.kind, values, cell_refs, Source(path, sheet, excel_row), "sheet", dict(fixed or {}))


def _is_data(values: dict[str, Any], kind: str, id_field: str) -> bool:
    """False for template sample rows, unfilled resource rows and footnotes."""
    others = [k for k in values if k != id_field]
    rid = values.get(id_field)
    if not others:
        if kind == "resource":
            return False  # "DataSet_13_02" with nothing else: an unfilled Template 3 row
        text = clean_text(rid) if rid is not None else ""
        return not (len(text) > 40 and " " in text)  # a footnote sentence, not an id
    if kind == "dataset" and rid is not None and _SAMPLE_ID.match(clean_text(rid)):
        title = values.get("title")
        if isinstance(title, str) and _SAMPLE_TITLE.match(title.strip()) and set(others) <= {"title", "data_type"}:
            return False  # the template's own sample row ("Name 11_01")
    return True
