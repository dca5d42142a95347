"""Per-dataset facts shared between scorings (an audit's catalogue score and each organisation's):
a memo must never change a score — whatever the options, declarations or subset of datasets."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from catalog_tools.scoring import score_report
from catalog_tools.scoring.facts import FactsMemo
from catalog_tools.validate import validate_paths

DECL = Path(__file__).resolve().parents[2] / "fixtures" / "declarations"


def _same(a, b) -> None:
    assert a.to_dict() == b.to_dict()


def test_a_memo_gives_the_very_scores_of_scoring_afresh(examples: Path) -> None:
    report = validate_paths([str(examples / "tourism-fy2566.xlsx")])
    memo = FactsMemo()
    for fy in (2565, 2566, 2567):
        _same(score_report(report, fy=fy, memo=memo), score_report(report, fy=fy))
    # a subset (one organisation's datasets) scored with the facts of the whole catalogue
    half = replace(report, datasets=report.datasets[: len(report.datasets) // 2], findings=[])
    _same(score_report(half, fy=2566, memo=memo, detail=False), score_report(half, fy=2566, detail=False))
    assert memo.facts, "the memo was used"


def test_other_options_or_declarations_never_get_another_scorings_facts(examples: Path) -> None:
    report = validate_paths([str(examples / "tourism-fy2566.xlsx")])
    memo = FactsMemo()
    score_report(report, fy=2566, memo=memo)
    # PDF counted as an open format changes datasets' open levels: the memo must not answer
    narrow = {"open_formats": ["PDF"]}
    _same(score_report(report, fy=2566, options=narrow, memo=memo), score_report(report, fy=2566, options=narrow))
    assert score_report(report, fy=2566, options=narrow).open_format != score_report(report, fy=2566).open_format
    declared = DECL / "tourism-2566.yaml"
    _same(score_report(report, fy=2566, declarations=declared, memo=FactsMemo()),
          score_report(report, fy=2566, declarations=declared))
    shared = FactsMemo()
    score_report(report, fy=2566, memo=shared)  # first without declarations, then with: flags differ per dataset
    _same(score_report(report, fy=2566, declarations=declared, memo=shared), score_report(report, fy=2566, declarations=declared))
