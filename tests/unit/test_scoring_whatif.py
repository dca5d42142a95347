"""The what-if deltas give exactly what scoring a changed copy of the catalogue gives.

``rank_fixes`` scores each candidate fix with ``whatif.Deltas`` (counts adjusted by the changed
datasets) instead of ``evaluate(rubric, cand.apply(facts))`` on a copy. These tests keep the
copy-based ranking (the algorithm as it was) as the reference and compare, on the worked example,
the FY2566 tourism file and generated catalogues under both rubrics and several options: the
ranked fixes (gains, item gains, order, texts) and, for every candidate, each item's points and
"met" and the total.
"""
from __future__ import annotations

import random
from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from catalog_tools.model import Report
from catalog_tools.scoring.declarations import load_declarations
from catalog_tools.scoring.engine import Evaluation, evaluate, rank_fixes
from catalog_tools.scoring.facts import Facts, build_facts
from catalog_tools.scoring.kinds import KINDS
from catalog_tools.scoring.result import Fix
from catalog_tools.scoring.rubric import Rubric, load_rubric
from catalog_tools.scoring.whatif import Deltas
from catalog_tools.timeliness import apply_timeliness
from catalog_tools.validate import validate_paths
from tests.conftest import EXAMPLES, FIXTURES
from tests.scoring_data import TITLES, build_report, dataset_row, resource_row

FORMATS = ["CSV", "XLSX", "PDF", "JSON", "Database", "JPEG", "API"]


def reference_rank(rubric: Rubric, facts: Facts, opts: dict[str, Any], base: Evaluation) -> list[Fix]:
    """The ranking as it was: every candidate applied to a copy of the catalogue and scored in full."""
    used = {u.dataset for u in facts.utilization}
    order = {item.key: n for n, item in enumerate(rubric.items())}
    fixes: list[Fix] = []
    for item in rubric.items():
        for cand in KINDS[item.kind].fixes(item, facts, opts, base.outcomes[item.key]):
            after = evaluate(rubric, cand.apply(facts), opts)
            gain = after.total - base.total
            item_gain = after.outcomes[item.key].points - base.outcomes[item.key].points
            if gain > 0 or item_gain > 0 or item.kind in ("gate", "share"):
                fixes.append(Fix(cand.dataset, item.key, gain, item_gain, cand.fix, cand.fix_th, cand.fields))
    fixes.sort(key=lambda f: (-f.gain, -f.item_gain, order[f.item], f.dataset or ""))
    seen: set[tuple[str | None, str]] = set()
    unique = []
    for f in fixes:
        if (f.dataset, f.fix) not in seen:
            seen.add((f.dataset, f.fix))
            unique.append(f)
    del used
    return unique


def generated_report(n: int, seed: int) -> Report:
    """``n`` กรมการท่องเที่ยว datasets with a realistic mix of gaps: missing items, closed data,
    no resources, document/image/API resources, bad e-mails."""
    rnd = random.Random(seed)
    rows, resources = [], []
    for i in range(1, n + 1):
        changes: dict[str, Any] = {"id": f"DataSet_{10 + i // 100}_{i:04d}"}
        r = rnd.random()
        if r < 0.08:
            changes["maintainer_email"] = None
        elif r < 0.12:
            changes["maintainer_email"] = "plan(at)tourism.go.th"
        elif r < 0.15:
            changes["tag_string"], changes["license_id"] = None, None
        if rnd.random() < 0.2:
            changes["data_category"] = "ข้อมูลใช้ภายใน"
        row = dataset_row(i, f"{TITLES[i % len(TITLES)]} ชุดที่ {i}", **changes)
        rows.append(row)
        if rnd.random() < 0.7:
            fmt = rnd.choice(FORMATS)
            resources.append(resource_row(row["id"], f"ไฟล์ข้อมูล {i}", fmt, f"https://data.tourism.go.th/{i}.{fmt.lower()}"))
    return build_report(rows, resources)


def check_same(report: Report, fy: int, declarations: Any = None, options: dict[str, Any] | None = None,
               catalog_url: str | None = None) -> list[Fix]:
    rubric = load_rubric(fy)
    opts = rubric.resolve_options(options)
    if fy >= 2567:  # its rubric asks whether datasets are current: measure as score_report does
        apply_timeliness(report, date(2024, 1, 15), findings=False, only_missing=True)
    facts = build_facts(report, rubric, opts, load_declarations(declarations), catalog_url=catalog_url,
                        catalog_reachable=None).facts
    base = evaluate(rubric, facts, opts)
    deltas = Deltas(rubric, facts, opts, base)
    candidates = 0
    for item in rubric.items():
        for cand in KINDS[item.kind].fixes(item, facts, opts, base.outcomes[item.key]):
            candidates += 1
            after = evaluate(rubric, cand.apply(facts), opts)
            scores, total = deltas.score(cand)
            assert scores == {k: (o.points, o.met) for k, o in after.outcomes.items()}, (item.key, cand.fix)
            assert total == after.total, (item.key, cand.fix)
    new, count = rank_fixes(rubric, facts, opts, base)
    assert count == len(new)
    assert new == reference_rank(rubric, facts, opts, base)
    assert candidates > 0
    return new


def test_worked_example_fy2565_same_fixes_and_scores() -> None:
    report = validate_paths([str(EXAMPLES / "opdc-worked-example.xlsx")])
    fixes = check_same(report, 2565, catalog_url="https://catalog.opdc.go.th")
    assert [f.gain for f in fixes] == [5, Fraction(5, 2), Fraction(5, 2), 1, 1, 1, 1]
    base = check_same(report, 2565)  # no catalog URL: the catalogue-level fix is first
    assert base[0].item == "catalog" and base[0].gain == 10


def test_tourism_fy2566_with_declarations_same_fixes_and_scores() -> None:
    report = validate_paths([str(EXAMPLES / "tourism-fy2566.xlsx")])
    check_same(report, 2566, FIXTURES / "declarations" / "tourism-2566.yaml")
    check_same(report, 2566)


@pytest.mark.parametrize("fy", [2565, 2566, 2567])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_catalogues_same_fixes_and_scores(fy: int, seed: int) -> None:
    report = generated_report(160, seed)
    ids = [d.id for d in report.datasets]
    rnd = random.Random(seed)
    decl = {"fy": fy, "catalog_url": "https://catalog.tourism.go.th", "dataset_list": True,
            "uploaded": rnd.sample(ids, 120), "gd_catalog_registered": rnd.sample(ids, 150 if fy >= 2567 else 60),
            "utilization": [{"dataset": ids[3], "evidence": "รายงานสถานการณ์ท่องเที่ยวรายไตรมาส"}]}
    decl["focus_area" if fy == 2565 else "use_scope"] = 1
    fixes = check_same(report, fy, decl)
    assert fixes
    check_same(report, fy)  # nothing declared: gates fail, catalogue-level fixes


@pytest.mark.parametrize("options", [
    {"advanced_requires_standard": True},
    {"count_incomplete_datasets": True, "open_format_aggregation": "minimum"},
    {"total_mode": "points_only", "zero_below_basic": False, "open_format_scope": "all"},
    {"min_datasets": 200, "below_min_datasets": "prorate"},
    {"min_datasets": 200},
    {"upload_aggregation": "all_or_nothing", "gd_catalog_aggregation": "all_or_nothing", "empty_scope": "full"},
    {"every_dataset_gate": False, "upload_aggregation": "proportion"},
    {"every_dataset_gate": False, "min_datasets": 110, "upload_aggregation": "proportion"},
    {"open_data_requires_catalog": True},
])
def test_options_same_fixes_and_scores(options: dict[str, Any]) -> None:
    report = generated_report(120, 7)
    fy = 2566 if "upload_aggregation" in options else 2565
    ids = [d.id for d in report.datasets]
    decl = {"uploaded": ids[:90], "gd_catalog_registered": ids[::3], "dataset_list": True,
            "utilization": [{"dataset": ids[5], "evidence": "แดชบอร์ดสถิตินักท่องเที่ยว"}]}
    opts = {k: v for k, v in options.items() if k in load_rubric(fy).options}
    check_same(report, fy, decl, opts, catalog_url="https://catalog.tourism.go.th")


def test_declared_imd_and_new_datasets_and_catalogue_without_url() -> None:
    report = generated_report(60, 11)
    ids = [d.id for d in report.datasets]
    decl = {"imd_datasets": ids[:3], "new_datasets": ids[5:7], "continuing_agency": True, "uploaded": ids[:40],
            "utilization": [{"dataset": ids[8], "evidence": "รายงานการวิเคราะห์ตลาดท่องเที่ยว"},
                            {"dataset": ids[9], "evidence": "แดชบอร์ดจังหวัด"}]}
    check_same(report, 2565, decl, {"require_new_datasets": True, "min_datasets": 58, "open_data_requires_catalog": True})
    check_same(report, 2566, {**decl, "use_scope": 2, "dataset_list": True}, {"every_dataset_gate": False})


def test_no_public_datasets_and_empty_catalogue() -> None:
    closed = build_report([dataset_row(n, TITLES[n - 1], data_category="ข้อมูลใช้ภายใน") for n in range(1, 7)])
    check_same(closed, 2565, options={"empty_scope": "full"})
    check_same(closed, 2566)
