"""CSV of findings, one row per finding, for people who filter in a spreadsheet.

UTF-8 with a BOM so Excel shows Thai without an import wizard. Values come from the inputs
(which may be hostile), so any cell that Excel or LibreOffice would read as a formula —
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — is prefixed with ``'``
(OWASP "CSV injection" advice). The header row is English keys (a stable contract for
scripts); the Thai and English messages are both present whatever ``--lang`` says.
"""
from __future__ import annotations

import csv
import io
from itertools import islice
from typing import Any, Iterator

from ..model import Finding, Report
from ..results import AuditResult
from . import register
from .rows import COLUMNS, value_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula; numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def findings_csv(report: Report) -> str:
    """The CSV text (with BOM) for every finding in ``report``."""
    return "".join(iter_findings_csv(report))


_BATCH = 5000  # rows per piece of the output


def iter_findings_csv(report: Report) -> Iterator[str]:
    """``findings_csv`` in pieces of a few thousand rows: a large report is written without holding it.

    Rows come from ``csv_rows`` (the values of ``rows.row_values``, tests compare both).
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    buf.write(BOM)
    writer.writerow([key for key, _, _ in COLUMNS])
    rows = csv_rows(report)
    while True:
        batch = list(islice(rows, _BATCH))
        writer.writerows(batch)
        if len(batch) < _BATCH:
            break
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
    yield buf.getvalue()


def csv_rows(report: Report) -> Iterator[list[Any]]:
    """Each finding's ``COLUMNS`` values, formula-safe, in ``rows.iter_rows`` order.

    The same values as ``neutralise(row_values(row)[key])`` without a row object, a parsed location and a
    dict per finding (CSV has no use for the sheet and cell): the bulk of a 100,000-finding export.
    """
    for d in report.datasets:
        path = d.source.path
        for f in d.findings:
            yield _csv_row(f, d.id or f.dataset, "", f.source.path if f.source is not None and f.source.path else path)
        for r in d.resources:
            rpath = r.source.path
            for f in r.findings:
                yield _csv_row(f, d.id or f.dataset, r.index + 1,
                               f.source.path if f.source is not None and f.source.path else rpath)
    for f in report.findings:
        yield _csv_row(f, f.dataset, "", f.source.path if f.source is not None and f.source.path else None)


def _csv_row(f: Finding, dataset: str | None, resource: int | str, path: str | None) -> list[Any]:
    row = [dataset or "", resource, f.code, f.severity, f.field or "", f.item or "", f.location or "", value_text(f.value),
           f.message_th, f.message, f.suggestion or "", path or ""]
    return [("'" + v) if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in row]  # = neutralise(v)


@register("csv", kinds=("validate", "audit"), description="one row per finding (UTF-8 with BOM, formula-safe)")
def render_csv(result: Report | AuditResult, **_: Any) -> Iterator[str]:
    return iter_findings_csv(result.report if isinstance(result, AuditResult) else result)


#: columns of the organisations CSV (English keys: a contract for scripts), then their Thai headings
ORG_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "ชื่อหน่วยงาน (CKAN)"), ("title", "หน่วยงาน"), ("datasets", "ชุดข้อมูล"), ("complete", "ครบ 14 รายการ"),
    ("complete_percent", "ร้อยละที่ครบ"), ("open", "ชุดข้อมูลเปิด"), ("open_complete", "ชุดข้อมูลเปิดที่ครบ"),
    ("current", "เป็นปัจจุบัน"), ("current_percent", "ร้อยละที่เป็นปัจจุบัน"), ("registered", "ลงทะเบียน GD Catalog"),
    ("registered_percent", "ร้อยละที่ลงทะเบียน"), ("score_total", "คะแนน"), ("grade", "ระดับ"), ("grade_th", "ระดับ (ไทย)"),
    ("private", "ไม่เผยแพร่"), ("resources", "ทรัพยากรข้อมูล"), ("open_format_resources", "ทรัพยากรรูปแบบเปิด"),
    ("datastore_resources", "ทรัพยากรใน DataStore"), ("broken_links", "ลิงก์เสีย"), ("errors", "ข้อผิดพลาด"),
    ("warnings", "คำเตือน"),
)


def organizations_csv(result: AuditResult) -> str:
    """One row per organisation of an audit (UTF-8 with BOM, formula-safe), English keys as the header."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([key for key, _ in ORG_COLUMNS])
    for org in result.organizations:
        row = org.to_dict()
        raw_score = row.get("score")
        score: dict[str, Any] = raw_score if isinstance(raw_score, dict) else {}
        raw_grade = score.get("grade")
        grade: dict[str, Any] = raw_grade if isinstance(raw_grade, dict) else {}
        flat = {**row, "score_total": score.get("total"), "grade": grade.get("key"), "grade_th": grade.get("th")}
        writer.writerow([neutralise("" if flat.get(key) is None else flat.get(key)) for key, _ in ORG_COLUMNS])
    return BOM + buf.getvalue()


@register("csv-orgs", kinds=("audit",), description="one row per organisation: counts, shares, score and grade")
def render_orgs_csv(result: AuditResult, **_: Any) -> str:
    return organizations_csv(result)
