"""``catalog-tools fix``: a corrected copy of a Template 2/3 workbook, CSV file or CKAN JSON.

Only what the normaliser already reads with certainty is written back (see ``propose`` and
the before/after check in ``plan``): known synonyms and English values, spacing and invisible
characters, Thai digits, the era of dates, ``อื่น ๆ: text`` split into its ``_other`` column,
separators of multi-values, ``mailto:`` in e-mails. Everything else stays for the steward,
reported by validating the fixed copy. The input is only read (``fileio.check_paths`` refuses an
output that is the input); the copy is written whole or not at all (``fileio``'s atomic writes).
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..fileio import NotRegularFile, PathClash, check_paths, require_regular_file, save_workbook, write_output
from ..loaders import iter_path, sniff_kind
from ..loaders.common import InputError
from ..model import LoadError, Report
from ..options import ValidationOptions
from ..validate import validate_paths
from .plan import Change, Planner

__all__ = ["Change", "FixResult", "fix_file", "FIX_RULES", "RESOLVES"]

#: every rule ``fix`` applies (codes registered in ``catalog_tools.messages``)
FIX_RULES = ("fix_whitespace", "fix_thai_digits", "fix_synonym", "fix_choice_spelling", "fix_date_era", "fix_other",
             "fix_separator", "fix_email")

#: the validation findings a fix rule removes: validating the fixed copy never shows them at a fixed cell
RESOLVES: dict[str, tuple[str, ...]] = {"fix_synonym": ("synonym",), "fix_date_era": ("date_era",)}

_SUFFIXES = {"xlsx": (".xlsx", ".xlsm"), "csv": (".csv", ".tsv", ".txt"), "json": (".json", ".jsonl", ".ndjson")}


@dataclass(slots=True)
class FixResult:
    """What ``fix`` did: the changes (cell, before, after, rule) and the fixed copy's own report."""

    input: str
    output: str | None
    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    remaining: Report | None = None

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(c.rule for c in self.changes).items()))

    def to_dict(self) -> dict[str, Any]:
        rem = self.remaining
        return {
            "version": 1, "input": self.input, "output": self.output, "dry_run": self.dry_run,
            "changed_cells": len({c.location for c in self.changes}), "counts": self.counts(),
            "changes": [c.to_dict() for c in self.changes],
            "remaining": None if rem is None else {
                "errors": rem.error_count, "warnings": rem.warning_count,
                "findings": [f.to_dict() for f in rem.iter_findings()],
            },
        }


def fix_file(path: str | os.PathLike[str], output: str | os.PathLike[str] | None, *, dry_run: bool = False,
             options: ValidationOptions | None = None) -> FixResult:
    """Write the fixed copy of ``path`` to ``output`` (not with ``dry_run``) and validate it.

    Raises ``InputError`` for an input that cannot be read or fixed, or an output that would
    overwrite the input.
    """
    options = options or ValidationOptions()
    src = Path(path)
    kind = _kind(src)
    if output is None and not dry_run:
        raise InputError(LoadError(str(src), "give the fixed copy's file name with -o", "ระบุชื่อไฟล์ผลลัพธ์ด้วย -o"))
    if output is not None:
        _check_output(src, Path(output), kind)
    planner = Planner(options.standard)
    if kind != "json":
        planner.add_records(iter_path(src, standard=options.standard))
    data, changes = _render(src, kind, planner)
    result = FixResult(str(path), None if dry_run else str(output), dry_run, changes)
    with tempfile.TemporaryDirectory(prefix="catalog-tools-fix-") as tmp:
        if dry_run or output is None:
            target = Path(tmp) / f"fixed{src.suffix.lower()}"
            _write(target, data)
        else:
            target = Path(output)
            _write(target, data)
        result.remaining = validate_paths([str(target)], options=options)
    return result


def _kind(src: Path) -> str:
    try:
        require_regular_file(src)  # a FIFO would block the read below
        with open(src, "rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise InputError(LoadError(str(src), "file not found", "ไม่พบไฟล์")) from None
    except NotRegularFile as exc:
        raise InputError(LoadError(str(src), exc.message, exc.message_th)) from None
    except OSError as exc:
        raise InputError(LoadError(str(src), f"cannot be read ({exc.strerror})", "อ่านไฟล์ไม่ได้")) from None
    kind = sniff_kind(src, head)
    if kind == "xls":
        raise InputError(LoadError(str(src), "is an old .xls workbook; fix writes .xlsx — save it as .xlsx in Excel first",
                                   "เป็นไฟล์ .xls รุ่นเก่า กรุณาบันทึกเป็น .xlsx ก่อน"))
    if kind == "xlsx" and src.suffix.lower() not in _SUFFIXES["xlsx"]:
        raise InputError(LoadError(str(src), "fix writes .xlsx/.xlsm workbooks only (not .ods)",
                                   "คำสั่ง fix เขียนได้เฉพาะไฟล์ .xlsx/.xlsm"))
    if kind == "broken-xlsx":
        raise InputError(LoadError(str(src), "is not a valid Excel workbook (not a zip/xlsx file)", "ไม่ใช่ไฟล์ Excel ที่ถูกต้อง"))
    return kind


def _check_output(src: Path, out: Path, kind: str) -> None:
    try:
        check_paths([src], [("-o", out)])
    except PathClash as exc:
        raise InputError(LoadError(str(out), str(exc))) from None
    if out.suffix.lower() not in _SUFFIXES[kind]:
        wanted = "/".join(_SUFFIXES[kind])
        raise InputError(LoadError(str(out), f"the fixed copy of a {kind} file must be named {wanted}",
                                   f"ไฟล์ผลลัพธ์ต้องมีนามสกุล {wanted} เหมือนไฟล์ต้นฉบับ"))


def _render(src: Path, kind: str, planner: Planner) -> tuple[Any, list[Change]]:
    from .write import fix_csv, fix_workbook

    if kind == "xlsx":
        return fix_workbook(src, planner.groups)
    if kind == "json":
        from .ckan_json import fix_json
        return fix_json(src, planner)
    data, changes = fix_csv(src, planner.groups)
    return data, changes


def _write(target: Path, data: Any) -> None:
    """Write the copy whole or not at all (a temporary file renamed into place)."""
    if isinstance(data, bytes):
        write_output(target, data)
    else:  # an openpyxl workbook
        save_workbook(data, target)
