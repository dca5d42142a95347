"""Outputs never overwrite inputs; inputs that would block are refused; outputs are whole or absent."""
from __future__ import annotations

import os
import resource
import signal
from pathlib import Path

import pytest

from catalog_tools.fileio import PathClash, atomic_write, check_paths

from .conftest import digest, leftovers, run_cmd


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html"])
def test_output_equal_to_input_is_refused(fmt: str, packages: Path) -> None:
    before = digest(packages)
    run = run_cmd("validate", packages, "--format", fmt, "-o", packages)
    assert run.one_line_error and "refusing to overwrite" in run.stderr and "ไม่เขียนทับ" in run.stderr
    assert digest(packages) == before


def test_xlsx_output_onto_the_second_input(workbook: Path, packages: Path) -> None:
    second = workbook.with_name("second.xlsx")
    second.write_bytes(workbook.read_bytes())
    before = digest(second)
    run = run_cmd("validate", workbook, second, "--format", "xlsx", "-o", second)
    assert run.one_line_error
    assert digest(second) == before


def test_hard_link_and_symlink_of_an_input(workbook: Path, tmp_path: Path) -> None:
    hard = tmp_path / "hard.xlsx"
    os.link(workbook, hard)
    soft = tmp_path / "soft.xlsx"
    soft.symlink_to(workbook)
    before = digest(workbook)
    for out in (hard, soft, tmp_path / "sub" / ".." / "tourism.xlsx"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        run = run_cmd("validate", workbook, "--format", "xlsx", "-o", out)
        assert run.one_line_error, (out, run.stderr)
    assert digest(workbook) == before


def test_score_declarations_and_config_are_inputs(workbook: Path, tmp_path: Path) -> None:
    decl = tmp_path / "declarations.yaml"
    decl.write_text("fy: 2566\nagency: กรมการท่องเที่ยว\n", encoding="utf-8")
    config = tmp_path / "options.yaml"
    config.write_text("validation:\n  license_rule: warning\n", encoding="utf-8")
    for target in (workbook, decl):
        before = digest(target)
        run = run_cmd("score", workbook, "--declarations", decl, "--format", "json", "-o", target)
        assert run.one_line_error, run.stderr
        assert digest(target) == before
    before = digest(config)
    run = run_cmd("validate", workbook, "--config", config, "-o", config)
    assert run.one_line_error and digest(config) == before


def test_publish_log_onto_an_input_is_refused_before_any_connection(workbook: Path) -> None:
    before = digest(workbook)
    # Port 9 on loopback: nothing is ever sent, the check comes before the client is made.
    run = run_cmd("publish", workbook, "--ckan", "http://127.0.0.1:9", "--log", workbook,
                  env={"CKAN_API_TOKEN": "tok-not-used"})
    assert run.one_line_error and "--log" in run.stderr
    assert digest(workbook) == before


def test_output_and_log_must_differ(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "publish.json"
    with pytest.raises(PathClash):
        check_paths([workbook], [("--output", out), ("--log", out)])


def test_dev_null_output_is_fine(packages: Path) -> None:
    run = run_cmd("validate", packages, "--format", "json", "-o", os.devnull)
    assert run.rc in (0, 1) and run.clean and run.stderr == ""


@pytest.mark.parametrize("option", [None, "--config", "--declarations"])
def test_fifo_input_is_refused_without_blocking(option: str | None, tmp_path: Path, workbook: Path) -> None:
    fifo = tmp_path / "catalog.csv"
    os.mkfifo(fifo)
    if option is None:
        args = ["validate", fifo]
    elif option == "--config":
        args = ["validate", workbook, "--config", fifo]
    else:
        args = ["score", workbook, "--fy", "2566", "--declarations", fifo]
    run = run_cmd(*args, timeout=30)  # before the fix this blocked forever; the timeout fails the test
    assert run.one_line_error and "FIFO" in run.stderr, run.stderr


def test_device_and_directory_inputs(tmp_path: Path) -> None:
    assert run_cmd("validate", "/dev/zero", timeout=30).one_line_error
    assert run_cmd("validate", tmp_path).one_line_error


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old report\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        with atomic_write(target) as fh:
            fh.write('{"title": "สถิตินักท่องเที่ยว')
            fh.write("\ud83d")  # a lone surrogate cannot be written as UTF-8
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert leftovers(tmp_path) == []


def test_atomic_write_keeps_mode_of_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("x", encoding="utf-8")
    target.chmod(0o640)
    with atomic_write(target) as fh:
        fh.write("ชุดข้อมูล\n")
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_text(encoding="utf-8") == "ชุดข้อมูล\n"


def _small_file_limit() -> None:
    """In the child: files may not grow beyond 4 KiB (as on a full disk), and writing past it fails with EFBIG."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


@pytest.mark.parametrize("fmt", ["xlsx", "json", "html"])
def test_disk_full_gives_one_line_and_no_partial_file(fmt: str, workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    run = run_cmd("validate", workbook, "--format", fmt, "-o", out, preexec_fn=_small_file_limit)
    assert run.one_line_error and run.clean, run.stderr
    assert not out.exists()
    assert leftovers(tmp_path) == []


def test_template_disk_full(tmp_path: Path) -> None:
    out = tmp_path / "blank.xlsx"
    run = run_cmd("template", "--out", out, preexec_fn=_small_file_limit)
    assert run.one_line_error and run.clean, run.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_output_into_missing_or_read_only_folder(packages: Path, tmp_path: Path) -> None:
    run = run_cmd("validate", packages, "--format", "json", "-o", tmp_path / "missing" / "r.json")
    assert run.one_line_error, run.stderr
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        run = run_cmd("validate", packages, "--format", "json", "-o", ro / "r.json")
        if os.geteuid() != 0:  # root writes anywhere; the point is one clean line when it cannot
            assert run.one_line_error, run.stderr
        assert run.clean
    finally:
        ro.chmod(0o700)


def test_newline_in_a_path_stays_one_line(tmp_path: Path) -> None:
    odd = tmp_path / "catalog\nERROR fake.csv"
    run = run_cmd("validate", odd)
    assert run.one_line_error, run.stderr
    assert "\\n" in run.stderr
