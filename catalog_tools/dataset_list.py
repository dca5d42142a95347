"""Template 1 against Template 2: the list of datasets tied to a Focus Area, checked as one submission.

The KPI's basic level is "มีรายชื่อบัญชีชุดข้อมูล (Data Set) ที่สัมพันธ์กับกระบวนการทำงานตามประเด็น
การดำเนินงานภายใต้ Focus Area" (002:177), and Templates 2 and 3 refer to its ids ("รหัสชุดข้อมูล
ตามที่กำหนดใน Template 1"). So, once every record is read:

- the Focus Area is one of the 10 (or, for FY2566, one of the 6 use scopes) — the labels and
  variants are the rubric files' own, matched by ``scopes.match_scope`` as declarations are;
- every Template 1 dataset has Template 2 metadata (matched by id; by title when the list has
  no id) — an error naming the Template 1 cell;
- every Template 2 dataset is in a Template 1 list — else it is not tied to the Focus Area and
  the score leaves it out;
- ids are listed once, and a title that differs from Template 2 gets a "did you mean".

The matches are stored on the list entries (``ListedDataset.matched``) so scoring reads them
instead of matching again.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from typing import Iterable

from .loaders.template1 import FIELD_TITLES
from .rules import make_finding
from .model import DatasetList, DatasetResult, Finding, ListedDataset, Report
from .schemas_api import fold
from .scopes import match_scope, scopes

__all__ = ["check_dataset_lists", "focus_areas", "scope_of"]

_HINTS = 200


def scope_of(value: str) -> tuple[str | None, str | None, str | None]:
    """(kind, official label, None) for a Focus Area / use scope; (None, None, closest Focus Area) otherwise."""
    closest = None
    for kind, values, variants in scopes().values():  # oldest first: FY2565, the Focus Areas
        found, close = match_scope(value, values, variants)
        if found is not None:
            return kind, found, None
        if kind == "focus_area" and closest is None:
            closest = close
    return None, None, closest


def focus_areas() -> tuple[str, ...]:
    """The 10 Focus Areas as the FY2565 rubric lists them (the template's drop-down)."""
    return next((values for kind, values, _ in scopes().values() if kind == "focus_area"), ())


def check_dataset_lists(report: Report, ignore: Iterable[str] = ()) -> None:
    """Cross-check ``report.dataset_lists`` with ``report.datasets``; add findings to the report."""
    lists = report.dataset_lists
    if not lists:
        return
    skip = set(ignore)
    out: list[Finding] = []
    by_id: dict[str, list[DatasetResult]] = defaultdict(list)
    by_title: dict[str, list[DatasetResult]] = defaultdict(list)
    for d in report.datasets:
        if d.id:
            by_id[fold(d.id)].append(d)
        if d.title:
            by_title[fold(d.title)].append(d)
    matched: set[int] = set()  # id() of matched DatasetResults
    rows_of: dict[str, list[tuple[ListedDataset, DatasetList]]] = defaultdict(list)
    hints = _HINTS  # "did you mean" look-ups are bounded: a hostile list must not make them quadratic
    for dl in lists:
        out.extend(_header_findings(dl))
        if not dl.entries:
            out.append(make_finding("list_empty", value=dl.source.sheet, source=dl.source,
                                    location=f"{dl.source.sheet}!{dl.header_row or 1}:{dl.header_row or 1}"))
            continue
        if not dl.has_id_column:
            out.append(make_finding("list_matched_by_title", field="id", field_th="รหัสชุดข้อมูล", source=dl.source,
                                    location=f"{dl.source.sheet}!{dl.header_row}:{dl.header_row}"))
        for e in dl.entries:
            if e.id:
                rows_of[fold(e.id)].append((e, dl))
            targets = by_id.get(fold(e.id), []) if e.id else by_title.get(fold(e.title or ""), [])
            if not e.id and dl.has_id_column:
                out.append(make_finding("list_no_id", field="id", field_th="รหัสชุดข้อมูล", value=e.title, extra=e.row,
                                        location=e.id_cell, source=dl.source))
            if not targets:
                out.append(_without_metadata(e, dl, report.datasets if hints > 0 else []))
                hints -= 1
                continue
            e.matched = targets[0].id or targets[0].title
            for t in targets:
                matched.add(id(t))
            t = targets[0]
            if e.id and e.title and t.title and fold(e.title) != fold(t.title):
                out.append(make_finding("list_title_mismatch", field="title", field_th="ชื่อชุดข้อมูล", value=e.title,
                                        extra=e.id, suggestion=t.title, dataset=t.id, location=e.title_cell,
                                        source=dl.source))
    for entries in rows_of.values():
        if len(entries) > 1:
            shown = [f"{e.row}" if e_dl is entries[0][1] else f"{e_dl.source.sheet}!{e.row}" for e, e_dl in entries[:10]]
            rows = ", ".join(shown) + (f" … (+{len(entries) - 10})" if len(entries) > 10 else "")
            for e, e_dl in entries[1:]:
                out.append(make_finding("list_duplicate_id", field="id", field_th="รหัสชุดข้อมูล", value=e.id, extra=rows,
                                        dataset=e.matched, location=e.id_cell, source=e_dl.source))
    for d in report.datasets:
        if id(d) not in matched and "not_in_dataset_list" not in skip:
            d.findings.append(make_finding("not_in_dataset_list", field="id", field_th="รหัสชุดข้อมูล",
                                           value=d.id or d.title, dataset=d.id, location=d.id_cell or _row_of(d),
                                           source=d.source))
    report.findings.extend(f for f in out if f.code not in skip)


def _header_findings(dl: DatasetList) -> list[Finding]:
    out = []
    sheet = dl.source.sheet
    raw = dl.values.get("focus_area")
    where = dl.cells.get("focus_area", f"{sheet}!A1")
    en_title, th_title = FIELD_TITLES["focus_area"]
    if not raw:
        out.append(make_finding("focus_area_invalid", field="focus_area", field_en=en_title, field_th=th_title,
                                value=raw, location=where, source=dl.source,
                                missing_en="is blank" if "focus_area" in dl.cells else "label was not found",
                                missing_th="ยังว่างอยู่" if "focus_area" in dl.cells else "ไม่พบหัวข้อนี้ในแผ่นงาน"))
    else:
        kind, label, close = scope_of(raw)
        if label is None:
            out.append(make_finding("focus_area_invalid", field="focus_area", field_en=en_title, field_th=th_title,
                                    value=raw, suggestion=close, location=where, source=dl.source,
                                    missing_en=f"'{raw}' is not one of the 10 Focus Areas",
                                    missing_th=f"'{raw}' ไม่อยู่ใน 10 Focus Area"))
        dl.scope, dl.scope_kind = label, kind
    for key in ("issue", "goal", "agencies"):
        if not dl.values.get(key):
            en_title, th_title = FIELD_TITLES[key]
            out.append(make_finding("list_field_missing", field=key, field_en=en_title, field_th=th_title,
                                    location=dl.cells.get(key, f"{sheet}!A1"), source=dl.source))
    return out


def _without_metadata(e: ListedDataset, dl: DatasetList, datasets: list[DatasetResult]) -> Finding:
    name = e.id or e.title or ""
    pool = [d.id for d in datasets if d.id] if e.id else [d.title for d in datasets if d.title]
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.75) if pool and len(pool) <= 5000 else []
    return make_finding("listed_without_metadata", field="id" if e.id else "title",
                        field_th="รหัสชุดข้อมูล" if e.id else "ชื่อชุดข้อมูล", value=name, extra=e.row,
                        suggestion=close[0] if close else None, dataset=e.id, location=e.cell, source=dl.source)


def _row_of(d: DatasetResult) -> str | None:
    src = d.source
    if src.sheet is not None and src.row is not None:
        return f"{src.sheet}!{src.row}:{src.row}"
    return src.ckan_id or src.path
