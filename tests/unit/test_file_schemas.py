"""Rubric, declarations and --config files are checked by JSON Schemas shipped in the package; an error
names the file, the place inside it and what was expected, on one line (exit 2 on the command line)."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from catalog_tools.filecheck import FILE_SCHEMAS, file_problem, file_schema
from catalog_tools.options import ValidationOptions
from catalog_tools.scoring import RubricError, available_fiscal_years, load_rubric
from catalog_tools.scoring.declarations import _KEYS

ROOT = Path(__file__).resolve().parents[2]
RUBRICS = ROOT / "catalog_tools" / "scoring" / "rubrics"


@pytest.mark.parametrize("name", FILE_SCHEMAS)
def test_each_file_schema_is_a_valid_json_schema(name: str):
    Draft202012Validator.check_schema(file_schema(name))


def test_shipped_files_fit_their_schemas():
    for fy in available_fiscal_years():
        path = RUBRICS / f"fy{fy}.yaml"
        assert file_problem(yaml.safe_load(path.read_text(encoding="utf-8")), "rubric", path.name) is None
    for path in (ROOT / "fixtures" / "declarations").glob("*.yaml"):
        assert file_problem(yaml.safe_load(path.read_text(encoding="utf-8")), "declarations", path.name) is None


def test_the_config_schema_lists_exactly_the_options():
    props = file_schema("config")["$defs"]["options"]["properties"]
    assert set(props) == {f.name for f in dataclasses.fields(ValidationOptions)}


def test_the_declarations_schema_invents_no_key():
    assert set(file_schema("declarations")["properties"]) <= set(_KEYS)


def test_a_wrong_type_in_a_config_file_is_one_line_with_file_and_path(run_cli, examples: Path, tmp_path: Path):
    cfg = tmp_path / "ตัวเลือก.yaml"
    cfg.write_text("validation:\n  check_person_names: ใช่\n", encoding="utf-8")
    result = run_cli("validate", examples / "tourism-template2-3.xlsx", "--config", cfg)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "ตัวเลือก.yaml" in result.stderr and "$.validation.check_person_names" in result.stderr
    assert "boolean" in result.stderr and "Traceback" not in result.output


def test_a_wrong_type_in_declarations_is_one_line_with_file_and_path(run_cli, examples: Path, tmp_path: Path):
    decl = tmp_path / "คำประกาศ.yaml"
    decl.write_text("fy: 2566\nutilization:\n  - dataset: DataSet_11_01\n    evidence: [รายงาน, แดชบอร์ด]\n", encoding="utf-8")
    result = run_cli("score", examples / "tourism-template2-3.xlsx", "--declarations", decl)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "คำประกาศ.yaml" in result.stderr and "$.utilization[0].evidence" in result.stderr


def test_a_wrong_type_in_a_rubric_names_the_place(tmp_path: Path):
    d = tmp_path / "rubrics"
    d.mkdir()
    for p in RUBRICS.glob("fy*.yaml"):
        shutil.copy(p, d / p.name)
    data = yaml.safe_load((RUBRICS / "fy2566.yaml").read_text(encoding="utf-8"))
    data["title_th"] = ["ตัวชี้วัด", "2566"]
    (d / "fy2566.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(2566, d)
    assert str(info.value).startswith("rubric fy2566.yaml: at $.title_th:") and "\n" not in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("- standard: '2.2'\n", "at $: [{'standard': '2.2'}] is not of type 'object'"),
    ("completness: present\n", "at $: Additional properties are not allowed ('completness' was unexpected)"),
    ("validation:\n  completeness: all\n", "at $.validation.completeness: 'all' is not one of ['conforming', 'present']"),
    ("license_rule: strict\n", "at $.license_rule: 'strict' is not one of ['warning', 'error', 'off']"),
    ("standard: '3.0'\n", "at $.standard: '3.0' is not one of ['2.2', '2.0']"),
    ("max_columns: 0\n", "at $.max_columns: 0 is less than the minimum of 1"),
    ("open_licenses: CC-BY\n", "at $.open_licenses: 'CC-BY' is not of type 'array', 'null'"),
    # the registry's codes and groups: checked by the code, named like the schema's errors
    ("validation:\n  ignore: [maintainer_persons]\n", "at $.validation.ignore: unknown rule or group 'maintainer_persons'"),
])
def test_bad_config_files_fail_with_one_line_naming_file_and_place(tmp_path: Path, text: str, message: str):
    from catalog_tools.options import OptionsError

    path = tmp_path / "ตัวเลือก.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OptionsError) as info:
        ValidationOptions.from_file(path)
    assert str(info.value).startswith("options file ") and "ตัวเลือก.yaml: " + message in str(info.value)
    assert "\n" not in str(info.value)


def test_open_format_levels_in_the_declarations_schema_are_the_scorings():
    from catalog_tools.scoring.openformat import LEVELS

    spec = file_schema("declarations")["properties"]["open_format"]["additionalProperties"]["anyOf"]
    assert spec[0]["enum"] == list(LEVELS) == spec[1]["properties"]["level"]["enum"]
