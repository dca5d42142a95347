"""The ``open_format`` kind: 20 points = 6 / 6 / 8 by each dataset's open-format level.

Per-dataset levels come from ``openformat.assess`` (via the facts); this module turns them into
points (``level_points``, cumulative by level reached) and aggregates them over the datasets in
scope (``mean`` by default, or ``minimum``). Incomplete datasets are not counted.
"""
from __future__ import annotations

from fractions import Fraction
from functools import partial
from typing import Any

from .facts import Facts
from .openformat import LEVELS, LEVELS_TH, raise_hint
from .outcome import (WHY, FixCandidate, Outcome, among, catalog_fix, catalog_missing, counted, denominator, fields_fix, lost_entry,
                      on_catalog, set_dataset)
from .rubric import ItemSpec, param


def _level_points(item: ItemSpec, o: dict[str, Any]) -> list[Fraction]:
    table = param(item, "level_points", o, {}) or {}
    return [Fraction(0)] + [Fraction(table.get(name, 0)) for name in LEVELS[1:]]


def _on_catalog_needed(item: ItemSpec, o: dict[str, Any]) -> bool:
    return bool(param(item, "require_on_catalog", o, False))


def open_format(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome:
    missing_catalog = catalog_missing(item, facts, o)
    if missing_catalog is not None:
        return missing_catalog
    scope = among(item, facts, o)
    den = denominator(item, facts, o, len(scope))
    full = Fraction(item.points)
    if den == 0:
        ok = o["empty_scope"] == "full"
        return Outcome(full if ok else Fraction(0), ok, "no datasets to score", "ไม่มีชุดข้อมูลที่ต้องคิดคะแนน")
    table = _level_points(item, o)
    per, lost_by = [], []
    need_catalog = _on_catalog_needed(item, o)
    off_catalog = 0
    for d in scope:
        ok = counted(d, o)
        listed = not need_catalog or on_catalog(d, facts)
        off_catalog += not listed
        p = table[d.open_level] if ok and listed else Fraction(0)
        per.append(p)
        if p < full:
            reasons = ([] if ok else ["incomplete"]) + ([] if listed else ["not_uploaded"])
            reason = d.open.reason("en") if d.open else ""
            entry = lost_entry(d, reasons or ["open_level"], (full - p) / den if param(item, "aggregation", o) == "mean" else None)
            entry.update({"level": LEVELS[d.open_level], "reason": reason})
            lost_by.append(entry)
    per += [Fraction(0)] * (den - len(scope))
    if param(item, "aggregation", o) == "minimum":
        points = min(per)
    else:
        points = sum(per, Fraction(0)) / den
    counts = {name: sum(1 for d in scope if LEVELS[d.open_level] == name and counted(d, o)) for name in LEVELS}
    shown = ", ".join(f"{counts[n]} {n}" for n in reversed(LEVELS) if counts[n])
    shown_th = ", ".join(f"{LEVELS_TH[n]} {counts[n]}" for n in reversed(LEVELS) if counts[n])
    not_counted = sum(1 for d in scope if not counted(d, o))
    if not_counted:
        shown += f", {not_counted} not counted (incomplete)"
        shown_th += f", ไม่นับผล {not_counted} (ไม่ครบ 14 รายการ)"
    if off_catalog:
        shown += f", {off_catalog} not on the agency catalog"
        shown_th += f", ไม่อยู่บนระบบบัญชีข้อมูลหน่วยงาน {off_catalog}"
    return Outcome(points, points == full, f"{len(scope)} datasets: {shown.strip(', ')}",
                   f"{len(scope)} ชุดข้อมูล: {shown_th.strip(', ')}", lost_by)


def open_format_fixes(item: ItemSpec, facts: Facts, o: dict[str, Any], out: Outcome) -> list[FixCandidate]:
    if catalog_missing(item, facts, o) is not None:
        return [catalog_fix(item)]
    byid = facts.by_id()
    fixes = []
    for entry in out.lost_by:
        if entry["dataset"] is None:
            continue
        d = byid[entry["dataset"]]
        if "not_uploaded" in entry["reasons"]:
            fixes.append(FixCandidate(item.key, d.id, WHY["uploaded"][3], WHY["uploaded"][4],
                                      partial(set_dataset, d.id, {"uploaded": True}), (item.key, d.signature(), "upload")))
            continue
        if not counted(d, o):
            en, th = fields_fix(d)
            fixes.append(FixCandidate(item.key, d.id, en, th, partial(set_dataset, d.id, {"complete": True}),
                                      (item.key, d.signature(), "complete"), d.missing))
            continue
        # every criterion that sits at the dataset's level holds it down: name them all
        blocking: list[str | None] = [c for c, lv in (d.open.criteria.items() if d.open else ()) if lv <= d.open_level] or [None]
        hints = [raise_hint(c, d.open.criteria.get(c, d.open_level) if d.open and c else d.open_level) for c in blocking]
        en, th = "; ".join(h[0] for h in hints), "; ".join(h[1] for h in hints)
        to = LEVELS[d.open_level + 1]
        fixes.append(FixCandidate(item.key, d.id, f"{en} (to {to})", f"{th} (เป็น{LEVELS_TH[to]})",
                                  partial(set_dataset, d.id, {"open_level": d.open_level + 1, "has_resources": True}),
                                  (item.key, d.signature(), "raise")))
    return fixes
