"""The README's promises hold: its two commands are what CI runs, its examples run as shown."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command() -> None:
    assert "bash scripts/test.sh" in README and "bash scripts/setup.sh" in README
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_library_example_gives_the_numbers_it_shows() -> None:
    block = README.split("## As a library", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    shown_summary = re.search(r"report\.summary\(\)\s+# (\{.*\})", block).group(1)
    shown_total = re.search(r'\["total"\]\s+# ([\d.]+)', block).group(1)
    code = "\n".join(line.split("  #")[0] for line in block.splitlines()
                     if line.strip() and not line.lstrip().startswith(("for ", "...")))
    scope: dict = {}
    import os
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    finally:
        os.chdir(cwd)
    assert str(scope["report"].summary()) == shown_summary
    assert scope["score"].to_dict()["total"] == float(shown_total)


def test_readme_example_commands_on_shipped_data_run(run_cli) -> None:
    commands = [line.strip() for line in README.splitlines() if line.strip().startswith("catalog-tools score fixtures/")]
    assert len(commands) == 3
    for line in commands:
        args = shlex.split(line)[1:]
        result = run_cli(*[str(ROOT / a) if a.startswith("fixtures/") else a for a in args])
        assert result.exit_code == 0, result.output
        assert "Total:" in result.stdout or "คะแนนรวม" in result.stdout
