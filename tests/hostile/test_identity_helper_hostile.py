"""The identity rules' groups (duplicate ids and titles) found by a helper process.

With two processes, once a long run of datasets is in, a forked helper folds every id and title
and sends back the groups of duplicates while the parent reads on (``validate._Runs.start_identity``).
The report must be the one a single process makes, finding for finding, when the helper's groups
are used; when datasets come after it started (a later sheet or file); and whatever the helper
does — dies, hangs, tears its message, writes junk, or sends groups that cannot be the report's.
Each case runs in a fresh interpreter (tests/shard_support.py).
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from catalog_tools.validate import validate_paths
from tests.shard_support import as_data, in_fresh_process
from tests.varied_data import varied_workbook

ROWS = 2_900
SETTINGS = {"IDENTITY_MIN": 1_000, "SILENCE": 2.0}


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return varied_workbook(tmp_path_factory.mktemp("identity") / "ท่องเที่ยว-ซ้ำ.xlsx", ROWS, seed=2568)


def _codes(data: Any) -> list[str]:
    """Every finding's code: the whole input's (where duplicates are said) and each dataset's."""
    return [f["code"] for f in data[0]["findings"]] + [f["code"] for d in data[0]["datasets"] for f in d["findings"]]


def test_the_helpers_groups_make_the_same_report(varied: Path, serial: Any) -> None:
    assert {"duplicate_id", "duplicate_title"} <= set(_codes(serial))  # there is something to find
    got = in_fresh_process("validate", [str(varied)], settings=SETTINGS)
    assert got["identity_forks"] == 1 and got["same_groups_calls"] == 0  # the helper's groups were used
    assert got["data"] == serial
    assert got["no_child_left"]


def test_below_the_threshold_no_helper_is_asked(varied: Path, serial: Any) -> None:
    got = in_fresh_process("validate", [str(varied)], settings={"IDENTITY_MIN": ROWS + 1})
    assert got["identity_forks"] == 0 and got["same_groups_calls"] == 2
    assert got["data"] == serial


def test_datasets_read_after_the_helper_started(varied: Path, tmp_path: Path) -> None:
    """A CSV after the workbook adds datasets the helper never saw (one a duplicate of the workbook's)."""
    extra = tmp_path / "เพิ่มเติม.csv"
    with extra.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "owner_org"])
        w.writerow(["dataset_10_00002", "จำนวนนักท่องเที่ยว ชุดที่ 2 ภาคเหนือ", "กรมการท่องเที่ยว"])
        w.writerow(["DataSet_77_00001", "ชุดข้อมูลใหม่จาก CSV", "กรมการท่องเที่ยว"])
    serial = as_data(validate_paths([str(varied), str(extra)], jobs=1))
    got = in_fresh_process("validate", [str(varied), str(extra)], settings=SETTINGS)
    assert got["identity_forks"] == 1 and got["same_groups_calls"] == 2  # its groups were not the report's
    assert got["data"] == serial
    assert got["no_child_left"]


@pytest.mark.parametrize("fault", ["die", "hang", "junk", "torn", "out_of_range", "descending", "wrong_keys",
                                   "not_ints"])
def test_a_failing_helper_changes_nothing(varied: Path, serial: Any, fault: str) -> None:
    got = in_fresh_process("validate", [str(varied)], settings=SETTINGS, identity_fault=fault)
    assert got["identity_forks"] == 1 and got["same_groups_calls"] == 2  # the parent found the groups itself
    assert got["data"] == serial
    assert got["no_child_left"]
