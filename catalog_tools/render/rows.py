"""Findings flattened to rows (one per finding), shared by the CSV, xlsx and HTML renderers.

Spreadsheet people filter a flat table, so every renderer that shows "one row per finding"
uses the same columns in the same order, computed once here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..messages import short_text
from ..model import Finding, Report


@dataclass(slots=True)
class FindingRow:
    """One finding with the dataset/resource it belongs to and its parsed location."""

    finding: Finding
    dataset: str | None
    resource: int | None  # 1-based resource number within the dataset, when it is a resource finding
    path: str | None
    sheet: str | None  # the sheet of a spreadsheet location, else None
    cell: str | None  # "F7" for a cell; None for a row-level location
    row: int | None  # the Excel row (1-based) for cell and row-level locations


def parse_location(location: str | None) -> tuple[str | None, str | None, int | None]:
    """``"Template 2!F7"`` → (sheet, "F7", 7); ``"Template 2!7:7"`` → (sheet, None, 7); CKAN paths → (None, None, None)."""
    if not location or "!" not in location:
        return None, None, None
    sheet, ref = location.rsplit("!", 1)
    ref = ref.strip().replace("$", "")
    if ":" in ref:  # a whole row, "7:7"
        first = ref.split(":", 1)[0]
        return (sheet, None, int(first)) if first.isdigit() else (sheet, None, None)
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = ref[len(letters):]
    if letters and digits.isdigit() and letters.isascii():
        return sheet, ref.upper(), int(digits)
    return sheet, None, None


def iter_rows(report: Report) -> Iterator[FindingRow]:
    """Dataset findings, then their resources' findings, then whole-input findings."""
    for d in report.datasets:
        for f in d.findings:
            yield _row(f, d.id, None, d.source.path)
        for r in d.resources:
            for f in r.findings:
                yield _row(f, d.id, r.index + 1, r.source.path)
    for f in report.findings:
        yield _row(f, f.dataset, None, f.source.path if f.source else None)


def _row(f: Finding, dataset: str | None, resource: int | None, path: str | None) -> FindingRow:
    sheet, cell, row = parse_location(f.location)
    if f.source is not None and f.source.path:
        path = f.source.path
    return FindingRow(f, dataset or f.dataset, resource, path, sheet, cell, row)


def value_text(value: Any, limit: int = 500) -> str:
    """A finding's value as one short line of text."""
    return short_text(value, limit)


#: (key, Thai header, English header) — the contract for CSV and the summary sheet
COLUMNS = (
    ("dataset", "รหัสชุดข้อมูล", "dataset"),
    ("resource", "ทรัพยากรที่", "resource"),
    ("code", "รหัสปัญหา", "code"),
    ("severity", "ระดับ", "severity"),
    ("field", "ฟิลด์", "field"),
    ("item", "รายการที่", "item"),
    ("location", "ตำแหน่ง", "location"),
    ("value", "ค่าที่พบ", "value"),
    ("message_th", "ข้อความ (ไทย)", "message_th"),
    ("message", "Message (English)", "message"),
    ("suggestion", "คำแนะนำ", "suggestion"),
    ("file", "ไฟล์", "file"),
)


def row_values(r: FindingRow) -> dict[str, Any]:
    """The COLUMNS values of one row, as plain text/numbers."""
    f = r.finding
    return {
        "dataset": r.dataset or "",
        "resource": r.resource if r.resource is not None else "",
        "code": f.code,
        "severity": f.severity,
        "field": f.field or "",
        "item": f.item or "",
        "location": f.location or "",
        "value": value_text(f.value),
        "message_th": f.message_th,
        "message": f.message,
        "suggestion": f.suggestion or "",
        "file": r.path or "",
    }
