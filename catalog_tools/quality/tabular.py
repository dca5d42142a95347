"""Validation of one table with frictionless, its errors grouped by type with their places.

Why frictionless: it is the maintained, documented validator for tabular data (the Frictionless
Data table-schema checks: blank and duplicate labels, extra and missing cells, blank rows, cells
that do not fit the column type inferred from the data). We hand it the header row we found and
the rows below it, with the placeholders as its missing values, so its row numbers map back to
the file's rows and a ``-`` is not a type error.
"""
from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

from .metrics import cell_ref, row_ref
from .tables import Sheet

#: frictionless's header checks grow with the square of the column count (2,000 columns: 35 s);
#: wider tables are measured by our own metrics only and say so (``validated: false``)
MAX_COLUMNS = 256

#: frictionless error types that the metrics already name cell by cell (not repeated as findings)
COVERED = frozenset({"blank-label", "duplicate-label", "extra-cell", "type-error", "duplicate-row"})


@dataclass(slots=True)
class ErrorGroup:
    """All errors of one frictionless type in one table: how many, and the first places."""

    type: str
    sheet: str
    count: int = 0
    locations: list[str] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "sheet": self.sheet, "count": self.count, "locations": list(self.locations),
                "note": self.note}


def validate_table(sheet: Sheet, placeholders: tuple[str, ...], *, examples: int = 10,
                   limit_errors: int = 10_000) -> list[ErrorGroup] | None:
    """frictionless's findings for the table on ``sheet`` (header row + data rows); None when
    the table is too wide to validate (see ``MAX_COLUMNS``)."""
    if sheet.header is None:
        return []
    if max(sheet.width, max((len(r) for r in sheet.rows[sheet.header:sheet.end]), default=0)) > MAX_COLUMNS:
        return None
    hrow = sheet.header
    header = [_label(v) for v in sheet.header_cells[:max(sheet.width, 1)]]
    rows: list[list[Any]] = [header] + [list(r) for r in sheet.data()]
    Detector, Resource, validate = _frictionless()
    detector = Detector(field_missing_values=["", *placeholders, *(p.upper() for p in placeholders)])
    report = validate(Resource(data=rows, detector=detector), limit_errors=limit_errors)
    groups: dict[str, ErrorGroup] = {}
    for task in report.tasks:
        for err in task.errors:
            g = groups.setdefault(err.type, ErrorGroup(err.type, sheet.name, note=str(getattr(err, "title", "") or "")))
            g.count += 1
            if len(g.locations) >= examples:
                continue
            rn = getattr(err, "row_number", None)
            fn = getattr(err, "field_number", None)
            row0 = hrow + rn - 1 if rn else hrow  # frictionless counts the header as row 1
            if fn:
                g.locations.append(cell_ref(sheet, row0, fn - 1))
            else:
                g.locations.append(row_ref(sheet, row0))
    return list(groups.values())


_IMPORT_LOCK = threading.Lock()


def _frictionless() -> Any:
    """frictionless's Detector, Resource and validate, imported once (it is slow to import, and
    its dependencies warn on import; the filter change is made under a lock, once, because
    ``warnings.catch_warnings`` is not safe while other threads run)."""
    with _IMPORT_LOCK:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from frictionless import Detector, Resource, validate
    return Detector, Resource, validate


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
