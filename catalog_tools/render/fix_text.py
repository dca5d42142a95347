"""Text and JSON output of ``catalog-tools fix``: every change (cell, before → after, rule)."""
from __future__ import annotations

import json
import re
from typing import Any

from ..fixes import FixResult
from ..messages import short_text


def fix_json(result: FixResult) -> str:
    """The versioned JSON document (``version: 1``) of a fix run."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


def fix_text(result: FixResult, lang: str = "th") -> str:
    """One line per change, Thai or English, then counts and what validation still reports."""
    lines: list[str] = []
    for c in result.changes:
        msg = c.message_th if lang == "th" else c.message
        lines.append(f"{c.location}  [{c.rule}]  '{show_invisible(c.before)}' → '{show_invisible(c.after)}'  {msg}")
    n_cells = len({c.location for c in result.changes})
    if lang == "th":
        head = "ตรวจแล้ว (ไม่ได้เขียนไฟล์)" if result.dry_run else f"เขียนไฟล์ที่แก้ไขแล้ว: {result.output}"
        lines.append(f"{head} — แก้ไข {n_cells} เซลล์ ({len(result.changes)} รายการ)")
    else:
        head = "Dry run (nothing written)" if result.dry_run else f"Fixed copy written: {result.output}"
        lines.append(f"{head} — {n_cells} cells changed ({len(result.changes)} changes)")
    for rule, n in result.counts().items():
        lines.append(f"  {rule}: {n}")
    rem = result.remaining
    if rem is not None:
        errors, warnings = rem.error_count, rem.warning_count
        if lang == "th":
            lines.append(f"ยังต้องแก้ด้วยตนเอง: ข้อผิดพลาด {errors} รายการ คำเตือน {warnings} รายการ (ดูด้วย catalog-tools validate)")
        else:
            lines.append(f"Left for you to fix: {errors} errors, {warnings} warnings (see catalog-tools validate)")
    return "\n".join(lines) + "\n"


_INVISIBLE = {"\u00a0": "\\u00a0", "\u200b": "\\u200b", "\u200c": "\\u200c", "\u200d": "\\u200d",
              "\u2060": "\\u2060", "\ufeff": "\\ufeff", "\u00ad": "\\u00ad", "\t": "\\t", "\n": "\\n"}
_SHOW = str.maketrans(_INVISIBLE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def show_invisible(value: Any) -> str:
    """A value with its invisible characters spelled out (``\\u200b``, ``\\x1b``), so the change can
    be seen — and so a control character from a cell never reaches a terminal."""
    if value in (None, ""):
        return ""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value).translate(_SHOW))
    return short_text(text, 80)
