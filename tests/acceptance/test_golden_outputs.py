"""The JSON outputs of validate, score, publish --dry-run and audit on the shipped fixtures stay as
recorded in tests/golden/, except for ADDED keys (the JSON documents are a versioned API).

When a value changes ON PURPOSE (a reviewed fix), re-record that case and commit the diff with the
reason — see the docstring of tests/golden/outputs.py:

    .venv/bin/python -m tests.golden.outputs --update <case-name>
"""
from __future__ import annotations

import json

import pytest

from tests.golden.outputs import CASES, compare, golden_path

pytestmark = pytest.mark.usefixtures("no_network")


@pytest.mark.parametrize("name", sorted(CASES))
def test_output_matches_recording_except_added_keys(name: str):
    recorded = json.loads(golden_path(name).read_text(encoding="utf-8"))
    diffs = compare(recorded, CASES[name]())
    assert not diffs, (f"{name}: the JSON output changed (only added keys are allowed). If the change is "
                       f"deliberate and reviewed, run `python -m tests.golden.outputs --update {name}`:\n"
                       + "\n".join(diffs[:40]))


def test_every_recording_has_a_case():
    recorded = {p.stem for p in golden_path("x").parent.glob("*.json")}
    assert recorded == set(CASES)


def test_compare_allows_added_keys_only():
    old = {"summary": {"errors": 3}, "datasets": [{"id": "DataSet_11_01", "complete": True}]}
    assert compare(old, {"summary": {"errors": 3, "infos": 0}, "datasets": [{"id": "DataSet_11_01", "complete": True,
                                                                             "score": 1}], "rules": []}) == []
    assert compare(old, {"summary": {"errors": 2}, "datasets": [{"id": "DataSet_11_01", "complete": True}]}) == [
        "$.summary.errors: 3 → 2"]
    assert compare(old, {"summary": {}, "datasets": []}) == ["$.summary.errors: key removed", "$.datasets: 1 items, now 0"]
    assert compare({"total": 70.0}, {"total": 70}) == ["$.total: 70.0 → 70"]  # a type change is a change
    assert compare({"value": None}, {"value": "ข้อมูลสาธารณะ"}) == ['$.value: null → "ข้อมูลสาธารณะ"']
