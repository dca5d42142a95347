"""Score a validation ``Report`` against a fiscal year's rubric: items → levels → total → fixes.

The total (default ``total_mode: base_plus_points``): 0 below the basic level (004:147), else
the basic target (50) plus the standard and advanced points — the worked example scores
50 + 20 = 70. Each fix in ``fix_first`` is scored as a what-if on the facts, so its ``gain`` is
the exact change of the total (gates and options included); ``item_gain`` is the change of its
own sub-score, which explains fixes that only pay off together (e.g. FY2566's basic gates).
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from operator import itemgetter
from pathlib import Path
from typing import Any, Mapping

from ..gcpause import gc_paused
from ..model import Report
from ..options import ValidationOptions
from .declarations import Declarations, load_declarations
from .facts import Facts, FactsMemo, build_facts
from .kinds import KINDS, Outcome
from .outcome import FixCandidate
from .levels import level_total
from .rubric import Rubric, load_rubric
from .result import Fix, ItemScore, LevelScore, ScoreResult
from .whatif import Deltas


@dataclass(slots=True)
class Evaluation:
    outcomes: dict[str, Outcome]
    levels: list[LevelScore]
    total: Fraction


def evaluate(rubric: Rubric, facts: Facts, opts: dict[str, Any]) -> Evaluation:
    """Every item's outcome, the level sums and the total for one set of facts."""
    # FY2566 condition 1 read leniently (every_dataset_gate: false): incomplete datasets are left
    # out of every count; only the metadata gate itself looks at all of them (to list them).
    counted_facts = facts.without_incomplete() if opts.get("every_dataset_gate", True) is False else facts
    outcomes = {item.key: KINDS[item.kind].evaluate(item, facts if _sees_all(item) else counted_facts, opts)
                for item in rubric.items()}
    levels, total = level_total(rubric, {key: (out.points, out.met) for key, out in outcomes.items()}, opts)
    return Evaluation(outcomes, levels, total)


def _sees_all(item: Any) -> bool:
    return item.kind == "gate" and item.params.get("require") == "all_complete"


Entry = tuple[int, int, str, str, FixCandidate]  # (what-if slot, item order, dataset, item key, candidate)


def rank_fixes(rubric: Rubric, facts: Facts, opts: dict[str, Any], base: Evaluation,
               limit: int | None = None) -> tuple[list[Fix], int]:
    """Candidate fixes from every item, each scored as a what-if, best gain first; and how many there are.

    Each what-if is scored by ``Deltas`` (per-item counts adjusted by the changed datasets
    only), so ranking stays linear in the catalogue; the gains are the exact ones a changed copy
    would score (tests compare both). With ``limit`` only the first ``limit`` fixes are built; the
    count is always of all of them (text output shows a few of 200,000).
    """
    used = {u.dataset for u in facts.utilization}
    deltas = Deltas(rubric, facts, opts, base)
    cache: dict[tuple[Any, ...], int] = {}  # what-if key → index into ``scored``
    scored: list[tuple[Fraction, Fraction, bool]] = []  # (gain, item gain, listed) per distinct what-if
    # (what-if slot, item order, dataset, item key, candidate) per listed fix; a Fix is built only when kept
    found: list[Entry] = []
    for n_item, item in enumerate(rubric.items()):
        for cand in KINDS[item.kind].fixes(item, facts, opts, base.outcomes[item.key]):
            # the item is part of the key: one what-if (e.g. giving the catalog URL) offered by two
            # items has one gain but a different item gain for each
            key = (item.key,) + cand.key + (cand.dataset in used,)
            slot = cache.get(key)
            if slot is None:
                scores, total = deltas.score(cand)
                gain, item_gain = total - base.total, scores[item.key][0] - base.outcomes[item.key].points
                slot = cache[key] = len(scored)
                # gates and shares list every fix, even one that alone earns nothing: a gate needs all of
                # them, and each fix raises a share's percentage towards the next target
                scored.append((gain, item_gain, gain > 0 or item_gain > 0 or item.kind in ("gate", "share")))
            if scored[slot][2]:
                found.append((slot, n_item, cand.dataset or "", item.key, cand))
    # best gain first: rank the few distinct what-ifs once, then sort by plain ints
    by_gain = sorted(range(len(scored)), key=lambda n: scored[n][:2], reverse=True)
    rank = [0] * len(scored)
    for pos, n in enumerate(by_gain):
        rank[n] = rank[by_gain[pos - 1]] + (scored[n][:2] != scored[by_gain[pos - 1]][:2]) if pos else 0
    if limit is not None:
        return _first_fixes(found, rank, scored, limit)
    return _all_fixes(found, rank, scored)


def _all_fixes(found: list[Entry], rank: list[int],
               scored: list[tuple[Fraction, Fraction, bool]]) -> tuple[list[Fix], int]:
    """Every fix, best rank first, then by item and dataset; a fix offered twice is listed once."""
    found.sort(key=lambda sf: (rank[sf[0]], sf[1], sf[2]))
    seen: set[tuple[str | None, str]] = set()
    unique = _listed(found, scored, seen, None)
    return unique, len(seen)


def _first_fixes(found: list[Entry], rank: list[int], scored: list[tuple[Fraction, Fraction, bool]],
                 limit: int) -> tuple[list[Fix], int]:
    """What the full ranking gives for its first ``limit`` fixes, and the count of all, without
    sorting every candidate: the candidates are put by rank (a few distinct gains), and only the
    best ranks are ordered, each only as far as needed (``heapq.nsmallest`` is ``sorted(...)[:n]``,
    ties kept in their order). Text output shows ten fixes of 200,000."""
    by_rank: dict[int, list[Entry]] = {}
    for entry in found:
        r = rank[entry[0]]
        bucket = by_rank.get(r)
        if bucket is None:
            by_rank[r] = [entry]
        else:
            bucket.append(entry)
    count = len({(entry[4].dataset, entry[4].fix) for entry in found})
    seen: set[tuple[str | None, str]] = set()
    unique: list[Fix] = []
    order = itemgetter(1, 2)  # (item order, dataset) within one rank
    for r in sorted(by_rank):
        bucket = by_rank[r]
        need = limit - len(unique)
        k = need
        while True:
            whole = k >= len(bucket)
            tried = set(seen)
            picked = _listed(sorted(bucket, key=order) if whole else heapq.nsmallest(k, bucket, key=order),
                             scored, tried, need)
            if len(picked) == need or whole:
                unique += picked
                seen = tried
                break
            k *= 4  # repeated pairs among the first: look further
        if len(unique) >= limit:
            break
    return unique, count


def _listed(entries: list[Entry], scored: list[tuple[Fraction, Fraction, bool]], seen: set[tuple[str | None, str]],
            need: int | None) -> list[Fix]:
    """The fixes of ``entries`` in their order, each (dataset, fix) once — the same fix offered by two
    items (e.g. completing a dataset) is listed once — skipping those in ``seen`` and adding the
    others to it; ``need``: stop after that many."""
    out: list[Fix] = []
    if need == 0:
        return out
    for slot, _, _, item_key, cand in entries:
        pair = (cand.dataset, cand.fix)
        if pair in seen:
            continue
        seen.add(pair)
        gain, item_gain, _ = scored[slot]
        out.append(Fix(cand.dataset, item_key, gain, item_gain, cand.fix, cand.fix_th, cand.fields))
        if len(out) == need:
            break
    return out


def score_report(report: Report, *, fy: int, catalog_url: str | None = None,
                 declarations: Declarations | Mapping[str, Any] | str | Path | None = None,
                 options: dict[str, Any] | None = None, catalog_reachable: bool | None = None,
                 rubric_dir: str | Path | None = None, as_of: date | None = None,
                 validation: ValidationOptions | None = None, detail: bool = True,
                 memo: FactsMemo | None = None, fix_limit: int | None = None) -> ScoreResult:
    """Score ``report`` with the FY rubric; raises RubricError / DeclarationsError on bad input.

    A rubric that asks whether datasets are current (FY2567) measures timeliness as of ``as_of``
    (default today) for every dataset not measured yet. ``validation`` are the options the report
    was validated with (default: those of its standard): what counts as public data for the KPI is
    what the validator treated as public. ``detail=False`` leaves out the fix-first ranking and the
    per-dataset open-format rows: a whole-portal audit scores every organisation for its total and
    grade only, and ranking what-ifs for each of them would cost more than scoring. ``memo``
    (a :class:`~catalog_tools.scoring.facts.FactsMemo`) shares per-dataset facts between scorings
    of the same datasets. ``fix_limit`` keeps only the first fixes (``fix_count`` says how many
    there are): for output that shows only those.
    """
    with gc_paused():  # per-dataset facts, lost_by entries and fixes: many small acyclic objects
        return _score_report(report, fy=fy, catalog_url=catalog_url, declarations=declarations, options=options,
                             catalog_reachable=catalog_reachable, rubric_dir=rubric_dir, as_of=as_of,
                             validation=validation, detail=detail, memo=memo, fix_limit=fix_limit)


def _score_report(report: Report, *, fy: int, catalog_url: str | None,
                  declarations: Declarations | Mapping[str, Any] | str | Path | None,
                  options: dict[str, Any] | None, catalog_reachable: bool | None,
                  rubric_dir: str | Path | None, as_of: date | None,
                  validation: ValidationOptions | None, detail: bool = True,
                  memo: FactsMemo | None = None, fix_limit: int | None = None) -> ScoreResult:
    validation = validation or ValidationOptions(standard=report.standard)
    if validation.standard != report.standard:
        raise ValueError(f"the report was validated with standard {report.standard}, not {validation.standard}")
    rubric = load_rubric(fy, rubric_dir)
    opts = rubric.resolve_options(options)
    decl = load_declarations(declarations)
    if _needs_current(rubric, opts) and any(d.timeliness is None for d in report.datasets):
        from ..timeliness import apply_timeliness
        apply_timeliness(report, as_of or date.today(), findings=False, only_missing=True)
    built = build_facts(report, rubric, opts, decl, catalog_url=catalog_url, catalog_reachable=catalog_reachable,
                        public_category=validation.public_category, memo=memo)
    facts = built.facts
    ev = evaluate(rubric, facts, opts)
    counted_levels = {lv.key: lv.counted for lv in ev.levels}
    items = []
    for lv in rubric.levels:
        for item in lv.items:
            out = ev.outcomes[item.key]
            items.append(ItemScore(item.key, lv.key, item.kind, item.title, item.title_th, out.points, item.points,
                                   out.met, counted_levels[lv.key], out.basis, out.basis_th, out.lost_by))
    open_rows = []
    shown: dict[int, dict[str, Any]] = {}  # assessments are shared (e.g. no resources): render each once
    for d in facts.datasets if detail else ():
        if d.open is not None:
            row = {"dataset": d.id, "title": d.title, "open": d.is_open,
                   **(shown.get(id(d.open)) or shown.setdefault(id(d.open), d.open.to_dict()))}
            open_rows.append(row)
    fixes, fix_count = rank_fixes(rubric, facts, opts, ev, fix_limit) if detail else ([], 0)
    warnings = [w.to_dict() for w in built.warnings]
    if any(not lv.counted and lv.met and lv.key != rubric.levels[0].key for lv in ev.levels):
        warnings.append({"code": "level_not_counted", "message": "some level points are not counted (see level_details)",
                         "message_th": "คะแนนบางระดับไม่นำมานับรวม (ดู level_details)"})
    summary = {
        "datasets": len(facts.datasets),
        "complete": sum(1 for d in facts.datasets if d.complete),
        "open": sum(1 for d in facts.datasets if d.is_open),
        "with_resources": sum(1 for d in facts.datasets if d.has_resources),
    }
    return ScoreResult(
        fy=rubric.fy, rubric_title=rubric.title, rubric_title_th=rubric.title_th, rubric_source=rubric.source,
        items=items, level_scores=ev.levels, total=ev.total, fix_first=fixes, fix_count=fix_count,
        open_format=open_rows, options=opts, declarations=decl.to_dict(), warnings=warnings, summary=summary,
        max_total=rubric.levels[-1].target, inputs=list(report.inputs),
        weight=opts.get("weight") if opts.get("weight") is not None else decl.weight, readings=_readings(rubric, opts),
        provisional=rubric.provisional, note=rubric.note, note_th=rubric.note_th,
        sources={k: v for k, v in built.sources.items() if v.get("decided_by") != "none"})


#: readings of a contested rule, by option: (value → en, th); shown in text and HTML output
_READINGS: dict[str, dict[Any, tuple[str, str]]] = {
    "every_dataset_gate": {
        True: ("every dataset must have all 14 items for the basic level (every_dataset_gate: true)",
               "ทุกชุดข้อมูลต้องมีคำอธิบายครบ 14 รายการจึงผ่านขั้นต้น (every_dataset_gate: true)"),
        False: ("incomplete datasets are left out of the count; the basic level needs at least min_datasets complete ones "
                "(every_dataset_gate: false)",
                "ชุดข้อมูลที่ไม่ครบ 14 รายการไม่นับผล ขั้นต้นต้องมีชุดข้อมูลที่ครบอย่างน้อยตามจำนวนขั้นต่ำ (every_dataset_gate: false)")},
    "open_data_requires_catalog": {
        True: ("open-data points need the agency catalog (open_data_requires_catalog: true)",
               "คะแนนข้อมูลเปิดต้องมีระบบบัญชีข้อมูลของหน่วยงาน (open_data_requires_catalog: true)"),
        False: ("open-data points from the open-format level alone (open_data_requires_catalog: false)",
                "คะแนนข้อมูลเปิดคิดจากระดับคุณลักษณะแบบเปิดเท่านั้น (open_data_requires_catalog: false)")},
}


def _readings(rubric: Rubric, opts: dict[str, Any]) -> list[dict[str, Any]]:
    """The readings this rubric's items actually use (an option no item refers to is left out)."""
    used = {v[1:] for item in rubric.items() for v in item.params.values() if isinstance(v, str) and v.startswith("$")}
    out = []
    for name, texts in _READINGS.items():
        if name in used and opts.get(name) in texts:
            en, th = texts[opts[name]]
            out.append({"option": name, "value": opts[name], "text": en, "text_th": th})
    return out


def _needs_current(rubric: Rubric, opts: dict[str, Any]) -> bool:
    for item in rubric.items():
        req = item.params.get("require")
        if isinstance(req, str) and req.startswith("$"):
            req = opts.get(req[1:])
        if "current" in (req if isinstance(req, list) else [req]):
            return True
    return False
