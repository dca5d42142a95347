"""Shared pieces of the computation kinds: outcomes, fix candidates, dataset predicates.

A kind's ``evaluate`` returns an ``Outcome`` (exact ``Fraction`` points, a basis in both
languages, ``lost_by``); its ``fixes`` returns ``FixCandidate``s — "what-if" changes to the facts
that the engine scores to get each fix's exact gain.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from fractions import Fraction
from typing import Any, Callable

from .facts import DatasetFacts, Facts
from .result import LostBy
from .rubric import ItemSpec, param


@dataclass(slots=True)
class Outcome:
    points: Fraction
    met: bool
    basis: str
    basis_th: str
    lost_by: list[LostBy] = field(default_factory=list)


@dataclass(slots=True)
class FixCandidate:
    item: str
    dataset: str | None
    fix: str
    fix_th: str
    apply: Callable[[Facts], Facts]
    key: tuple[Any, ...]  # equal keys give equal gains (cache)
    fields: tuple[str, ...] = ()
    # dataset id → fact changes, when the fix only changes datasets: the engine then scores it
    # as per-item deltas instead of calling ``apply`` on a copy of the catalogue
    changes: dict[str, dict[str, Any]] | None = None


def _set_datasets(changes: dict[str, dict[str, Any]], facts: Facts) -> Facts:
    return facts.with_datasets(changes)


def dataset_fix(item: str, dataset: str | None, fix: str, fix_th: str, changes: dict[str, dict[str, Any]],
                key: tuple[Any, ...], fields: tuple[str, ...] = ()) -> FixCandidate:
    """A fix that changes only some datasets' facts (``changes``: id → new fact values)."""
    return FixCandidate(item, dataset, fix, fix_th, partial(_set_datasets, changes), key, fields, changes)


def counted(d: DatasetFacts, o: dict[str, Any]) -> bool:
    return d.complete or bool(o["count_incomplete_datasets"])


PRED: dict[str, Callable[[DatasetFacts, dict[str, Any]], bool]] = {
    "complete": lambda d, o: d.complete,
    "counted": counted,
    "uploaded": lambda d, o: d.uploaded,
    "registered": lambda d, o: d.registered,
    "has_resources": lambda d, o: d.has_resources,
    "resources_if_open": lambda d, o: d.has_resources or not d.is_open,
    "current": lambda d, o: d.current,
}
WHY = {  # predicate → (reason code, en, th, fix en, fix th, change)
    "complete": ("incomplete", "not all 14 items complete", "คำอธิบายข้อมูลไม่ครบ 14 รายการ",
                 "complete the 14 items", "กรอกคำอธิบายข้อมูลให้ครบ 14 รายการ", {"complete": True}),
    "counted": ("incomplete", "not counted: not all 14 items complete", "ไม่นับผล: คำอธิบายข้อมูลไม่ครบ 14 รายการ",
                "complete the 14 items", "กรอกคำอธิบายข้อมูลให้ครบ 14 รายการ", {"complete": True}),
    "uploaded": ("not_uploaded", "not uploaded to the agency catalog", "ยังไม่ได้นำขึ้นระบบบัญชีข้อมูลหน่วยงาน",
                 "upload it to the agency catalog", "นำชุดข้อมูลขึ้นระบบบัญชีข้อมูลหน่วยงาน", {"uploaded": True}),
    "registered": ("not_registered", "not registered in GD Catalog", "ยังไม่ได้ลงทะเบียนใน GD Catalog",
                   "register it in GD Catalog", "ลงทะเบียนชุดข้อมูลใน GD Catalog", {"registered": True}),
    "has_resources": ("no_resources", "no resource metadata", "ไม่มีคำอธิบายทรัพยากรข้อมูล",
                      "add Template 3 resource metadata", "เพิ่มคำอธิบายทรัพยากรข้อมูล (Template 3)", {"has_resources": True}),
}
WHY["current"] = ("not_current", "not current: older than its own update cycle (or no date to tell)",
                  "ข้อมูลไม่เป็นปัจจุบัน: ปรับปรุงล่าสุดเกินรอบความถี่ที่กำหนด (หรือไม่มีวันที่ปรับปรุง)",
                  "update the data and its last-updated date (or correct the update frequency)",
                  "ปรับปรุงข้อมูลและวันที่ปรับปรุงล่าสุด (หรือแก้ไขความถี่ในการปรับปรุงให้ตรงจริง)", {"current": True})
WHY["resources_if_open"] = ("no_resources",) + WHY["has_resources"][1:]


def catalog_missing(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome | None:
    """The zero outcome of an item that needs the agency catalog when there is none (else None)."""
    if not param(item, "requires_catalog_url", o, False) or facts.catalog_ok:
        return None
    return no_catalog(facts)


def no_catalog(facts: Facts) -> Outcome:
    """Zero points because the catalog URL is missing or could not be reached; ``lost_by`` says which."""
    if facts.catalog_url:
        return Outcome(Fraction(0), False, f"catalog URL {facts.catalog_url} not reachable",
                       f"เข้าถึง URL ระบบบัญชีข้อมูล {facts.catalog_url} ไม่ได้",
                       [LostBy(None, ["catalog_url"], ["catalog_unreachable"])])
    return Outcome(Fraction(0), False, "no catalog URL given", "ไม่ได้แจ้ง URL ระบบบัญชีข้อมูลหน่วยงาน",
                   [LostBy(None, ["catalog_url"], ["no_catalog_url"])])


def catalog_fix(item: ItemSpec) -> FixCandidate:
    """Give the catalog URL: the what-if shared by every item that needs the agency catalog."""
    return FixCandidate(item.key, None, "give the agency catalog URL (--catalog-url or catalog_url) and keep it reachable",
                        "แจ้ง URL ระบบบัญชีข้อมูลหน่วยงาน (--catalog-url หรือ catalog_url) และให้เข้าถึงได้",
                        lambda f: replace(f, catalog_url=f.catalog_url or "declared", catalog_reachable=None),
                        ("catalog_url",), ("catalog_url",))


def on_catalog(d: DatasetFacts, facts: Facts) -> bool:
    """Is the dataset on the agency catalog? Known from CKAN input, an audit or ``uploaded``; else assumed."""
    return d.uploaded or not facts.uploads_known


def among(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> list[DatasetFacts]:
    scope = param(item, "among", o, "all")
    return [d for d in facts.datasets if scope == "all" or d.is_open]


def denominator(item: ItemSpec, facts: Facts, o: dict[str, Any], n: int) -> int:
    """Datasets to divide by; with below_min_datasets=prorate, missing datasets count as zeros.

    Datasets added in an "add datasets" what-if also count as zeros: a new dataset earns
    nothing until it is uploaded, registered and opened, so the fix's gain is not overstated.
    """
    if param(item, "among", o, "all") != "all":
        return n
    n += facts.added_datasets
    if o["below_min_datasets"] == "prorate":
        return max(n, o["min_datasets"])
    return n


def fields_fix(d: DatasetFacts) -> tuple[str, str]:
    if not d.has_metadata:
        return ("write its Template 2 metadata (all 14 items); Template 1 lists it",
                "จัดทำคำอธิบายข้อมูล (Metadata) ครบ 14 รายการใน Template 2 (มีรายชื่ออยู่ใน Template 1)")
    return _fields_text(d.missing, d.failed_items)


@lru_cache(maxsize=1024)  # incomplete datasets share a few patterns of missing fields: word each once
def _fields_text(missing: tuple[str, ...], failed_items: tuple[str, ...]) -> tuple[str, str]:
    if missing:
        names = ", ".join(missing)
        items = ", ".join(failed_items)
        return (f"fill in or correct {names} (item {items})", f"กรอกหรือแก้ไข {names} (รายการที่ {items})")
    return WHY["complete"][3], WHY["complete"][4]


def lost_entry(d: DatasetFacts, reasons: list[str], lost: Fraction | None) -> LostBy:
    """The entry of one dataset that cost points (``lost``: how many, when the item is proportional)."""
    if "incomplete" in reasons:
        if not d.has_metadata:
            reasons = reasons + ["no_metadata"]
        missing = list(d.missing)
    else:
        missing = []
    # positional (a LostBy per dataset and item: hundreds of thousands in a large catalogue's score):
    # dataset, missing, reasons, title, titled, lost
    return LostBy(d.id, missing, reasons, d.title, True, lost)
