"""Parsing, with execution mocked: each command fills its args object and calls execute(args) once.

Also: no command module imports another command module, and every command module is registered.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import catalog_tools.cli as cli_pkg
from catalog_tools.cli import audit, fix, publish, rules, scheming_schema, score, serve, template, validate

CLI_DIR = Path(cli_pkg.__file__).parent
COMMAND_MODULES = {"audit", "fix", "publish", "quality", "rules", "scheming_schema", "score", "serve", "template", "validate"}


@pytest.fixture
def captured(monkeypatch):
    def capture(module):
        seen: list = []
        monkeypatch.setattr(module, "execute", lambda args: seen.append(args) or 0)
        return seen

    return capture


def test_validate_parsing(run_cli, captured):
    seen = captured(validate)
    result = run_cli("validate", "บัญชีข้อมูล.xlsx", "extra.csv", "--standard", "2.0", "--ignore", "dates",
                     "--ignore", "tag_chars", "--format", "json", "-o", "out.json", "--lang", "th", "-v")
    assert result.exit_code == 0
    assert seen == [validate.ValidateArgs(paths=("บัญชีข้อมูล.xlsx", "extra.csv"), standard="2.0", ignore=("dates", "tag_chars"),
                                          fmt="json", output=Path("out.json"), lang="th", verbose=True)]


def test_score_parsing(run_cli, captured, tmp_path):
    seen = captured(score)
    result = run_cli("score", "tourism.xlsx", "--fy", "2566", "--rubric-dir", tmp_path, "-O", "min_datasets=5",
                     "--catalog-url", "https://catalog.tourism.go.th", "--check-catalog-url")
    assert result.exit_code == 0
    (args,) = seen
    assert (args.paths, args.fy, args.rubric_dir, args.rubric_option) == (("tourism.xlsx",), 2566, tmp_path, ("min_datasets=5",))
    assert args.catalog_url == "https://catalog.tourism.go.th" and args.check_catalog_url and args.fmt == "text"


def test_publish_parsing(run_cli, captured):
    seen = captured(publish)
    result = run_cli("publish", "tourism.xlsx", "--ckan", "https://catalog.tourism.go.th", "--org", "tourism",
                     "--dry-run", "--fields", "extras", "--standard", "2.0", "--retries", "0")
    assert result.exit_code == 0
    (args,) = seen
    assert (args.ckan_url, args.org, args.dry_run, args.fields, args.standard, args.retries) == (
        "https://catalog.tourism.go.th", "tourism", True, "extras", "2.0", 0)


def test_audit_parsing_default_year(run_cli, captured):
    seen = captured(audit)
    assert run_cli("audit", "--ckan", "https://catalog.tourism.go.th", "--check-links").exit_code == 0
    (args,) = seen
    assert args.fy == 2566 and args.check_links and args.rubric_dir is None and args.page_size == 100


def test_template_and_rules_parsing(run_cli, captured):
    seen_t = captured(template)
    seen_r = captured(rules)
    assert run_cli("template", "--out", "แม่แบบ.xlsx", "--layout", "nso").exit_code == 0
    assert run_cli("rules", "--format", "md", "--group", "dates").exit_code == 0
    assert seen_t == [template.TemplateArgs(Path("แม่แบบ.xlsx"), "nso", "2.2", False)]
    assert seen_r == [rules.RulesArgs("md", None, "dates")]


def test_fix_parsing(run_cli, captured):
    seen = captured(fix)
    assert run_cli("fix", "บัญชีข้อมูล.xlsx", "-o", "แก้แล้ว.xlsx", "--standard", "2.0", "--format", "json").exit_code == 0
    assert seen == [fix.FixArgs(path="บัญชีข้อมูล.xlsx", output=Path("แก้แล้ว.xlsx"), standard="2.0", fmt="json")]


def test_serve_parsing(run_cli, captured):
    seen = captured(serve)
    assert run_cli("serve", "--port", "8765", "--allowed-host", "catalog.tourism.go.th").exit_code == 0
    assert seen == [serve.ServeArgs(port=8765, allowed_hosts=("catalog.tourism.go.th",))]


def test_scheming_schema_parsing(run_cli, captured):
    seen = captured(scheming_schema)
    assert run_cli("scheming-schema", "--standard", "2.0", "-o", "thai_gdc.yaml").exit_code == 0
    assert seen == [scheming_schema.SchemingArgs(standard="2.0", output=Path("thai_gdc.yaml"))]


def test_bad_usage_never_reaches_execute(run_cli, captured):
    seen = captured(validate)
    assert run_cli("validate", "x.xlsx", "--standard", "3.0").exit_code == 2
    assert run_cli("validate").exit_code == 2
    assert seen == []


def test_no_command_module_imports_another():
    for name in COMMAND_MODULES:
        tree = ast.parse((CLI_DIR / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1
                     and node.module is None for alias in node.names}
        assert not (imported & COMMAND_MODULES), f"cli/{name}.py imports {imported & COMMAND_MODULES}"


def test_every_command_module_is_registered():
    modules = {p.stem for p in CLI_DIR.glob("*.py")} - {"__init__", "build", "common", "options", "progress"}
    assert modules == COMMAND_MODULES == set(cli_pkg._COMMANDS.values())
    cli_pkg.load_all()
    assert set(cli_pkg.cli.commands) == set(cli_pkg._COMMANDS)
