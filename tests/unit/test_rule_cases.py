"""Every rule has data-driven cases (tests/cases/rules/<code>.yaml): inputs that must trigger it and
inputs that must not. One parametrised test runs them all; see tests/rule_cases.py for the format."""
from __future__ import annotations

from pathlib import Path

import pytest

from catalog_tools.rules import RULES
from tests.rule_cases import CASES_DIR, load_cases, matches, run_case

pytestmark = pytest.mark.usefixtures("no_network")


def _params() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = load_cases(path.stem)
        for which in ("triggers", "passes"):
            for i, case in enumerate(spec.get(which) or []):
                out.append(pytest.param(path.stem, which, case, id=f"{path.stem}-{which}-{i}-{case.get('name', '')}"))
    return out


@pytest.mark.parametrize("code,which,case", _params())
def test_rule_case(code: str, which: str, case: dict, tmp_path: Path):
    found = [f for f in run_case(case, tmp_path) if f.code == code]
    if which == "passes":
        assert found == [], f"{code} must not trigger on {case.get('name')}: {[f.message for f in found]}"
        return
    assert found, f"{code} must trigger on {case.get('name')}"
    if case.get("expect"):
        assert any(matches(f, case["expect"]) for f in found), [(f.field, f.value, f.severity, f.item) for f in found]


def test_every_rule_has_cases_that_trigger_and_cases_that_pass():
    missing = []
    for code in RULES:
        path = CASES_DIR / f"{code}.yaml"
        if not path.exists():
            missing.append(f"{code}: no tests/cases/rules/{code}.yaml")
            continue
        spec = load_cases(code)
        if spec.get("rule") != code:
            missing.append(f"{code}: the file says rule {spec.get('rule')!r}")
        if not spec.get("triggers") or not spec.get("passes"):
            missing.append(f"{code}: needs at least one case in 'triggers' and one in 'passes'")
    assert missing == []


def test_every_cases_file_belongs_to_a_rule():
    assert sorted(p.stem for p in CASES_DIR.glob("*.yaml") if p.stem not in RULES) == []
