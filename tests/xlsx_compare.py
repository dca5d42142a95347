"""Compare two annotated workbooks the way a steward sees them: sheet by sheet, cell by cell."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def fill_of(cell: Any) -> tuple[Any, ...]:
    f = cell.fill
    return (f.patternType, f.fgColor.rgb if f.patternType else None)


def workbook_cells(path: Path) -> dict[str, Any]:
    """Everything compared: sheet order and states, and per cell its value, comment and fill."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out: dict[str, Any] = {"sheets": [(ws.title, ws.sheet_state) for ws in wb.worksheets], "active": wb.active.title}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and c.comment is None and c.fill.patternType is None:
                    continue
                comment = (c.comment.text, c.comment.author) if c.comment else None
                link = c.hyperlink.location if c.hyperlink is not None else None
                cells[c.coordinate] = (c.value, comment, fill_of(c), c.font.b, link, c.number_format, c.quotePrefix)
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted((str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation),
            "filter": ws.auto_filter.ref,
            "freeze": ws.freeze_panes,
            "widths": {k: v.width for k, v in ws.column_dimensions.items() if v.width},
        }
    return out


def differences(a: dict[str, Any], b: dict[str, Any], limit: int = 10) -> list[str]:
    out = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) == b.get(key):
            continue
        if isinstance(a.get(key), dict) and isinstance(b.get(key), dict):
            for sub in sorted(set(a[key]) | set(b[key])):
                if a[key].get(sub) != b[key].get(sub):
                    if isinstance(a[key].get(sub), dict) and isinstance(b[key].get(sub), dict):
                        x, y = a[key][sub], b[key][sub]
                        for k in sorted(set(x) | set(y))[:100000]:
                            if x.get(k) != y.get(k):
                                out.append(f"{key}/{sub}/{k}: {x.get(k)!r} != {y.get(k)!r}")
                    else:
                        out.append(f"{key}/{sub}: {a[key].get(sub)!r} != {b[key].get(sub)!r}")
        else:
            out.append(f"{key}: {a.get(key)!r} != {b.get(key)!r}")
        if len(out) >= limit:
            break
    return out[:limit]
