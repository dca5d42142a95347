"""``catalog-tools rules`` lists the registry; docs/rules.md is its Markdown; --config switches rules off."""
from __future__ import annotations

import json
from pathlib import Path

from catalog_tools.rules import RULES

ROOT = Path(__file__).resolve().parents[2]


def test_docs_rules_md_is_current(run_cli):
    result = run_cli("rules", "--format", "md")
    assert result.exit_code == 0
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == result.stdout, (
        "docs/rules.md is out of date: run `catalog-tools rules --format md -o docs/rules.md`")


def test_rules_json_lists_every_rule_with_both_messages(run_cli):
    doc = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [r["code"] for r in doc["rules"]] == list(RULES)
    tag = next(r for r in doc["rules"] if r["code"] == "tag_chars")
    assert tag["severity"] == "warning" and tag["scope"] == "record" and tag["group"] == "ckan"
    assert "ที่พัก/โรงแรม" in tag["bad"] and "CKAN ไม่รับ" in tag["message_th"]
    assert tag["implemented_by"] == "catalog_tools.rules.record.tag_chars"


def test_rules_text_and_group_filter(run_cli):
    text = run_cli("rules").stdout
    assert all(code in text for code in RULES)
    dates = run_cli("rules", "--group", "dates").stdout
    assert "date_order" in dates and "date_era" in dates and "tag_chars" not in dates
    assert run_cli("rules", "--group", "no-such-group").exit_code == 2


def test_config_switches_off_a_group_and_a_code(run_cli, examples: Path, tmp_path: Path):
    messy = examples / "tourism-messy.xlsx"
    before = json.loads(run_cli("validate", messy, "--format", "json").stdout)
    codes = {f["code"] for f in _all(before)}
    assert {"choice", "synonym", "maintainer_person"} <= codes
    cfg = tmp_path / "rules-off.yaml"
    cfg.write_text("ignore: [values, maintainer_person]\n", encoding="utf-8")
    after = json.loads(run_cli("validate", messy, "--format", "json", "--config", cfg).stdout)
    left = {f["code"] for f in _all(after)}
    assert left == codes - {"choice", "format", "synonym", "maintainer_person"}


def test_unknown_rule_in_config_is_one_line_exit_2(run_cli, examples: Path, tmp_path: Path):
    cfg = tmp_path / "typo.yaml"
    cfg.write_text("ignore: [maintainer_persons]\n", encoding="utf-8")
    result = run_cli("validate", examples / "tourism-messy.xlsx", "--config", cfg)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "maintainer_persons" in result.stderr and "Traceback" not in result.output
    assert "typo.yaml: at $.ignore: unknown rule or group 'maintainer_persons'" in result.stderr


def _all(doc: dict) -> list[dict]:
    out = list(doc["findings"])
    for d in doc["datasets"]:
        out += d["findings"]
        for r in d["resources"]:
            out += r["findings"]
    return out
