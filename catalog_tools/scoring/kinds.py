"""The generic computation kinds a rubric item can name: gate, proportion, binary, open_format, declared.

Each kind has ``evaluate(item, facts, options) -> Outcome`` (exact ``Fraction`` points, a
basis in both languages, and ``lost_by``: the datasets and findings that cost points) and
``fixes(...)``: candidate fixes as "what-if" changes to the facts; the engine scores each one
to get its exact gain. New rubric files combine these kinds; a new kind is the only reason
to touch code.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable

from .declarations import UseEvidence
from .facts import DatasetFacts, Facts
from .kind_open import open_format, open_format_fixes
from .outcome import (PRED, WHY, FixCandidate, Outcome, among, catalog_fix, catalog_missing, counted, dataset_fix, denominator, fields_fix,
                      lost_entry, no_catalog)
from .result import LostBy
from .rubric import ItemSpec, param


# -- gate ---------------------------------------------------------------------------------------
def gate(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome:
    req = item.params.get("require")
    ds = facts.datasets
    if req == "dataset_list":
        return dataset_list_gate(facts, o, facts.count, sum(1 for d in ds if d.imd), any(d.new for d in ds))
    if req == "all_complete":
        bad = [d for d in ds if not d.complete]
        if param(item, "every_dataset", o, True) is False:
            need = max(1, int(o.get("min_datasets") or 0))
            good = len(ds) - len(bad)
            return Outcome(Fraction(0), good >= need,
                           f"{good} of {len(ds)} datasets complete; {len(bad)} incomplete not counted (at least {need} complete needed)",
                           f"ครบ 14 รายการ {good} จาก {len(ds)} ชุดข้อมูล ไม่นับผล {len(bad)} ชุดที่ไม่ครบ (ต้องครบอย่างน้อย {need} ชุด)",
                           [lost_entry(d, ["incomplete", "not_counted"], None) for d in bad])
        ok = bool(ds) and not bad
        return Outcome(Fraction(0), ok, f"{len(ds) - len(bad)} of {len(ds)} datasets complete",
                       f"ครบ 14 รายการ {len(ds) - len(bad)} จาก {len(ds)} ชุดข้อมูล", [lost_entry(d, ["incomplete"], None) for d in bad])
    if req == "open_have_resources":
        opened = [d for d in ds if d.is_open]
        bad = [d for d in opened if not d.has_resources]
        return Outcome(Fraction(0), not bad, f"{len(opened) - len(bad)} of {len(opened)} open datasets have resource metadata",
                       f"ชุดข้อมูลเปิด {len(opened) - len(bad)} จาก {len(opened)} ชุดมีคำอธิบายทรัพยากรข้อมูล",
                       [lost_entry(d, ["no_resources"], None) for d in bad])
    raise ValueError(f"gate {item.key}: unknown require {req!r}")


def dataset_list_gate(facts: Facts, o: dict[str, Any], n: int, imd: int, has_new: bool) -> Outcome:
    """The dataset-list gate from its counts: ``n`` datasets (with any added in a what-if), ``imd``
    of them IMD datasets, ``has_new``: any declared newly selected (shared with the what-if deltas)."""
    scope = facts.scope or "-"
    # datasets read but not in the list are left out of every item; they are named here
    left_out = [LostBy(ds_id, [], ["not_in_dataset_list"], title=title, titled=True) for ds_id, title in facts.unlisted]
    if n == 0 and left_out:
        return Outcome(Fraction(0), False, f"none of the {len(left_out)} datasets read is in the dataset list",
                       f"ชุดข้อมูลที่อ่านได้ {len(left_out)} ชุดไม่อยู่ในรายชื่อชุดข้อมูลเลย", left_out)
    if n == 0:
        return Outcome(Fraction(0), False, "no datasets in the input", "ไม่มีชุดข้อมูลในข้อมูลนำเข้า")
    if facts.dataset_list is False:
        return Outcome(Fraction(0), False, "declared: no dataset list tied to the scope", "แจ้งว่ายังไม่มีรายชื่อชุดข้อมูลตามประเด็น")
    if o["require_declared_scope"] and (facts.scope is None or facts.dataset_list is None):
        return Outcome(Fraction(0), False, "scope or dataset_list not declared", "ยังไม่ได้แจ้งขอบเขต/ประเด็น หรือ dataset_list")
    if o.get("require_new_datasets") and facts.continuing_agency and not has_new:
        return Outcome(Fraction(0), False, "the agency ran the KPI last year but declared no newly selected dataset",
                   "หน่วยงานดำเนินการตัวชี้วัดในปีก่อน แต่ไม่ได้แจ้งชุดข้อมูลที่คัดเลือกใหม่ในปีนี้",
                   [LostBy(None, ["new_datasets"], ["no_new_datasets"])])
    n -= imd  # IMD datasets come in addition to the required number (FY2566 note *)
    also_en = f" (+{imd} IMD datasets in addition)" if imd else ""
    also_th = f" (และชุดข้อมูล IMD เพิ่มเติมอีก {imd} ชุด)" if imd else ""
    if n < o["min_datasets"] and o["below_min_datasets"] == "fail_basic":
        return Outcome(Fraction(0), False, f"{n} datasets{also_en}; at least {o['min_datasets']} required",
                   f"มี {n} ชุดข้อมูล{also_th} ต้องมีไม่น้อยกว่า {o['min_datasets']} ชุด",
                   [LostBy(None, [], ["too_few_datasets"], needed=o["min_datasets"] - n)])
    src, src_th = (" in Template 1", " ใน Template 1") if facts.list_source == "template1" else ("", "")
    return Outcome(Fraction(0), True, f"{n} datasets listed{src}{also_en} (scope: {scope})",
                   f"มีรายชื่อ {n} ชุดข้อมูล{src_th}{also_th} (ขอบเขต: {scope})", left_out)


def gate_fixes(item: ItemSpec, facts: Facts, o: dict[str, Any], out: Outcome) -> list[FixCandidate]:
    req = item.params.get("require")
    if req == "all_complete" and param(item, "every_dataset", o, True) is False:
        # lenient reading: each completed dataset joins the count, so each is its own fix
        byid = facts.by_id()
        return [dataset_fix(item.key, d.id, *fields_fix(d), {d.id: {"complete": True}},
                            (item.key, d.signature(), "complete"), d.missing)
                for d in (byid[e.dataset] for e in out.lost_by if e.dataset)]
    if out.met:
        return []
    if req == "dataset_list":
        need = o["min_datasets"] - (facts.count - sum(1 for d in facts.datasets if d.imd))
        if facts.count and need > 0 and facts.dataset_list is not False:
            return [FixCandidate(item.key, None, f"add {need} more dataset(s) with complete metadata to reach {o['min_datasets']}",
                                 f"เพิ่มชุดข้อมูลที่มีคำอธิบายครบ 14 รายการอีก {need} ชุด ให้ครบ {o['min_datasets']} ชุด",
                                 lambda f: replace(f, added_datasets=f.added_datasets + need), (item.key, "add", need))]
        return [FixCandidate(item.key, None, "declare the focus area / use scope and the dataset list tied to it",
                             "แจ้งประเด็น/ขอบเขตที่เลือก และรายชื่อชุดข้อมูลที่สัมพันธ์กัน",
                             lambda f: replace(f, dataset_list=True, scope=f.scope or "declared"), (item.key, "declare"))] \
            if facts.count else []
    change = {"complete": True} if req == "all_complete" else {"has_resources": True}
    bad = [entry.dataset for entry in out.lost_by if entry.dataset]
    if not bad:
        return []  # nothing a dataset fix can change (e.g. an empty catalog)

    if req == "all_complete":
        fix, fix_th = f"complete the 14 items of {', '.join(bad)}", f"กรอกคำอธิบายข้อมูลให้ครบ 14 รายการของ {', '.join(bad)}"
    else:
        fix, fix_th = f"add resource metadata for {', '.join(bad)}", f"เพิ่มคำอธิบายทรัพยากรข้อมูลของ {', '.join(bad)}"
    return [dataset_fix(item.key, None if len(bad) > 1 else bad[0], fix, fix_th, {ds_id: change for ds_id in bad},
                        (item.key, tuple(bad)))]


# -- proportion -----------------------------------------------------------------------------------
def proportion(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome:
    pts = Fraction(item.points)
    scope = among(item, facts, o)
    den = denominator(item, facts, o, len(scope))
    reqs = list(param(item, "require", o, []) or [])
    missing_catalog = catalog_missing(item, facts, o)
    if missing_catalog is not None:
        return missing_catalog
    if den == 0:
        points, met = proportion_points(item, o, 0, 0)
        return Outcome(points, met, "no datasets to score", "ไม่มีชุดข้อมูลที่ต้องคิดคะแนน")
    hits, lost_by = 0, []
    each = pts / den
    all_or_nothing = param(item, "aggregation", o, "proportion") == "all_or_nothing"
    lost = None if all_or_nothing else each
    tests = [(r, PRED[r]) for r in reqs]
    worded: dict[tuple[str, ...], tuple[str, ...]] = {}  # failed predicates → reason codes (a few patterns)
    for d in scope:
        failed = tuple(r for r, test in tests if not test(d, o))
        if failed:
            reasons = worded.get(failed)
            if reasons is None:
                reasons = worded[failed] = tuple(dict.fromkeys(WHY[r][0] for r in failed))
            lost_by.append(lost_entry(d, list(reasons), lost))
        else:
            hits += 1
    points = proportion_points(item, o, hits, den)[0]
    what = {"complete": ("complete", "ครบ 14 รายการ"), "uploaded": ("uploaded", "นำขึ้นระบบแล้ว"),
            "registered": ("registered", "ลงทะเบียนแล้ว")}
    label = next((what[r] for r in reqs if r in what), ("meeting the criterion", "ผ่านเกณฑ์"))
    kind_en, kind_th = ("open datasets", "ชุดข้อมูลเปิด") if param(item, "among", o, "all") == "open" else ("datasets", "ชุดข้อมูล")
    pad = den - len(scope)
    extra_en = f" (+{pad} missing to reach {den})" if pad else ""
    extra_th = f" (นับรวมชุดที่ขาดอีก {pad} ให้ครบ {den})" if pad else ""
    return Outcome(points, hits == den, f"{hits} of {len(scope)} {kind_en} {label[0]}{extra_en}",
                   f"{kind_th}{label[1]} {hits} จาก {len(scope)} ชุด{extra_th}", lost_by)


def proportion_points(item: ItemSpec, o: dict[str, Any], hits: int, den: int) -> tuple[Fraction, bool]:
    """Points and "met" of a proportion item from its counts (shared with the what-if deltas)."""
    pts = Fraction(item.points)
    if den == 0:
        full = o["empty_scope"] == "full"
        return (pts if full else Fraction(0)), full
    if param(item, "aggregation", o, "proportion") == "all_or_nothing":
        return (pts if hits == den else Fraction(0)), hits == den
    return pts * hits / den, hits == den


def proportion_fixes(item: ItemSpec, facts: Facts, o: dict[str, Any], out: Outcome) -> list[FixCandidate]:
    if param(item, "requires_catalog_url", o, False) and not facts.catalog_ok:
        return [catalog_fix(item)]
    reqs = list(param(item, "require", o, []) or [])
    tests = [(r, PRED[r]) for r in reqs]
    byid = facts.by_id()
    fixes = []
    # what to do and what changes depend on the failed predicates and the missing fields only:
    # a catalogue has a few such patterns, so each is worded once
    worded: dict[tuple[Any, ...], tuple[str, str, dict[str, Any], tuple[str, ...]]] = {}
    for entry in out.lost_by:
        if entry.dataset is None:  # a catalogue-wide entry: no dataset fix changes it
            continue
        d = byid[entry.dataset]
        failed = tuple(r for r, test in tests if not test(d, o))
        pattern = (failed, d.missing, d.failed_items, d.has_metadata)
        text = worded.get(pattern)
        if text is None:
            change: dict[str, Any] = {}
            en, th = [], []
            for r in failed:
                if WHY[r][0] == "incomplete":
                    f_en, f_th = fields_fix(d)
                else:
                    f_en, f_th = WHY[r][3], WHY[r][4]
                if f_en not in en:
                    en.append(f_en)
                    th.append(f_th)
                change.update(WHY[r][5])
            text = worded[pattern] = ("; ".join(en), "; ".join(th), change, tuple(sorted(change)))
        fix_en, fix_th, change, changed = text
        # the change is shared by the datasets of one pattern: what-ifs only read it
        fixes.append(dataset_fix(item.key, d.id, fix_en, fix_th, {d.id: change}, (item.key, d.signature(), changed),
                                 d.missing))
    return fixes


# -- share (FY2567: a percentage mapped to points by the rule of three) ---------------------------------
def rule_of_three(pct: Fraction, targets: tuple[Fraction, Fraction, Fraction]) -> Fraction:
    """Seed 004 ๖.๑: below the basic target 0; between targets linear (บัญญัติไตรยางศ์); at or
    above the advanced target 100. ``targets`` are the results that earn 50, 75 and 100."""
    t50, t75, t100 = targets
    if pct < t50:
        return Fraction(0)
    if pct >= t100:
        return Fraction(100)
    if pct < t75:
        return 50 + 25 * (pct - t50) / (t75 - t50)
    return 75 + 25 * (pct - t75) / (t100 - t75)


def _targets(item: ItemSpec, o: dict[str, Any]) -> tuple[Fraction, Fraction, Fraction]:
    raw = param(item, "targets", o, [50, 75, 100])
    try:
        t = tuple(Fraction(str(v)) for v in raw)
    except (TypeError, ValueError, ZeroDivisionError):
        raise ValueError(f"share {item.key}: targets must be three numbers — "
                         f"ค่าเป้าหมายของ {item.key} ต้องเป็นตัวเลขสามค่า") from None
    if len(t) != 3 or not (0 <= t[0] < t[1] < t[2] <= 100):
        raise ValueError(f"share {item.key}: targets must rise strictly within 0-100, got {list(raw)} — "
                         f"ค่าเป้าหมายของ {item.key} ต้องเป็นตัวเลขสามค่าที่เพิ่มขึ้นภายใน 0-100")
    return t[0], t[1], t[2]


def share(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome:
    """The share of datasets (``among``) meeting every ``require`` predicate, as a percentage
    mapped to ``points`` by the rule of three between the 50/75/100 targets."""
    scope = among(item, facts, o)
    reqs = list(param(item, "require", o, []) or [])
    targets = _targets(item, o)
    if not scope:
        points, met = share_points(item, o, 0, 0)
        return Outcome(points, met, "no datasets to score", "ไม่มีชุดข้อมูลที่ต้องคิดคะแนน")
    hits, lost_by = 0, []
    for d in scope:
        failed = [r for r in reqs if not PRED[r](d, o)]
        if failed:
            lost_by.append(lost_entry(d, list(dict.fromkeys(WHY[r][0] for r in failed)), None))
        else:
            hits += 1
    pct = Fraction(hits * 100, len(scope))
    points = share_points(item, o, hits, len(scope))[0]
    shown = ", ".join(f"{float(t):g}%" for t in targets)
    kind_en, kind_th = ("open datasets", "ชุดข้อมูลเปิด") if param(item, "among", o, "all") == "open" else ("datasets", "ชุดข้อมูล")
    return Outcome(points, hits == len(scope),
                   f"{hits} of {len(scope)} {kind_en} meet every step ({float(pct):.2f}%); targets 50/75/100 points at {shown}",
                   f"{kind_th}ผ่านทุกขั้น {hits} จาก {len(scope)} ชุด (ร้อยละ {float(pct):.2f}) ค่าเป้าหมาย 50/75/100 คะแนนที่ {shown}",
                   lost_by)


def share_points(item: ItemSpec, o: dict[str, Any], hits: int, n: int) -> tuple[Fraction, bool]:
    """Points and "met" of a share item from its counts (shared with the what-if deltas)."""
    if n == 0:
        full = o["empty_scope"] == "full"
        return (Fraction(item.points) if full else Fraction(0)), full
    return rule_of_three(Fraction(hits * 100, n), _targets(item, o)) * item.points / 100, hits == n


# -- binary ---------------------------------------------------------------------------------------
def binary(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome:
    req = item.params.get("require")
    if req != "catalog_url":
        raise ValueError(f"binary {item.key}: unknown require {req!r}")
    if facts.catalog_ok:
        how = "reachable" if facts.catalog_reachable else "declared"
        how_th = "เข้าถึงได้" if facts.catalog_reachable else "ตามที่แจ้ง"
        return Outcome(Fraction(item.points), True, f"catalog URL {facts.catalog_url} ({how})",
                       f"URL ระบบบัญชีข้อมูล {facts.catalog_url} ({how_th})")
    return no_catalog(facts)


def binary_fixes(item: ItemSpec, facts: Facts, o: dict[str, Any], out: Outcome) -> list[FixCandidate]:
    return [] if out.met else [catalog_fix(item)]


# -- declared -----------------------------------------------------------------------------------------
def declared(item: ItemSpec, facts: Facts, o: dict[str, Any]) -> Outcome:
    byid = facts.by_id()
    need = int(item.params.get("min_count", 1))
    ok: dict[str, None] = {}  # accepted datasets, in order, once each
    rejected = list(facts.rejected_use)
    for u in facts.utilization:
        d = byid[u.dataset]
        if o["utilization_requires_open"] and not d.is_open:
            rejected.append((u.dataset, "not a public dataset", "ไม่ใช่ชุดข้อมูลสาธารณะ"))
        elif not counted(d, o):
            rejected.append((u.dataset, "not counted: not all 14 items complete", "ไม่นับผล: คำอธิบายข้อมูลไม่ครบ 14 รายการ"))
        else:
            ok[u.dataset] = None
    lost = [LostBy(ds, [], ["use_rejected"], reason=en, reason_th=th) for ds, en, th in rejected]
    if len(ok) >= need:
        return Outcome(Fraction(item.points), True, f"use declared for {', '.join(ok)}", f"แจ้งการใช้ประโยชน์ของ {', '.join(ok)}", lost)
    if not facts.utilization and not rejected:
        lost.append(LostBy(None, ["utilization"], ["not_declared"]))
        return Outcome(Fraction(0), False, "no evidence of use declared", "ไม่ได้แจ้งหลักฐานการนำข้อมูลไปใช้ประโยชน์", lost)
    return Outcome(Fraction(0), False, f"{len(ok)} of {need} required uses accepted", f"ยอมรับการใช้ประโยชน์ {len(ok)} จาก {need} ที่ต้องมี", lost)


def use_accepted(d: DatasetFacts, o: dict[str, Any]) -> bool:
    """Whether a declared use of dataset ``d`` counts for the ``declared`` kind."""
    return (d.is_open or not o["utilization_requires_open"]) and counted(d, o)


def declared_fixes(item: ItemSpec, facts: Facts, o: dict[str, Any], out: Outcome) -> list[FixCandidate]:
    if out.met:
        return []
    candidates = [d for d in facts.datasets if use_accepted(d, o)]
    if not candidates:
        return []
    target = candidates[0].id
    return [FixCandidate(item.key, None, "declare evidence of use (report or dashboard) for an open dataset under 'utilization'",
                         "แจ้งหลักฐานการนำข้อมูลเปิดไปใช้ประโยชน์ (รายงานหรือ dashboard) ในหัวข้อ utilization",
                         lambda f: replace(f, utilization=f.utilization + (UseEvidence(target, "declared"),)),
                         (item.key,), ("utilization",))]


@dataclass(frozen=True, slots=True)
class Kind:
    """A computation kind a rubric item can name: how it scores, and which fixes it can suggest."""

    name: str
    evaluate: Callable[[ItemSpec, Facts, dict[str, Any]], Outcome]
    fixes: Callable[[ItemSpec, Facts, dict[str, Any], Outcome], list[FixCandidate]]


#: The one registry of scoring kinds: rubric files are checked against it and the engine runs it.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("gate", gate, gate_fixes),
    Kind("proportion", proportion, proportion_fixes),
    Kind("binary", binary, binary_fixes),
    Kind("open_format", open_format, open_format_fixes),
    Kind("declared", declared, declared_fixes),
    Kind("share", share, proportion_fixes),
)}
