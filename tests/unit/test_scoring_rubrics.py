"""Rubrics are data: a fiscal year is a file, options are checked, bad files fail with one line."""
from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from catalog_tools.scoring import RubricError, available_fiscal_years, load_rubric, score_report
from catalog_tools.scoring.rubric import _builtin_dir
from catalog_tools.validate import validate_paths

FY2567 = """\
fy: 2567
format: 1
extends: 2565
title: Data Catalog KPI FY2567 (trial)
title_th: ตัวชี้วัด Data Catalog ปีงบประมาณ พ.ศ. 2567 (ทดลอง)
scope:
  declaration: use_scope
  values: [ภารกิจหลักของหน่วยงาน, สถิติทางการ (21 สาขา)]
levels:
  - key: basic
    target: 50
    items:
      - {key: dataset_list, kind: gate, require: dataset_list}
  - key: standard
    target: 75
    items:
      - {key: metadata, kind: proportion, points: 25, among: all, require: [complete]}
  - key: advanced
    target: 100
    items:
      - key: open_quality
        kind: open_format
        points: 25
        among: all
        aggregation: $open_format_aggregation
        level_points: {basic: 8, intermediate: 16, advanced: 25}
options:
  min_datasets: {default: 3, doc: "trial minimum"}
"""


@pytest.fixture()
def rubric_dir(tmp_path: Path) -> Path:
    shutil.copy(_builtin_dir() / "fy2565.yaml", tmp_path / "fy2565.yaml")
    (tmp_path / "fy2567.yaml").write_text(FY2567, encoding="utf-8")
    return tmp_path


def test_a_new_fiscal_year_is_a_new_file(rubric_dir: Path, examples: Path) -> None:
    assert available_fiscal_years(rubric_dir) == [2565, 2567]
    rubric = load_rubric(2567, rubric_dir)
    assert [i.key for i in rubric.items()] == ["dataset_list", "metadata", "open_quality"]
    assert rubric.resolve_options(None)["min_datasets"] == 3  # own option over the inherited default 0
    assert rubric.resolve_options(None)["total_mode"] == "base_plus_points"  # inherited from FY2565
    report = validate_paths([str(examples / "opdc-worked-example.xlsx")])
    result = score_report(report, fy=2567, rubric_dir=rubric_dir)
    assert result.item("metadata").points == Fraction(25 * 4, 6)
    d = result.to_dict()
    assert d["fy"] == 2567 and d["items"][1]["points"] == 16.67 and d["total"] == 66.67
    assert [i["key"] for i in d["items"]] == ["dataset_list", "metadata", "open_quality"]


def test_unknown_fiscal_year(rubric_dir: Path) -> None:
    with pytest.raises(RubricError, match="no rubric for FY2599; available: 2565, 2567"):
        load_rubric(2599, rubric_dir)


@pytest.mark.parametrize("options, message", [
    ({"no_such_option": 1}, "unknown scoring option 'no_such_option'"),
    ({"total_mode": "average"}, "total_mode: 'average' is not one of base_plus_points, points_only"),
    ({"advanced_requires_standard": "yes"}, "must be true or false"),
    ({"min_datasets": -1}, "whole number"),
    ({"open_formats": "CSV"}, "list of strings"),
])
def test_bad_options_are_refused(options: dict, message: str) -> None:
    with pytest.raises(RubricError, match=message):
        load_rubric(2566).resolve_options(options)


@pytest.mark.parametrize("broken, message", [
    # what only the code can check: the file name, other files, choices, order, uniqueness, references, kinds
    (FY2567.replace("fy: 2567", "fy: 2568"), "at $.fy: 'fy' must be 2567 (the year in the file name), not 2568"),
    (FY2567.replace("kind: open_format", "kind: magic"),
     "at $.levels[2].items[0].kind: 'magic' is not a computation kind (one of gate, proportion"),
    (FY2567.replace("$open_format_aggregation", "$nothing"),
     "at $.levels[2].items[0].aggregation: item open_quality refers to unknown option $nothing"),
    (FY2567.replace("extends: 2565", "extends: 2501"), "at $.extends: extends FY2501, which has no rubric file"),
    (FY2567.replace("format: 1", "format: 2"), "at $.format: unsupported format 2 (this version reads format 1)"),
    (FY2567.replace("key: standard", "key: advanced", 1).replace("key: advanced\n    target: 100", "key: standard\n    target: 100"),
     "at $.levels: levels must be basic, standard, advanced in that order (basic always there, each once), not basic, advanced, standard"),
    (FY2567.replace("key: metadata", "key: dataset_list"), "at $.levels[1].items[0].key: item keys must be unique ('dataset_list' is used twice)"),
    (FY2567.replace("points: 25, among", "points: 0, among"), "at $.levels[1].items[0].points: item metadata needs points > 0 (only a gate scores 0)"),
    (FY2567.replace('min_datasets: {default: 3, doc: "trial minimum"}', "min_datasets: {default: 3, choices: [5, 10]}"),
     "at $.options.min_datasets.default: default is not one of its choices (5, 10)"),
    # the shape of every value: the JSON Schema (schemas/files/rubric.schema.json)
    ("fy: 2567\nlevels: []\n", "at $.levels: [] should be non-empty"),
    ("fy: 2567\n", "at $: 'levels' is a required property"),
    ("- fy: 2567\n", "at $: [{'fy': 2567}] is not of type 'object'"),
    (FY2567.replace("points: 25, among", "points: 2.5, among"), "at $.levels[1].items[0].points: 2.5 is not of type 'integer'"),
    (FY2567.replace("  - key: standard\n", "  - target: 60\n    key: standard\n").replace("key: standard", "kye: standard"),
     "at $.levels[1]: 'key' is a required property"),
    (FY2567.replace('min_datasets: {default: 3, doc: "trial minimum"}', 'min_datasets: {doc: "trial minimum"}'),
     "at $.options.min_datasets: 'default' is a required property"),
    (FY2567.replace('min_datasets: {default: 3, doc: "trial minimum"}', "min_datasets: {default: 3, type: integer}"),
     "at $.options.min_datasets.type: 'integer' is not one of ['number']"),
    ("fy: [2567\n", "cannot read rubric fy2567.yaml"),
])
def test_broken_rubric_files_fail_with_one_line(tmp_path: Path, broken: str, message: str) -> None:
    shutil.copy(_builtin_dir() / "fy2565.yaml", tmp_path / "fy2565.yaml")
    (tmp_path / "fy2567.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(RubricError, match=re.escape(message)) as info:
        load_rubric(2567, tmp_path)
    assert "\n" not in str(info.value) and "fy2567.yaml" in str(info.value)


def test_every_builtin_option_is_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text(encoding="utf-8")
    for fy in available_fiscal_years():
        for name, spec in load_rubric(fy).options.items():
            assert spec.doc, f"FY{fy} option {name} has no doc"
            assert f"`{name}`" in docs, f"docs/scoring.md does not describe option {name}"


def test_an_edited_rubric_file_is_read_again(rubric_dir: Path) -> None:
    """Rubrics are cached per version of their files: an edit (new size/mtime) must be seen, a broken
    edit must fail, and fixing it must work again — the cache never hides a file's current state."""
    assert load_rubric(2567, rubric_dir).resolve_options(None)["min_datasets"] == 3
    assert load_rubric(2567, rubric_dir) is load_rubric(2567, rubric_dir)  # the same version: one object
    path = rubric_dir / "fy2567.yaml"
    path.write_text(FY2567.replace("default: 3", "default: 12"), encoding="utf-8")
    assert load_rubric(2567, rubric_dir).resolve_options(None)["min_datasets"] == 12
    path.write_text(FY2567.replace("key: standard", "key: standrad"), encoding="utf-8")
    refused = re.escape("at $.levels[1].key: 'standrad' is not one of ['basic', 'standard', 'advanced']")
    with pytest.raises(RubricError, match=refused):
        load_rubric(2567, rubric_dir)
    with pytest.raises(RubricError, match=refused):
        load_rubric(2567, rubric_dir)  # still refused: an error is never cached as a rubric
    base = rubric_dir / "fy2565.yaml"  # the file it extends changes: the extending year sees it
    path.write_text(FY2567, encoding="utf-8")
    assert load_rubric(2567, rubric_dir).resolve_options(None)["total_mode"] == "base_plus_points"
    base.write_text(base.read_text(encoding="utf-8").replace("default: base_plus_points", "default: points_only", 1),
                    encoding="utf-8")
    assert load_rubric(2567, rubric_dir).resolve_options(None)["total_mode"] == "points_only"


def test_a_callers_change_to_options_does_not_leak_into_the_shared_rubric() -> None:
    first = load_rubric(2566).resolve_options(None)
    first["open_formats"].append("XLSX-NOT-OPEN")
    assert "XLSX-NOT-OPEN" not in load_rubric(2566).resolve_options(None)["open_formats"]


def test_a_summary_score_has_the_same_points_without_the_fix_ranking(examples: Path) -> None:
    """``detail=False`` (each organisation of a whole-portal audit) drops fixes and open-format rows only."""
    report = validate_paths([str(examples / "tourism-fy2566.xlsx")])
    for fy in (2565, 2566, 2567):
        full = score_report(report, fy=fy, catalog_url="https://catalog.tat.or.th", catalog_reachable=True)
        brief = score_report(report, fy=fy, catalog_url="https://catalog.tat.or.th", catalog_reachable=True, detail=False)
        assert full.fix_first and full.open_format  # the example loses points: there is something to rank
        assert brief.fix_first == [] and brief.open_format == []
        assert (brief.total, [(i.key, i.points, i.met) for i in brief.items], brief.summary) == \
            (full.total, [(i.key, i.points, i.met) for i in full.items], full.summary)
