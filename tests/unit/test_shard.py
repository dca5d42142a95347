"""Validation on two processes (catalog_tools.shard) gives the report one process gives.

The workbook is the varied one (tests/varied_data.py): about 40 % of its 4,000 Template 2 rows
carry findings of many kinds, with duplicate ids, orphan resources and shared multi-choice lists.
Each case runs in a fresh interpreter (tests/shard_support.py) and also checks that the helper
really worked (a fork, results taken from it) or really did not (no fork), so an equality that
holds because nothing was shared cannot pass unnoticed. Failures of the helper itself (dying,
garbling, hanging) are in tests/hostile/test_shard_hostile.py.
"""
from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog_tools import shard
from catalog_tools.loaders import iter_path
from catalog_tools.model import RawRecord
from catalog_tools.validate import validate_paths
from scripts.make_fixtures import ORDER
from tests.conftest import ROOT
from tests.shard_support import as_data, in_fresh_process
from tests.varied_data import varied_workbook

ROWS = 4_000  # START (1,000) serial, then about a dozen blocks of 256 shared
RESOURCES = ROWS // 3  # Template 3: START serial, then two blocks (one partial) shared
RUNS = 2  # a helper for the datasets, one for the resources


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return varied_workbook(tmp_path_factory.mktemp("shard") / "ท่องเที่ยว-สี่พันชุด.xlsx", ROWS)


def test_two_processes_give_the_report_one_process_gives(varied: Path, serial) -> None:  # type: ignore[no-untyped-def]
    before = hashlib.sha256(varied.read_bytes()).hexdigest()
    got = in_fresh_process("validate", [str(varied)])
    assert got["forks"] == RUNS
    assert got["decoded"] > 0  # results the helpers validated were used
    assert got["data"] == serial
    assert len(got["data"][0]["datasets"]) == ROWS
    assert got["no_child_left"]
    assert hashlib.sha256(varied.read_bytes()).hexdigest() == before


def test_each_process_does_part_of_the_work(varied: Path) -> None:
    got = in_fresh_process("validate", [str(varied)])
    blocks = -(-(ROWS - shard.START) // shard.BLOCK) + -(-(RESOURCES - shard.START) // shard.BLOCK)
    assert got["taken"] + len(got["done_here"]) == blocks  # every block once: from a helper or from here
    assert got["taken"] > 0 and got["done_here"]
    assert (ROWS - shard.START - 1) // shard.BLOCK in got["done_here"]  # the partial last block is the parent's


def test_shared_list_values_stay_shared_and_read_only(varied: Path) -> None:
    one = in_fresh_process("validate", [str(varied)], jobs=1)["lists"]
    got = in_fresh_process("validate", [str(varied)])
    two = got["lists"]
    assert got["decoded"] > 0
    assert two["count"] == one["count"] > 1000 and two["shared_type"] == two["count"]
    # shared, not one list per record: at most one object per distinct list in each process
    assert two["objects"] <= 2 * one["objects"] < two["count"] / 10
    assert two["read_only"] == one["read_only"] == 1


def test_small_workbooks_and_streamed_files_are_never_shared(tmp_path: Path) -> None:
    small = varied_workbook(tmp_path / "เล็ก.xlsx", shard.START - 1)
    got = in_fresh_process("validate", [str(small)])
    assert got["forks"] == 0
    assert got["data"] == (as_data(validate_paths([str(small)], jobs=1)))
    # a CSV file is read as it is validated (not held in memory): its records are not resident
    rows = load_workbook(small, read_only=True)["Template 2"].iter_rows(values_only=True)
    data = [r for i, r in enumerate(rows) if i != 1]  # the header, not the hint row
    big_csv = tmp_path / "ท่องเที่ยว.csv"
    with big_csv.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(data[0])
        for i in range(3):  # three times over, with new ids: about 3,000 rows
            for r in data[1:]:
                w.writerow([f"{r[0]}_{i}" if r[0] else r[0], *r[1:]])
    got = in_fresh_process("validate", [str(big_csv)])
    assert got["forks"] == 0
    assert len(got["data"][0]["datasets"]) == 3 * (len(data) - 1)


def test_no_fork_while_another_thread_runs(varied: Path, serial) -> None:  # type: ignore[no-untyped-def]
    got = in_fresh_process("with_a_thread", [str(varied)])
    assert got["can_fork"] is False and got["forks"] == 0
    assert got["data"] == serial


def test_a_failed_fork_leaves_the_work_to_one_process(varied: Path, serial) -> None:  # type: ignore[no-untyped-def]
    got = in_fresh_process("fork_fails", [str(varied)])
    assert got["forks"] == RUNS and got["decoded"] == 0  # tried, refused by the system
    assert got["data"] == serial


def test_only_linux_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shard.sys, "platform", "darwin")
    assert shard.can_fork() is False
    assert shard.auto_jobs() == 1


def test_an_interrupt_stops_and_reaps_the_helper(varied: Path) -> None:
    got = in_fresh_process("interrupted", [str(varied)])
    assert got["interrupted"] and got["forks"] == 1
    assert got["no_child_left"]


def test_several_sheets_and_inputs_each_get_their_run(tmp_path: Path, varied: Path) -> None:
    """Two Template 2 sheets in one workbook, then a second workbook: three runs, in order."""
    wb = load_workbook(varied)
    copy = wb.copy_worksheet(wb["Template 2"])
    copy.title = "Template 2 (ชุดที่สอง)"
    for row in copy.iter_rows(min_row=3, max_col=1):
        if row[0].value:
            row[0].value = f"{row[0].value}_ข"
    wb.move_sheet(copy, offset=-1)  # before Template 3
    two = tmp_path / "สองแผ่นงาน.xlsx"
    wb.save(two)
    got = in_fresh_process("validate", [str(two), str(varied)])
    assert got["forks"] == 2 + RUNS + RUNS - 1  # two Template 2 sheets and a Template 3 in the first
    assert got["data"] == (as_data(validate_paths([str(two), str(varied)], jobs=1)))
    assert len(got["data"][0]["datasets"]) == 3 * ROWS
    # 12,000 datasets: the identity rules' groups found by a helper once the last run was in
    assert got["identity_forks"] == 1 and got["same_groups_calls"] == 0


def test_the_progress_bar_of_validation_draws_without_a_thread(varied: Path, serial) -> None:  # type: ignore[no-untyped-def]
    """A terminal bar (forced on) must not start a thread: a process is forked only while it has one."""
    got = in_fresh_process("progress_bar", [str(varied)])
    assert got["threads_during"] == 1 and got["forks"] == RUNS
    assert got["data"] == serial
    assert got["threads_other_bar"] == 2  # other work keeps its refreshing bar


def test_the_command_writes_the_same_bytes_with_one_or_two(varied: Path) -> None:
    env = {**os.environ, "CATALOG_TOOLS_PROGRESS": "0"}

    def run(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "catalog_tools", "validate", str(varied), "--format", "json", *extra],
                              capture_output=True, env=env, cwd=ROOT, timeout=120)

    one, two, default = run("--jobs", "1"), run("--jobs", "2"), run()
    assert one.returncode == two.returncode == default.returncode == 1
    assert one.stdout == two.stdout == default.stdout and len(one.stdout) > 100_000
    assert one.stderr == two.stderr == b""


def test_resident_marks_only_the_fast_readers_sheets(varied: Path, tmp_path: Path) -> None:
    recs = [r for r in iter_path(str(varied)) if isinstance(r, RawRecord)]
    assert recs and all(r.resident for r in recs)
    csv_path = tmp_path / "หนึ่งแถว.csv"
    csv_path.write_text(",".join(ORDER) + "\nDataSet_10_00001,ข้อมูลสถิติ,จำนวนนักท่องเที่ยว\n", encoding="utf-8")
    assert not any(r.resident for r in iter_path(str(csv_path)) if isinstance(r, RawRecord))


def test_shared_resources_attached_on_arrival_and_at_the_end(tmp_path: Path, varied: Path) -> None:
    """Template 3 rows whose datasets are known on arrival (attached as they come), then an orphan
    late in the shared part, after which every resource waits for the end: both placements of
    helper-validated resources, with the dataset their findings name set as one process sets it."""
    wb = load_workbook(varied)
    ids = [r[0].value for r in wb["Template 2"].iter_rows(min_row=3, max_col=1) if r[0].value]
    known = set(ids)
    t3 = wb["Template 3"]
    for row in list(t3.iter_rows(min_row=3, values_only=True)):  # twice as many resources
        t3.append(row)
    typo_at = shard.START + 4 * shard.BLOCK + 10
    for n, row in enumerate(t3.iter_rows(min_row=3, max_col=1)):
        if n == typo_at:
            row[0].value = "DataSet_99_1O"  # a typo: no such dataset
        elif row[0].value not in known:
            row[0].value = ids[n % len(ids)].lower() if n % 7 == 0 else ids[n % len(ids)]  # some match only folded
    path = tmp_path / "ทรัพยากรครบ.xlsx"
    wb.save(path)
    got = in_fresh_process("validate", [str(path)], settings={"STEAL_AT": 1_000})
    assert got["forks"] == RUNS
    assert got["decoded_kinds"].get("ResourceResult", 0) > 0  # resource results came from a helper
    assert got["data"] == as_data(validate_paths([str(path)], jobs=1))
    report = got["data"][0]
    attached = [r for d in report["datasets"] for r in d["resources"]]
    assert len(attached) == 2 * RESOURCES - 1
    assert [f["code"] for f in report["findings"]].count("orphan_resource") == 1


def test_a_helper_is_signalled_and_reaped_once() -> None:
    """Stopping twice (the end of a run, then the clean-up) must not signal the process id again:
    once reaped, the system may give it to another process."""
    helper = shard.fork_helper(lambda send: time.sleep(30))
    assert helper is not None
    pid = helper.pid
    helper.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone and reaped
    killed: list[int] = []
    real_kill = os.kill
    try:
        os.kill = lambda p, sig: killed.append(p)  # type: ignore[assignment]
        helper.stop()
    finally:
        os.kill = real_kill
    assert killed == [] and helper.pid == 0
