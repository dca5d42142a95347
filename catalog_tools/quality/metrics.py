"""Completeness, uniqueness, consistency and validity of the tables in one file, with the cells
that cost each of them.

The formulas are ckanext-dquality's (according to its source, Jan 2026), over *every* sheet
with a table and *every* row, and with two readings offered (``Formulas``):

* ``catalog-tools`` (default): a placeholder (``-``, ``ไม่มีข้อมูล``, ``n/a``…) is counted once,
  as a missing cell for completeness; consistency is over the filled cells, and a column's
  type is its majority type.
* ``dquality``: as the portal computes it: the placeholder also counts against consistency
  (it is a non-empty cell of the wrong type), and a column's type is the type of its first
  data row.

completeness = filled cells ÷ (data rows × header width) × 100;
uniqueness = distinct rows ÷ data rows × 100;
consistency = cells of their column's type ÷ cells considered × 100;
validity = (no blank header + no duplicate header + no extra value) ÷ 3 × 100.
Fully blank rows inside a table are not data rows (they are reported by the validation).
"""
from __future__ import annotations

import datetime as _dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from ..headers import column_letter as col_letter
from .tables import Sheet, blank, filled_count, filled_width

Formulas = Literal["catalog-tools", "dquality"]

#: dquality's missing markers (after trimming, case-insensitive)
PLACEHOLDERS = ("-", "ไม่มีข้อมูล", "null", "n/a", "na", "none", "nan")

_NUM = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?$")
_THAI_MONTH = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
               "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?.*)?$|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$|"
                   r"^\d{1,2}\s*(?:" + "|".join(re.escape(m) for m in _THAI_MONTH) + r")\s*\d{2,4}$")
_BOOL = {"true", "false", "yes", "no", "ใช่", "ไม่ใช่"}

TYPE_TH = {"number": "ตัวเลข", "date": "วันที่", "boolean": "ค่าจริง/เท็จ", "text": "ข้อความ"}


def cell_type(value: Any) -> str:
    """number, date, boolean or text: what a reader of the column would expect it to hold."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        return "date"
    text = str(value).strip()
    if text and _NUM.match(text) and any(ch.isdigit() for ch in text):
        return "number"
    if _DATE.match(text):
        return "date"
    if text.lower() in _BOOL:
        return "boolean"
    return "text"


def is_placeholder(value: Any, placeholders: frozenset[str]) -> bool:
    return isinstance(value, str) and value.strip().casefold() in placeholders


def cell_ref(sheet: Sheet, row: int, col: int) -> str:
    """``Sheet2!C14`` in a spreadsheet, ``file.csv!row 14 col 3`` elsewhere (0-based in)."""
    if sheet.spreadsheet:
        return f"{sheet.name}!{col_letter(col)}{row + 1}"
    if sheet.records:
        return f"{sheet.name}!record {row} col {col + 1}" if row else f"{sheet.name}!keys col {col + 1}"
    return f"{sheet.name}!row {row + 1} col {col + 1}"


def row_ref(sheet: Sheet, row: int) -> str:
    if sheet.records:
        return f"{sheet.name}!record {row}"
    return f"{sheet.name}!row {row + 1}"


def label(sheet: Sheet, col: int) -> str:
    """A column as people name it: its header text, else its letter/number."""
    head = sheet.header_cells
    text = str(head[col]).strip() if col < len(head) and not blank(head[col]) else ""
    if text:
        return text
    return col_letter(col) if sheet.spreadsheet else f"col {col + 1}"


@dataclass(slots=True)
class Issue:
    """One thing that lowered a metric, before it becomes a Finding: ``code``, where, and the
    words to fill its message with."""

    code: str
    location: str
    value: Any
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Counts:
    """Sums over every table of a file (and of a dataset): the metrics are ratios of these."""

    rows: int = 0
    cells: int = 0
    filled: int = 0
    placeholders: int = 0
    distinct: int = 0
    considered: int = 0  # cells the consistency is computed over
    typed: int = 0  # of those, cells of their column's type
    tables: int = 0
    blank_header: bool = False
    duplicate_header: bool = False
    extra_cells: bool = False

    def add(self, other: "Counts") -> None:
        for name in ("rows", "cells", "filled", "placeholders", "distinct", "considered", "typed", "tables"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.blank_header |= other.blank_header
        self.duplicate_header |= other.duplicate_header
        self.extra_cells |= other.extra_cells

    def metrics(self) -> dict[str, float | None]:
        if not self.tables:
            return {"completeness": None, "uniqueness": None, "consistency": None, "validity": None}
        return {
            "completeness": _pct(self.filled, self.cells),
            "uniqueness": _pct(self.distinct, self.rows),
            "consistency": _pct(self.typed, self.considered),
            "validity": round(100 * (3 - self.blank_header - self.duplicate_header - self.extra_cells) / 3, 2),
        }

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("rows", "cells", "filled", "placeholders", "distinct",
                                                       "considered", "typed", "tables")}


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 100.0


def measure(sheet: Sheet, *, formulas: Formulas = "catalog-tools", placeholders: frozenset[str] | None = None,
            examples: int = 10) -> tuple[Counts, list[Issue]]:
    """The counts of one table and the issues that cost them (at most ``examples`` cells named each)."""
    ph = placeholders if placeholders is not None else frozenset(PLACEHOLDERS)
    counts = Counts(tables=1)
    issues: list[Issue] = []
    width = sheet.width
    hrow = sheet.header or 0
    head = sheet.header_cells
    # validity: header cells
    seen: dict[str, int] = {}
    for c in range(width):
        text = "" if blank(head[c]) else str(head[c]).strip()
        if not text:
            counts.blank_header = True
            issues.append(Issue("content_blank_header", cell_ref(sheet, hrow, c), None, {"column": col_letter(c) if sheet.spreadsheet else str(c + 1)}))
        elif text.casefold() in seen:
            counts.duplicate_header = True
            issues.append(Issue("content_duplicate_header", cell_ref(sheet, hrow, c), text,
                                {"first": cell_ref(sheet, hrow, seen[text.casefold()])}))
        else:
            seen[text.casefold()] = c
    if hrow > 0:
        issues.append(Issue("content_header_not_first", cell_ref(sheet, hrow, 0), row_number(sheet, hrow), {"above": hrow}))
    empty: dict[int, list[int]] = defaultdict(list)
    empty_n: Counter[int] = Counter()
    extra_rows: list[int] = []
    first_seen: dict[tuple[str, ...], int] = {}
    dups: list[tuple[int, int]] = []
    column_types: list[Counter[str]] = [Counter() for _ in range(width)]
    first_type: list[str | None] = [None] * width
    cells_by_type: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(width)]
    data_start = hrow + 1
    kinds: dict[str, str] = {}  # cell text → "empty" / "placeholder" / its type; values repeat a lot
    catalog = formulas == "catalog-tools"
    rows_total = cells_total = filled = placeholders_n = 0
    for r in range(data_start, sheet.end):
        raw = sheet.rows[r]
        # one pass over the row: its cells as trimmed text (None when blank)
        cells = [(v.strip() or None) if isinstance(v, str) else v for v in raw]
        last = len(cells)
        while last and cells[last - 1] is None:
            last -= 1
        if not last:
            continue  # a blank row is not a data row (frictionless reports it)
        rows_total += 1
        if last > width:
            extra_rows.append(r)
        key = tuple("" if v is None else str(v) for v in cells[:max(width, last)])
        if key in first_seen:
            dups.append((r, first_seen[key]))
        else:
            first_seen[key] = r
        cells_total += width
        for c in range(width):
            v = cells[c] if c < last else None
            if v is None:
                t = "empty"
            elif isinstance(v, str):
                t = kinds.get(v) or ""
                if not t:
                    t = "placeholder" if v.casefold() in ph else cell_type(v)
                    if len(kinds) < 200_000:
                        kinds[v] = t
            else:
                t = cell_type(v)
            if t == "empty" or t == "placeholder":
                empty_n[c] += 1
                if len(empty[c]) < examples:
                    empty[c].append(r)
                if t == "empty":
                    continue
                placeholders_n += 1
                if catalog:
                    continue
            else:
                filled += 1
            if first_type[c] is None:
                first_type[c] = t
            column_types[c][t] += 1
            if len(cells_by_type[c][t]) < examples:
                cells_by_type[c][t].append(r)
    counts.rows, counts.cells, counts.filled, counts.placeholders = rows_total, cells_total, filled, placeholders_n
    counts.distinct = len(first_seen)
    if extra_rows:
        counts.extra_cells = True
        issues.append(Issue("content_extra_cells", row_ref(sheet, extra_rows[0]), len(extra_rows),
                            {"rows": _rows_text(sheet, extra_rows[:examples], len(extra_rows)), "width": width}))
    for c in range(width):
        if empty_n[c]:
            issues.append(Issue("content_empty_cells", cell_ref(sheet, empty[c][0], c), label(sheet, c),
                                {"count": empty_n[c], "rows": _rows_text(sheet, empty[c], empty_n[c])}))
    for c in range(width):
        types = column_types[c]
        total = sum(types.values())
        if not total:
            continue
        if formulas == "dquality":
            major = first_type[c] or "text"
        else:
            major = max(types, key=lambda t: (types[t], t != "text"))
        counts.considered += total
        counts.typed += types[major]
        for t, n in sorted(types.items()):
            if t == major:
                continue
            where = [cell_ref(sheet, r, c) for r in cells_by_type[c][t]]
            issues.append(Issue("content_mixed_types", where[0], label(sheet, c), {
                "count": n, "total": total, "type": t, "type_th": TYPE_TH.get(t, "ค่าแทนช่องว่าง"),
                "major": major, "major_th": TYPE_TH.get(major, major),
                "cells": ", ".join(where) + (f" … (+{n - len(where)})" if n > len(where) else "")}))
    for r, first in dups[:examples]:
        issues.append(Issue("content_duplicate_rows", row_ref(sheet, r), row_number(sheet, r),
                            {"first": row_number(sheet, first)}))
    # the first ``examples`` repeats are named; the first of them carries the total (see assess)
    if sheet.footnotes:
        issues.append(Issue("content_footnotes", row_ref(sheet, sheet.footnotes[0]), len(sheet.footnotes),
                            {"rows": _rows_text(sheet, sheet.footnotes[:examples], len(sheet.footnotes))}))
    return counts, issues


def row_number(sheet: Sheet, row: int) -> int:
    """The number people see for 0-based ``row``: the file's row, or the JSON record's index."""
    return row if sheet.records else row + 1


def _rows_text(sheet: Sheet, rows0: list[int], total: int) -> str:
    shown = ", ".join(str(row_number(sheet, r)) for r in rows0)
    return shown + (f" … (+{total - len(rows0)})" if total > len(rows0) else "")
