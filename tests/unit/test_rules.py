"""The rule registry: every code emitted anywhere in the package is declared, rules are complete,
and rules can be switched off by code or group."""
from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from catalog_tools.options import OptionsError, ValidationOptions
from catalog_tools.rules import GROUPS, RULES, UnknownRule, make_finding, resolve_ignore

PACKAGE = Path(__file__).resolve().parents[2] / "catalog_tools"
#: calls whose argument at this position (or keyword ``code``) is a finding code
_CODE_ARG = {"make_finding": 0, "field_finding": 1, "Hit": 0, "Note": 0, "Issue": 0, "add": 0, "Finding": None}
_THAI = re.compile(r"[\u0E00-\u0E7F]")


def _emitted_codes() -> dict[str, list[str]]:
    """Every string literal used as a finding code in the package: code → places."""
    found: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            literal = None
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name in _CODE_ARG:
                    pos = _CODE_ARG[name]
                    if pos is not None and len(node.args) > pos and isinstance(node.args[pos], ast.Constant):
                        literal = node.args[pos].value
                    for kw in node.keywords:
                        if kw.arg == "code" and isinstance(kw.value, ast.Constant):
                            literal = kw.value.value
            elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
                for comp in node.comparators:
                    if isinstance(comp, ast.Constant):
                        literal = comp.value
            if isinstance(literal, str):
                found.setdefault(literal, []).append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


def test_no_code_is_emitted_that_the_registry_does_not_declare():
    emitted = _emitted_codes()
    assert len(emitted) >= 15  # the scan sees the emitters (make_finding, Hit, Note, schema runner)
    undeclared = {code: places for code, places in emitted.items() if code not in RULES}
    assert undeclared == {}


def test_the_scan_would_catch_an_undeclared_code(tmp_path, monkeypatch):
    (tmp_path / "catalog_tools").mkdir()
    (tmp_path / "catalog_tools" / "extra.py").write_text(
        'from catalog_tools.rules import make_finding\nmake_finding("title_shouting", value="จำนวนนักท่องเที่ยว")\n',
        encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "catalog_tools")
    assert _emitted_codes() == {"title_shouting": ["catalog_tools/extra.py:2"]}


def test_make_finding_refuses_an_undeclared_code():
    with pytest.raises(UnknownRule, match="not declared in catalog_tools/rules/"):
        make_finding("title_shouting", value="จำนวนนักท่องเที่ยว")


def test_the_old_import_path_still_works():
    from catalog_tools.messages import CODES
    from catalog_tools.messages import make_finding as old

    assert old is make_finding and CODES is RULES


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_is_complete(code: str):
    rule = RULES[code]
    assert rule.severity in ("error", "warning") and rule.group in GROUPS
    assert _THAI.search(rule.th) or "{reason_th}" in rule.th, "the Thai template must be Thai"
    assert rule.en and rule.summary and "\n" not in rule.summary
    assert rule.why and rule.bad and rule.good and rule.bad != rule.good
    # Both templates fill from a blank context (no placeholder without a default).
    finding = make_finding(code, field="title", field_th="ชื่อชุดข้อมูล", value="จำนวนนักท่องเที่ยว")
    assert finding.message and finding.message_th and finding.code == code
    if rule.check is None:
        module, _, attr = rule.implemented_by.partition(":")
        names = module.split(".")
        for i in range(len(names), 0, -1):  # the longest importable prefix, then attributes
            try:
                obj = importlib.import_module(".".join(names[:i]))
            except ModuleNotFoundError:
                continue
            for name in names[i:]:
                obj = getattr(obj, name)
            break
        else:
            pytest.fail(f"{code}: implemented_by {rule.implemented_by!r} does not name a module")
        assert f'"{code}"' in inspect.getsource(inspect.getmodule(obj)), f"{rule.implemented_by} does not emit {code}"
    else:
        assert rule.where.startswith("catalog_tools.rules.")


def test_group_names_and_codes_do_not_collide():
    assert set(GROUPS).isdisjoint(RULES)
    assert {r.group for r in RULES.values()} == set(GROUPS)  # no empty group


def test_ignore_takes_codes_and_groups():
    assert resolve_ignore(["maintainer_person"]) == {"maintainer_person"}
    assert resolve_ignore(["dates"]) == {"date_era", "date_order"}
    opts = ValidationOptions.from_mapping({"ignore": ["dates", "tag_chars"]})
    assert opts.ignored_codes() == {"date_era", "date_order", "tag_chars"}


def test_an_unknown_code_in_ignore_is_an_error_not_silence():
    with pytest.raises(OptionsError, match="unknown rule or group 'maintainer_persons'"):
        ValidationOptions.from_mapping({"ignore": ["maintainer_persons"]})
