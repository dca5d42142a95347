"""``catalog-tools scheming-schema``: the schema the test CKAN is started with, for agencies to load."""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from catalog_tools.ckan.scheming import write_scheming_schema


def test_stdout_is_the_schema_the_test_ckan_loads(run_cli, tmp_path: Path):
    result = run_cli("scheming-schema")
    assert result.exit_code == 0
    written = write_scheming_schema(tmp_path / "thai_gdc.yaml")  # what tests/ckan_server starts CKAN with
    assert result.stdout == written.read_text(encoding="utf-8")
    data = yaml.safe_load(result.stdout)
    fields = {f["field_name"]: f for f in data["dataset_fields"]}
    assert fields["geo_coverage"]["preset"] == "select" and fields["title"]["label"]["th"]


def test_standard_and_output_file(run_cli, tmp_path: Path):
    out = tmp_path / "thai_gdc-2.0.json"
    assert run_cli("scheming-schema", "--standard", "2.0", "--format", "json", "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    licences_20 = {c["value"] for f in data["dataset_fields"] if f["field_name"] == "license_id" for c in f["choices"]}
    data22 = yaml.safe_load(run_cli("scheming-schema", "--standard", "2.2").stdout)
    licences_22 = {c["value"] for f in data22["dataset_fields"] if f["field_name"] == "license_id" for c in f["choices"]}
    assert "GNU Free Documentation License" in licences_20 - licences_22


def test_unwritable_output_is_one_line(run_cli, tmp_path: Path):
    result = run_cli("scheming-schema", "-o", tmp_path / "no-such-folder" / "schema.yaml")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.output
