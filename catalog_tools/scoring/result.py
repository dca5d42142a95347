"""The score result: plain data with ``to_dict()`` (the versioned JSON API, ``version: 1``).

Points are kept as exact ``Fraction``s; they are rounded half-up to 2 decimals only when shown
(``66.666…`` → ``66.67``; ``5.625`` → ``5.63``, where float rounding would give 5.62). JSON
numbers are those rounded values as floats, with ``*_display`` strings beside them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

SCORE_VERSION = 1

#: Seed 004 ๖.๒: "ระดับดีมาก … ๙๐.๐๐ - ๑๐๐.๐๐ / ระดับดี … ๖๐.๐๐ - ๘๙.๙๙ / ระดับพอใช้ … ต่ำกว่า ๖๐.๐๐"
GRADES = ((Decimal("90.00"), "very_good", "ดีมาก", "very good"), (Decimal("60.00"), "good", "ดี", "good"),
          (Decimal("0"), "fair", "พอใช้", "fair"))


def grade(total: Fraction | int) -> dict[str, str]:
    """The band of ``total`` (as shown, 2 decimals): 90.00–100 ดีมาก, 60.00–89.99 ดี, below 60.00 พอใช้."""
    shown = round2(total)
    for floor, key, th, en in GRADES:
        if shown >= floor:
            return {"key": key, "th": th, "en": en}
    return {"key": "fair", "th": "พอใช้", "en": "fair"}


@lru_cache(maxsize=4096)  # a large catalogue repeats a few values (each dataset's loss) thousands of times
def round2(value: Fraction | int) -> Decimal:
    """Exact half-up rounding to 2 decimals (away from zero for negatives)."""
    f = Fraction(value)
    sign = -1 if f < 0 else 1
    cents = (abs(f) * 100 + Fraction(1, 2)).__floor__()
    return Decimal(sign * cents).scaleb(-2)


@lru_cache(maxsize=4096)
def num(value: Fraction | int) -> float:
    return float(round2(value))


@lru_cache(maxsize=4096)
def show(value: Fraction | int) -> str:
    return f"{round2(value):.2f}"


@dataclass(slots=True)
class LostBy:
    """One reason an item lost points: a dataset, or the catalogue as a whole (``dataset`` None).

    Which fields an entry has depends on the kind that made it (the proportion kinds give ``lost``,
    the dataset-list gate ``needed``, open_format ``level`` and ``reason``, a rejected use ``reason``
    and ``reason_th``); a field that does not apply is None and is left out of the JSON, which keeps
    the keys each entry always had. ``title`` is the one field that may be null in the JSON: an entry
    about a dataset read from the input carries its title even when it has none (``titled``).
    """

    dataset: str | None
    missing: list[str]
    reasons: list[str]
    title: str | None = None
    titled: bool = False
    lost: Fraction | None = None  #: the points this dataset cost (exact; shown rounded, with ``lost_display``)
    needed: int | None = None  #: datasets still needed to reach the minimum
    level: str | None = None  #: the open-format level the dataset reached
    reason: str | None = None  #: why, in English
    reason_th: str | None = None  #: why, in Thai

    def to_dict(self) -> dict[str, Any]:
        """The JSON entry: dataset, title, missing, reasons, lost (+ lost_display), needed, level, reason,
        reason_th — each only when it applies, in that order."""
        out: dict[str, Any] = {"dataset": self.dataset}
        if self.titled:
            out["title"] = self.title
        out["missing"] = self.missing
        out["reasons"] = self.reasons
        if self.lost is not None:
            out["lost"] = num(self.lost)
            out["lost_display"] = show(self.lost)
        if self.needed is not None:
            out["needed"] = self.needed
        if self.level is not None:
            out["level"] = self.level
        if self.reason is not None:
            out["reason"] = self.reason
        if self.reason_th is not None:
            out["reason_th"] = self.reason_th
        return out


@dataclass(slots=True)
class ItemScore:
    key: str
    level: str
    kind: str
    title: str
    title_th: str
    points: Fraction
    max: int
    met: bool
    counted: bool
    basis: str
    basis_th: str
    lost_by: list[LostBy] = field(default_factory=list)

    def to_dict(self, *, lost_by: bool = True) -> dict[str, Any]:
        return {
            "key": self.key, "level": self.level, "points": num(self.points), "max": self.max, "basis": self.basis,
            "lost_by": [e.to_dict() for e in self.lost_by] if lost_by else [],
            "points_display": show(self.points), "basis_th": self.basis_th, "kind": self.kind, "met": self.met,
            "counted": self.counted, "title": self.title, "title_th": self.title_th,
        }


@dataclass(slots=True)
class Fix:
    dataset: str | None
    item: str
    gain: Fraction
    item_gain: Fraction
    fix: str
    fix_th: str
    fields: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"dataset": self.dataset, "gain": num(self.gain), "fix": self.fix, "fix_th": self.fix_th, "item": self.item,
                "gain_display": show(self.gain), "item_gain": num(self.item_gain), "fields": list(self.fields)}


@dataclass(slots=True)
class LevelScore:
    key: str
    title: str
    title_th: str
    target: int
    points: Fraction
    max: int
    met: bool  # its gates are met (basic: the level is reached)
    counted: bool

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "title_th": self.title_th, "target": self.target,
                "points": num(self.points), "points_display": show(self.points), "max": self.max,
                "met": self.met, "counted": self.counted}


@dataclass(slots=True)
class ScoreResult:
    fy: int
    rubric_title: str
    rubric_title_th: str
    rubric_source: str
    items: list[ItemScore]
    level_scores: list[LevelScore]
    total: Fraction
    fix_first: list[Fix] = field(default_factory=list)
    open_format: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    declarations: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    max_total: int = 100
    inputs: list[str] = field(default_factory=list)
    weight: float | None = None  # the KPI weight (-O weight=15 or 'weight' declared)
    readings: list[dict[str, Any]] = field(default_factory=list)  # which reading of a contested rule was used

    @property
    def weighted(self) -> Fraction | None:
        """total × weight / 100: the points this KPI adds to the agency's weighted result."""
        return None if self.weight is None else self.total * Fraction(str(self.weight)) / 100
    #: which source decided a fact: {"gd_catalog": {"decided_by": "declaration" | "evidence", …},
    #: "dataset_list": {"decided_by": "template1" | "declaration" | "input"}, "focus_area"/"use_scope": {…, "value"}}
    sources: dict[str, Any] = field(default_factory=dict)
    provisional: bool = False  # the rubric has no official point table (FY2567)
    compare: dict[str, Any] | None = None  # --compare: what changed since a previous report
    #: how many fixes there are; more than ``fix_first`` holds when scoring kept only the first ones
    fix_count: int | None = None
    note: str = ""
    note_th: str = ""

    @property
    def total_fixes(self) -> int:
        return len(self.fix_first) if self.fix_count is None else max(self.fix_count, len(self.fix_first))

    def item(self, key: str) -> ItemScore:
        return next(i for i in self.items if i.key == key)

    def level(self, key: str) -> LevelScore | None:
        return next((lv for lv in self.level_scores if lv.key == key), None)

    @property
    def basic(self) -> bool:
        lv = self.level("basic")
        return bool(lv and lv.met)

    def to_dict(self, *, lost_by: bool = True, max_fixes: int | None = None) -> dict[str, Any]:
        """The JSON document; ``lost_by=False`` / ``max_fixes`` give the lighter view text output needs
        (its lists hold one entry per dataset: 100,000s on a large catalogue)."""
        levels: dict[str, Any] = {}
        for lv in self.level_scores:
            levels[lv.key] = lv.met if lv.key == "basic" else num(lv.points)
        return {
            "version": SCORE_VERSION,
            "fy": self.fy,
            "items": [i.to_dict(lost_by=lost_by) for i in self.items],
            "levels": levels,
            "total": num(self.total),
            "fix_first": [f.to_dict() for f in self.fix_first[:max_fixes]],
            # how many there are, when the list is cut (by ``max_fixes`` here, or by scoring's fix_limit)
            **({"fix_count": self.total_fixes} if max_fixes is not None or self.total_fixes > len(self.fix_first)
               else {}),
            "total_display": show(self.total),
            "max_total": self.max_total,
            "level_details": [lv.to_dict() for lv in self.level_scores],
            "rubric": {"fy": self.fy, "title": self.rubric_title, "title_th": self.rubric_title_th, "source": self.rubric_source},
            "open_format": self.open_format,
            "summary": dict(self.summary),
            "options": dict(self.options),
            "declarations": dict(self.declarations),
            "warnings": list(self.warnings),
            "inputs": list(self.inputs),
            "grade": grade(self.total),
            "weight": self.weight,
            "weighted": None if self.weighted is None else num(self.weighted),
            "weighted_display": None if self.weighted is None else show(self.weighted),
            "readings": [dict(r) for r in self.readings],
            **({"sources": dict(self.sources)} if self.sources else {}),
            **({"provisional": True, "note": self.note, "note_th": self.note_th} if self.provisional else {}),
            **({"compare": dict(self.compare)} if self.compare is not None else {}),
        }
