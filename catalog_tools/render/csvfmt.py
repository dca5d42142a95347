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
from typing import Any

from ..model import Report
from . import register
from .rows import COLUMNS, iter_rows, row_values

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """Prefix ``'`` to text a spreadsheet would run as a formula; numbers are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def findings_csv(report: Report) -> str:
    """The CSV text (with BOM) for every finding in ``report``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([key for key, _, _ in COLUMNS])
    for r in iter_rows(report):
        values = row_values(r)
        writer.writerow([neutralise(values[key]) for key, _, _ in COLUMNS])
    return BOM + buf.getvalue()


@register("csv", kinds=("validate", "audit"), description="one row per finding (UTF-8 with BOM, formula-safe)")
def render_csv(report: Report, **_: Any) -> str:
    return findings_csv(report)
