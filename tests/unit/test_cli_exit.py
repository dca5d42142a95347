"""The installed command ends at once after its work (``cli.run``): output flushed, status kept.

``run`` skips freeing what the command built (a large report is millions of objects) and the
interpreter's teardown. What a user sees must not change: every byte of the output, the exit
status of each outcome, nothing on stderr that was not said.
"""
from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest

from catalog_tools.cli import _exit_code, common
from tests.conftest import EXAMPLES, ROOT

ENV = {**os.environ, "CATALOG_TOOLS_PROGRESS": "0"}


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "catalog_tools", *args], capture_output=True, env=ENV, cwd=ROOT,
                          timeout=120)


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (1, 1), (2, 2), (130, 130), (258, 2), ("ข้อความ", 1)])
def test_exit_codes_are_those_sys_exit_gives(code: object, status: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code(code) == status
    if isinstance(code, str):
        assert code in capsys.readouterr().err


def test_results_are_kept_only_for_the_hard_exit(monkeypatch: pytest.MonkeyPatch) -> None:
    report = {"datasets": [{"id": "DataSet_11_01"}]}
    monkeypatch.setattr(common, "_KEPT", None)
    common.keep_until_exit(report)  # a library caller, a test: nothing kept
    assert common._KEPT is None
    kept: list = []
    monkeypatch.setattr(common, "_KEPT", kept)
    frozen = gc.get_freeze_count()
    try:
        common.keep_until_exit(report)
        assert kept == [report]
        assert gc.get_freeze_count() > frozen  # out of the collector's sight until the process ends
    finally:
        gc.unfreeze()


def test_the_whole_output_arrives_and_the_status_is_kept(run_cli) -> None:  # type: ignore[no-untyped-def]
    """Each outcome as the in-process command gives it (``main``, which returns normally)."""
    for args in (["validate", str(EXAMPLES / "opdc-worked-example.xlsx"), "--format", "json"],
                 ["validate", str(EXAMPLES / "tourism-messy.xlsx"), "--format", "csv"],
                 ["score", str(EXAMPLES / "tourism-fy2566.xlsx"), "--fy", "2566", "--format", "json"]):
        hard, normal = _run(*args), run_cli(*args)
        assert hard.returncode == normal.exit_code and hard.returncode in (0, 1)
        assert hard.stdout == normal.stdout_bytes and len(hard.stdout) > 1000
        assert hard.stderr == b""
    missing = _run("validate", "ไม่มีไฟล์นี้.xlsx")
    assert missing.returncode == 2 and missing.stderr.decode().count("\n") == 1
    usage = _run("validate")
    assert usage.returncode == 2 and b"Usage" in usage.stderr
