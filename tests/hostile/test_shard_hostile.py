"""A helper process that fails in every way changes the time, never the report.

The helper (catalog_tools.shard) is made to die at once, die half way, tear its message, send
bytes that are no message, claim an absurd length, send results of other rows, hang after
claiming a block, and write to stdout and stderr. Each time the report equals the one a single
process makes, finding for finding, no helper is left behind, and the command prints nothing
of the helper's. Each case runs in a fresh interpreter (tests/shard_support.py). Inputs the
helper must never be used for (a sheet with a far cell, read from the file cell by cell) are
checked too.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from catalog_tools import shard
from catalog_tools.validate import validate_paths
from tests.hostile.conftest import ROOT, run_cmd
from tests.hostile.files import full_rows, sheet_xml, write_xlsx
from tests.shard_support import as_data, in_fresh_process
from tests.varied_data import varied_workbook

ROWS = 2_900  # and ROWS // 3 resources: fewer than START, so one helper (for the datasets) per run


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return varied_workbook(tmp_path_factory.mktemp("shard-hostile") / "ท่องเที่ยว-ผู้ช่วยพัง.xlsx", ROWS, seed=2567)


def _with_fault(varied: Path, serial: Any, fault: str, **settings: Any) -> dict[str, Any]:
    started = time.monotonic()
    got = in_fresh_process("validate", [str(varied)], fault=fault, settings=settings)
    assert got["forks"] == 1
    assert got["data"] == serial
    assert got["no_child_left"]
    assert time.monotonic() - started < 60
    return got


def test_a_helper_that_dies_at_once(varied: Path, serial: Any) -> None:
    assert _with_fault(varied, serial, "die_at_once")["decoded"] == 0


def test_a_helper_that_dies_half_way(varied: Path, serial: Any) -> None:
    # the parent waits for the helper (no stealing): it delivers two blocks, then is gone
    assert _with_fault(varied, serial, "die_half_way", STEAL_AT=1_000)["decoded"] == 2 * shard.BLOCK


def test_a_torn_message(varied: Path, serial: Any) -> None:
    assert _with_fault(varied, serial, "torn")["decoded"] == 0


def test_bytes_that_are_no_message(varied: Path, serial: Any) -> None:
    assert _with_fault(varied, serial, "junk")["decoded"] == 0


def test_an_absurd_length_is_not_waited_for(varied: Path, serial: Any) -> None:
    assert _with_fault(varied, serial, "absurd_length")["decoded"] == 0


def test_results_of_other_rows_are_not_used(varied: Path, serial: Any) -> None:
    got = _with_fault(varied, serial, "other_rows", STEAL_AT=1_000)
    assert got["decoded"] > 0 and got["taken"] == 0  # looked at, every one refused


def test_a_helper_that_hangs_after_claiming_a_block(varied: Path, serial: Any) -> None:
    started = time.monotonic()
    _with_fault(varied, serial, "hang", SILENCE=0.5)
    assert time.monotonic() - started < 30


def test_nothing_the_helper_prints_reaches_the_output(varied: Path, tmp_path: Path) -> None:
    """Through the real command: the helper writes to stdout and stderr; the output stays the report."""
    script = tmp_path / "noisy.py"
    script.write_text(
        "import sys\n"
        "from catalog_tools import shard\n"
        "from tests.shard_support import _install_fault\n"
        "_install_fault(shard, 'noisy')\n"
        "from catalog_tools.cli import run\n"
        "sys.argv = ['catalog-tools'] + sys.argv[1:]\n"
        "run()\n", encoding="utf-8")
    env = {**os.environ, "CATALOG_TOOLS_PROGRESS": "0", "PYTHONPATH": str(ROOT)}

    def go(jobs: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(script), "validate", str(varied), "--format", "json", "--jobs", jobs],
                              capture_output=True, env=env, timeout=120, cwd=ROOT)

    one, two = go("1"), go("2")
    assert one.returncode == two.returncode == 1
    assert b"LEAK" not in two.stdout and b"LEAK" not in two.stderr
    assert two.stdout == one.stdout and two.stderr == one.stderr == b""


def test_a_sheet_read_cell_by_cell_is_not_shared(tmp_path: Path) -> None:
    """A far cell (XFD1048576) sends the sheet to the bounded reader, which reads the file as it
    goes: its records are not resident, so no helper (which would share the file's position)."""
    rows = full_rows(2_500) + [(1_048_576, [(16_383, "ไกลสุดขอบ")])]
    path = write_xlsx(tmp_path / "ไกลสุดขอบ.xlsx", {"Template 2": sheet_xml(rows)})
    got = in_fresh_process("validate", [str(path)])
    assert got["forks"] == 0
    assert len(got["data"][0]["datasets"]) == 2_500
    assert got["data"] == as_data(validate_paths([str(path)], jobs=1))


def test_the_command_refuses_a_bad_jobs_value_in_one_line(varied: Path) -> None:
    for bad in ("0", "3", "สอง", "-1"):
        run = run_cmd("validate", varied, "--jobs", bad)
        assert run.rc == 2 and run.clean, (bad, run.stderr)
        assert "--jobs" in run.stderr
