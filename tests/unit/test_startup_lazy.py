"""Start-up stays small: a command imports what it needs, the renderer table matches the renderers.

Measured figures live in benchmarks/bench_startup.py; these tests pin the structure that makes
them possible (no time is asserted).
"""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import EXAMPLES

_PROBE = r"""
import json, sys
from click.testing import CliRunner
import catalog_tools.cli as c
r = CliRunner().invoke(c.cli, sys.argv[1:])
heavy = ("catalog_tools.ckan", "catalog_tools.scoring", "openpyxl", "requests", "yaml", "rich", "catalog_tools.render.html",
         "catalog_tools.render.xlsx")
print(json.dumps({"exit": r.exit_code, "loaded": sorted(m for m in sys.modules if m.startswith(heavy))}))
"""


def _probe(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def test_validate_does_not_import_ckan_scoring_or_writers() -> None:
    got = _probe("validate", str(EXAMPLES / "opdc-worked-example.xlsx"))
    assert got == {"exit": 1, "loaded": []}


def test_other_commands_still_load_on_demand() -> None:
    got = _probe("score", "--fy", "2565", str(EXAMPLES / "opdc-worked-example.xlsx"))
    assert got["exit"] == 0 and "catalog_tools.scoring" in got["loaded"]
    assert _probe("--help")["exit"] == 0


def test_help_lists_every_command() -> None:
    from click.testing import CliRunner

    from catalog_tools.cli import cli
    text = CliRunner().invoke(cli, ["--help"]).output
    for name in ("validate", "score", "publish", "audit", "template", "rules", "fix", "serve"):
        assert f"  {name} " in text


def test_renderer_table_matches_the_renderers() -> None:
    from catalog_tools import render
    render.load_builtin()
    assert set(render.BUILTIN) == set(render.RENDERERS)


def test_package_names_resolve_lazily() -> None:
    import catalog_tools
    assert catalog_tools.validate_paths is catalog_tools.validate.validate_paths
    assert "Report" in dir(catalog_tools)
    try:
        catalog_tools.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("unknown attribute resolved")
