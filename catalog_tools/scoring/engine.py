"""Score a validation ``Report`` against a fiscal year's rubric: items → levels → total → fixes.

The total (default ``total_mode: base_plus_points``): 0 below the basic level (004:147), else
the basic target (50) plus the standard and advanced points — the worked example scores
50 + 20 = 70. Each fix in ``fix_first`` is scored as a what-if on the facts, so its ``gain`` is
the exact change of the total (gates and options included); ``item_gain`` is the change of its
own sub-score, which explains fixes that only pay off together (e.g. FY2566's basic gates).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from ..gcpause import gc_paused
from ..model import Report
from .declarations import Declarations, load_declarations
from .facts import Facts, build_facts
from .kinds import KINDS, Outcome
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
    outcomes = {item.key: KINDS[item.kind][0](item, facts, opts) for item in rubric.items()}
    levels, total = level_total(rubric, {key: (out.points, out.met) for key, out in outcomes.items()}, opts)
    return Evaluation(outcomes, levels, total)


def rank_fixes(rubric: Rubric, facts: Facts, opts: dict[str, Any], base: Evaluation) -> list[Fix]:
    """Candidate fixes from every item, each scored as a what-if; best gain first.

    Each what-if is scored by ``Deltas`` (per-item counts adjusted by the changed datasets
    only), so ranking stays linear in the catalogue; the gains are the exact ones a changed copy
    would score (tests compare both).
    """
    used = {u.dataset for u in facts.utilization}
    deltas = Deltas(rubric, facts, opts, base)
    cache: dict[tuple[Any, ...], int] = {}  # what-if key → index into ``scored``
    scored: list[tuple[Fraction, Fraction, bool]] = []  # (gain, item gain, listed) per distinct what-if
    order = {item.key: n for n, item in enumerate(rubric.items())}
    found: list[tuple[int, Fix]] = []
    for item in rubric.items():
        for cand in KINDS[item.kind][1](item, facts, opts, base.outcomes[item.key]):
            key = cand.key + (cand.dataset in used,)
            slot = cache.get(key)
            if slot is None:
                scores, total = deltas.score(cand)
                gain, item_gain = total - base.total, scores[item.key][0] - base.outcomes[item.key].points
                slot = cache[key] = len(scored)
                scored.append((gain, item_gain, gain > 0 or item_gain > 0 or item.kind == "gate"))
            gain, item_gain, listed = scored[slot]
            if listed:
                found.append((slot, Fix(cand.dataset, item.key, gain, item_gain, cand.fix, cand.fix_th, cand.fields)))
    # best gain first: rank the few distinct what-ifs once, then sort by plain ints
    by_gain = sorted(range(len(scored)), key=lambda n: scored[n][:2], reverse=True)
    rank = [0] * len(scored)
    for pos, n in enumerate(by_gain):
        rank[n] = rank[by_gain[pos - 1]] + (scored[n][:2] != scored[by_gain[pos - 1]][:2]) if pos else 0
    found.sort(key=lambda sf: (rank[sf[0]], order[sf[1].item], sf[1].dataset or ""))
    fixes = [f for _, f in found]
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for f in fixes:  # the same fix offered by two items (e.g. completing a dataset) is listed once
        if (f.dataset, f.fix) not in seen:
            seen.add((f.dataset, f.fix))
            unique.append(f)
    return unique


def score_report(report: Report, *, fy: int, catalog_url: str | None = None,
                 declarations: Declarations | Mapping[str, Any] | str | Path | None = None,
                 options: dict[str, Any] | None = None, catalog_reachable: bool | None = None,
                 rubric_dir: str | Path | None = None) -> ScoreResult:
    """Score ``report`` with the FY rubric; raises RubricError / DeclarationsError on bad input."""
    with gc_paused():  # per-dataset facts, lost_by entries and fixes: many small acyclic objects
        return _score_report(report, fy=fy, catalog_url=catalog_url, declarations=declarations, options=options,
                             catalog_reachable=catalog_reachable, rubric_dir=rubric_dir)


def _score_report(report: Report, *, fy: int, catalog_url: str | None,
                  declarations: Declarations | Mapping[str, Any] | str | Path | None,
                  options: dict[str, Any] | None, catalog_reachable: bool | None,
                  rubric_dir: str | Path | None) -> ScoreResult:
    rubric = load_rubric(fy, rubric_dir)
    opts = rubric.resolve_options(options)
    decl = load_declarations(declarations)
    built = build_facts(report, rubric, opts, decl, catalog_url=catalog_url, catalog_reachable=catalog_reachable)
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
    for d in facts.datasets:
        if d.open is not None:
            row = {"dataset": d.id, "title": d.title, "open": d.is_open,
                   **(shown.get(id(d.open)) or shown.setdefault(id(d.open), d.open.to_dict()))}
            open_rows.append(row)
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
        items=items, level_scores=ev.levels, total=ev.total, fix_first=rank_fixes(rubric, facts, opts, ev),
        open_format=open_rows, options=opts, declarations=decl.to_dict(), warnings=warnings, summary=summary,
        max_total=rubric.levels[-1].target, inputs=list(report.inputs))
