"""One resource's content quality: from its bytes (or why there are none) to metrics and issues.

``assess`` never raises for a bad file: a file that cannot be fetched, is over the size cap or
cannot be parsed gets the metrics it can have (reachable, size, format) and an issue saying why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import formats
from .metrics import PLACEHOLDERS, Counts, Formulas, Issue, measure
from .sniff import Detected, detect
from .tables import TableError, read_tables

_FT_TH = {"blank-row": "แถวว่าง", "missing-cell": "ช่องข้อมูลขาด (แถวสั้นกว่าหัวตาราง)",
          "primary-key": "คีย์หลักซ้ำ", "source-error": "อ่านข้อมูลไม่ได้", "scheme-error": "อ่านข้อมูลไม่ได้"}


@dataclass(frozen=True, slots=True)
class QualityOptions:
    """How content is measured; every choice that differs from ckanext-dquality is one of these."""

    formulas: Formulas = "catalog-tools"
    placeholders: tuple[str, ...] = PLACEHOLDERS
    examples: int = 10  # cells/rows named per finding
    max_findings: int = 20  # findings of one code per resource; the rest are counted in one more
    unzip_limit: int = 256 * 2**20  # refuse workbooks unpacking past this (zip bombs)
    validate: bool = True  # run frictionless on every table


@dataclass(slots=True)
class Fetched:
    """What getting the file gave: bytes, or the reason there are none."""

    data: bytes | None
    reachable: bool
    status: int | None = None
    error_en: str | None = None
    error_th: str | None = None
    size: int | None = None
    too_large: bool = False
    content_type: str | None = None
    cache: str | None = None  # "hit", "miss", None for local files
    requests: dict[str, int] = field(default_factory=dict)
    final_url: str | None = None


@dataclass(slots=True)
class Assessment:
    quality: dict[str, Any]
    issues: list[Issue]
    counts: Counts


def assess(fetched: Fetched, *, name: str, declared: Any = None, datastore: bool | None = None,
           limit_text: str = "", options: QualityOptions | None = None) -> Assessment:
    """Metrics and issues of one resource; ``name`` labels its locations (``file.csv!row 3 col 2``)."""
    o = options or QualityOptions()
    decl = formats.canonical(declared)
    q: dict[str, Any] = {
        "reachable": fetched.reachable, "status": fetched.status, "size": fetched.size,
        "declared_format": decl, "detected_format": None, "format_mismatch": None, "format_note": None,
        "stars": None, "stars_declared": formats.stars(decl) if decl else None, "machine_readable": None,
        "encoding": None, "utf8": None, "rows": None, "sheets": [],
        "completeness": None, "uniqueness": None, "consistency": None, "validity": None,
        "preview": datastore, "api": datastore, "table_errors": [], "counts": None, "formulas": o.formulas,
        "cache": fetched.cache, "requests": dict(fetched.requests), "error": fetched.error_en,
    }
    issues: list[Issue] = []
    counts = Counts()
    if not fetched.reachable or fetched.data is None:
        if fetched.too_large:
            issues.append(Issue("content_too_large", name, fetched.size, {"limit": limit_text}))
        else:
            issues.append(Issue("content_unreachable", name, fetched.status,
                                {"reason_en": fetched.error_en or "no answer", "reason_th": fetched.error_th or "ไม่มีการตอบกลับ"}))
        return Assessment(q, issues, counts)
    det = detect(fetched.data, unzip_limit=o.unzip_limit)
    fmt = det.format
    q.update(detected_format=fmt, format_note=det.note, stars=formats.stars(fmt),
             machine_readable=fmt in formats.MACHINE_READABLE)
    q["format_mismatch"] = bool(decl and fmt and not formats.same_family(decl, fmt))
    if q["format_mismatch"]:
        issues.append(Issue("content_format_mismatch", name, fmt, {"declared": decl, "note": det.note}))
    if not q["machine_readable"]:
        issues.append(Issue("content_not_machine_readable", name, fmt or "?", {"stars": q["stars"]}))
    if det.encoding is not None and fmt in formats.TEXT:
        q["encoding"], q["utf8"] = det.encoding.name, det.encoding.utf8
        if not det.encoding.utf8:
            issues.append(Issue("content_not_utf8", name, det.encoding.name, {}))
    if fmt in formats.TABULAR:
        _tables(fetched.data, det, name, q, issues, counts, o)
    return Assessment(q, _capped(issues, o.max_findings, name), counts)


def _capped(issues: list[Issue], cap: int, name: str) -> list[Issue]:
    """At most ``cap`` issues of each code; one ``content_findings_capped`` says how many more
    (a 20,000-column sheet must not produce 20,000 findings; the metrics still count them all)."""
    seen: dict[str, int] = {}
    out: list[Issue] = []
    for issue in issues:
        seen[issue.code] = seen.get(issue.code, 0) + 1
        if seen[issue.code] <= cap:
            out.append(issue)
    for code, n in seen.items():
        if n > cap:
            out.append(Issue("content_findings_capped", name, n - cap, {"of_code": code}))
    return out


def _tables(data: bytes, det: Detected, name: str, q: dict[str, Any], issues: list[Issue], counts: Counts,
            o: QualityOptions) -> None:
    fmt = det.format or ""
    try:
        sheets = read_tables(data, fmt, text=det.text, delimiter=det.delimiter, name=name, unzip_limit=o.unzip_limit)
    except TableError as exc:
        issues.append(Issue("content_unreadable", name, fmt, {"reason_en": exc.en, "reason_th": exc.th}))
        q["error"] = exc.en
        return
    ph = frozenset(p.casefold() for p in o.placeholders)
    for sheet in sheets:
        entry: dict[str, Any] = {"name": sheet.name, "table": sheet.is_table, "rows": 0, "columns": 0, "header_row": None}
        q["sheets"].append(entry)
        if not sheet.is_table:
            continue
        c, found = measure(sheet, formulas=o.formulas, placeholders=ph, examples=o.examples)
        counts.add(c)
        issues.extend(found)
        entry.update(rows=c.rows, columns=sheet.width, header_row=(sheet.header or 0) + 1, **c.metrics())
        if o.validate:
            from .tabular import COVERED, validate_table

            groups = validate_table(sheet, o.placeholders, examples=o.examples)
            entry["validated"] = groups is not None
            for g in groups or []:
                q["table_errors"].append(g.to_dict())
                if g.type not in COVERED:
                    issues.append(Issue("content_table_errors", g.locations[0] if g.locations else sheet.name, g.type, {
                        "count": g.count, "note": g.note, "note_th": _FT_TH.get(g.type, g.type),
                        "places": ", ".join(g.locations) + (f" … (+{g.count - len(g.locations)})" if g.count > len(g.locations) else "")}))
    for issue in issues:  # the duplicate-row total goes on the first of them
        if issue.code == "content_duplicate_rows":
            total = counts.rows - counts.distinct
            if total > 1:
                issue.context["more_en"] = f" ({total} duplicate rows in all)"
                issue.context["more_th"] = f" (มีแถวซ้ำทั้งหมด {total} แถว)"
            break
    if not counts.tables:
        issues.append(Issue("content_no_table", name, None, {}))
    q["rows"] = counts.rows
    q["counts"] = counts.to_dict()
    q.update(counts.metrics())
