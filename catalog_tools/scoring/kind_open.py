"""The ``open_format`` kind: 20 points = 6 / 6 / 8 by each dataset's open-format level.

Per-dataset levels come from ``openformat.assess`` (via the facts); this module turns them into
points (``level_points``, cumulative by level reached) and aggregates them over the datasets in
scope (``mean`` by default, or ``minimum``). Incomplete datasets are not counted.
"""
from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import lru_cache
from typing import Any

from .facts import DatasetFacts, Facts
from .openformat import LEVELS, LEVELS_TH, raise_hint
from .outcome import (WHY, FixCandidate, Outcome, among, catalog_fix, catalog_missing, counted, dataset_fix, denominator, fields_fix,
                      lost_entry, on_catalog)
from .rubric import ItemSpec, param


def level_points(item: ItemSpec, o: dict[str, Any]) -> list[Fraction]:
    """Points for each open-format level index (0 = none)."""
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
    values = slot_points(item, o)
    mean = param(item, "aggregation", o) == "mean"
    below = [v < full for v in values]
    lost = [(full - v) / den if mean else None for v in values]
    need_catalog = _on_catalog_needed(item, o)
    tally: Counter[int] = Counter()
    levels: Counter[int] = Counter()  # counted datasets per level, for the basis
    lost_by = []
    worded: dict[int, str] = {}
    off_catalog = not_counted = 0
    for d in scope:
        ok = counted(d, o)
        listed = not need_catalog or on_catalog(d, facts)
        off_catalog += not listed
        not_counted += not ok
        levels[d.open_level] += ok
        slot = d.open_level + 1 if ok and listed else 0
        tally[slot] += 1
        if below[slot]:
            reasons = ([] if ok else ["incomplete"]) + ([] if listed else ["not_uploaded"])
            if d.open is None:
                reason = ""
            else:  # assessments are shared (e.g. every dataset without resources): word each once
                reason = worded.get(id(d.open)) or worded.setdefault(id(d.open), d.open.reason("en"))
            entry = lost_entry(d, reasons or ["open_level"], lost[slot])
            entry.level, entry.reason = LEVELS[d.open_level], reason
            lost_by.append(entry)
    tally[0] += den - len(scope)
    points = open_points(item, o, tally, values, den)
    counts = {name: levels[n] for n, name in enumerate(LEVELS)}
    shown = ", ".join(f"{counts[n]} {n}" for n in reversed(LEVELS) if counts[n])
    shown_th = ", ".join(f"{LEVELS_TH[n]} {counts[n]}" for n in reversed(LEVELS) if counts[n])
    if not_counted:
        shown += f", {not_counted} not counted (incomplete)"
        shown_th += f", ไม่นับผล {not_counted} (ไม่ครบ 14 รายการ)"
    if off_catalog:
        shown += f", {off_catalog} not on the agency catalog"
        shown_th += f", ไม่อยู่บนระบบบัญชีข้อมูลหน่วยงาน {off_catalog}"
    return Outcome(points, points == full, f"{len(scope)} datasets: {shown.strip(', ')}",
                   f"{len(scope)} ชุดข้อมูล: {shown_th.strip(', ')}", lost_by)


def slot_points(item: ItemSpec, o: dict[str, Any]) -> list[Fraction]:
    """Points of each tally slot: 0 = earns nothing (not counted, off the catalog, or missing),
    1 + level index otherwise."""
    return [Fraction(0)] + level_points(item, o)


def point_slot(item: ItemSpec, d: DatasetFacts, facts: Facts, o: dict[str, Any]) -> int:
    """The tally slot of one dataset (see ``slot_points``): plain ints, so tallying hashes no Fractions."""
    ok = counted(d, o) and (not _on_catalog_needed(item, o) or on_catalog(d, facts))
    return d.open_level + 1 if ok else 0


def open_points(item: ItemSpec, o: dict[str, Any], tally: Counter[int], values: list[Fraction], den: int) -> Fraction:
    """The item's points from the tally of per-dataset slots (missing datasets tallied in slot 0).

    Summing ``value × count`` is exactly the sum over datasets (Fractions), in one step per
    slot; the what-if deltas keep the same tally and call this too.
    """
    if param(item, "aggregation", o) == "minimum":
        return min(values[slot] for slot, n in tally.items() if n > 0)
    return sum((values[slot] * n for slot, n in tally.items() if n), Fraction(0)) / den


@lru_cache(maxsize=1024)  # datasets share a few criteria patterns: word each once
def _raise_text(criteria: tuple[tuple[str, int], ...], level: int) -> tuple[str, str]:
    """How to raise a dataset from ``level``: every criterion that sits at that level holds it down."""
    crit = dict(criteria)
    blocking: list[str | None] = [c for c, lv in criteria if lv <= level] or [None]
    hints = [raise_hint(c, crit.get(c, level) if criteria and c else level) for c in blocking]
    en, th = "; ".join(h[0] for h in hints), "; ".join(h[1] for h in hints)
    to = LEVELS[level + 1]
    return f"{en} (to {to})", f"{th} (เป็น{LEVELS_TH[to]})"


def open_format_fixes(item: ItemSpec, facts: Facts, o: dict[str, Any], out: Outcome) -> list[FixCandidate]:
    if catalog_missing(item, facts, o) is not None:
        return [catalog_fix(item)]
    byid = facts.by_id()
    fixes = []
    raised: dict[tuple[int, int], tuple[str, str]] = {}
    for entry in out.lost_by:
        if entry.dataset is None:
            continue
        d = byid[entry.dataset]
        if "not_uploaded" in entry.reasons:
            fixes.append(dataset_fix(item.key, d.id, WHY["uploaded"][3], WHY["uploaded"][4], {d.id: {"uploaded": True}},
                                     (item.key, d.signature(), "upload")))
            continue
        if not counted(d, o):
            en, th = fields_fix(d)
            fixes.append(dataset_fix(item.key, d.id, en, th, {d.id: {"complete": True}},
                                     (item.key, d.signature(), "complete"), d.missing))
            continue
        raise_key = (id(d.open), d.open_level)  # assessments are shared objects: word each once
        text = raised.get(raise_key)
        if text is None:
            text = raised[raise_key] = _raise_text(tuple(d.open.criteria.items()) if d.open else (), d.open_level)
        en, th = text
        fixes.append(dataset_fix(item.key, d.id, en, th, {d.id: {"open_level": d.open_level + 1, "has_resources": True}},
                                 (item.key, d.signature(), "raise")))
    return fixes
