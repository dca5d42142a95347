"""The JSON documents of ``validate``, ``score``, ``publish --dry-run`` and ``audit`` on the shipped
fixtures, recorded once so that a refactoring can be checked against them as DATA.

Each case is a name and a function returning the parsed JSON document exactly as the command's
``--format json`` renderer writes it. ``tests/golden/<name>.json`` holds the recorded document;
``tests/acceptance/test_golden_outputs.py`` compares the current document with it, allowing only
ADDED keys (see :func:`compare`).

A deliberate, reviewed change of a value (say, a scoring-fidelity fix that changes a score) updates
the recording:

    .venv/bin/python -m tests.golden.outputs --update score-2566-tourism-fy2566   # one case
    .venv/bin/python -m tests.golden.outputs --update                             # every case
    git diff tests/golden/                                                        # review, then commit

and the commit says why the value changed. ``--check`` prints the differences without writing.

publish and audit run at library level against the in-memory CKAN of the tests (the real server's
ids and timestamps would change on every run); validate and score run through the command line.
"""
from __future__ import annotations

import datetime as dt

import argparse
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent
EX = "fixtures/examples"
DECL = "fixtures/declarations"


@contextmanager
def _in_root() -> Iterator[None]:
    """Run with the repository as working directory, so input paths in the JSON are relative."""
    before = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def _cli_json(*args: str) -> Any:
    from click.testing import CliRunner

    from catalog_tools.cli import cli

    with _in_root():
        result = CliRunner().invoke(cli, [*args, "--format", "json"], catch_exceptions=False,
                                    env={"CATALOG_TOOLS_PROGRESS": "0"})
    if result.exit_code not in (0, 1):
        raise AssertionError(f"catalog-tools {' '.join(args)} exited {result.exit_code}: {result.stderr}")
    return json.loads(result.stdout)


def _render_json(result: Any, kind: str) -> Any:
    from catalog_tools import render

    produced = render.get("json", kind).fn(result, lang="en", output=None)
    if isinstance(produced, str):
        return json.loads(produced)
    return json.loads(b"".join(c if isinstance(c, bytes) else c.encode("utf-8") for c in produced))  # text or UTF-8 chunks


def fake_catalog() -> Any:
    """The audit test catalogue: the clean tourism workbook published, plus a hand-entered private dataset."""
    from catalog_tools.ckan.publish import PublishOptions, publish_report
    from catalog_tools.validate import validate_paths
    from tests.fake_ckan import FakeCkan

    fake = FakeCkan()
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    fake.add_org("sports", "กรมพลศึกษา")
    with _in_root():
        publish_report(validate_paths([f"{EX}/tourism-template2-3.xlsx"]), fake, PublishOptions(fields="top-level"))
    fake.call_action("package_create", {
        "name": "stadium-list", "title": "รายชื่อสนามกีฬาจังหวัด", "owner_org": "sports", "private": True,
        "data_type": "ข้อมูลระเบียน", "maintainer": "กองสนามกีฬา", "maintainer_email": "stadium@dpe.go.th",
        "tags": [{"name": "สนามกีฬา"}], "notes": "รายชื่อและที่ตั้งสนามกีฬาประจำจังหวัด", "update_frequency_unit": "ปี",
        "geo_coverage": "จังหวัด", "data_source": "กองสนามกีฬา", "data_format": ["PDF"], "data_category": "ข้อมูลสาธารณะ",
        "license_id": "Open Data Common",
        "resources": [{"name": "รายชื่อสนาม (สแกน)", "url": "https://www.dpe.go.th/stadium.jpg", "format": "JPG"}]})
    return fake


def _publish_dry_run(workbook: str) -> Any:
    from catalog_tools.ckan.publish import PublishOptions, publish_report
    from catalog_tools.validate import validate_paths
    from tests.fake_ckan import FakeCkan

    fake = FakeCkan()
    fake.add_org("tourism", "กรมการท่องเที่ยว")
    with _in_root():
        report = validate_paths([f"{EX}/{workbook}"])
    return _render_json(publish_report(report, fake, PublishOptions(dry_run=True, fields="top-level")), "publish")


def _audit(fy: int) -> Any:
    from catalog_tools.ckan.audit import AuditOptions, audit_catalog

    # audits measure timeliness as of a date: pinned, so the recording does not change with the calendar
    return _render_json(audit_catalog(fake_catalog(), AuditOptions(fy=fy, page_size=2, as_of=dt.date(2026, 11, 30))),
                        "audit")


def _cases() -> dict[str, Callable[[], Any]]:
    cases: dict[str, Callable[[], Any]] = {}
    for name in ("tourism-template2-3.xlsx", "tourism-messy.xlsx", "tourism-fy2566.xlsx", "opdc-worked-example.xlsx",
                 "nso-gd-catalog-import.xlsx", "tourism-template2-cp874.csv", "ckan-package-search.json"):
        cases[f"validate-{Path(name).stem}"] = lambda name=name: _cli_json("validate", f"{EX}/{name}")
    cases["validate-standard-2.0-messy"] = lambda: _cli_json("validate", f"{EX}/tourism-messy.xlsx", "--standard", "2.0")
    cases["validate-formulas-merged-hidden"] = lambda: _cli_json("validate", "fixtures/bad/formulas-merged-hidden.xlsx")
    cases["score-2565-opdc-worked-example"] = lambda: _cli_json(
        "score", f"{EX}/opdc-worked-example.xlsx", "--fy", "2565", "--declarations", f"{DECL}/opdc-2565.yaml")
    cases["score-2566-tourism-fy2566"] = lambda: _cli_json(
        "score", f"{EX}/tourism-fy2566.xlsx", "--fy", "2566", "--declarations", f"{DECL}/tourism-2566.yaml")
    for fy in (2565, 2566):
        cases[f"score-{fy}-tourism-template2-3"] = lambda fy=fy: _cli_json(
            "score", f"{EX}/tourism-template2-3.xlsx", "--fy", str(fy), "--catalog-url", "https://catalog.tourism.go.th")
        cases[f"score-{fy}-tourism-messy"] = lambda fy=fy: _cli_json("score", f"{EX}/tourism-messy.xlsx", "--fy", str(fy))
        cases[f"audit-{fy}"] = lambda fy=fy: _audit(fy)
    cases["publish-dry-run-tourism-template2-3"] = lambda: _publish_dry_run("tourism-template2-3.xlsx")
    cases["publish-dry-run-tourism-messy"] = lambda: _publish_dry_run("tourism-messy.xlsx")
    return cases


CASES = _cases()


def compare(recorded: Any, current: Any, path: str = "$") -> list[str]:
    """Differences between the recorded and the current document, as ``path: what`` lines.

    Allowed: keys added to an object. Everything else is a difference: a key gone, a value
    changed, a list grown or shrunk, a type changed.
    """
    if isinstance(recorded, dict):
        if not isinstance(current, dict):
            return [f"{path}: was an object, now {type(current).__name__}"]
        out: list[str] = []
        for key, value in recorded.items():
            if key not in current:
                out.append(f"{path}.{key}: key removed")
            else:
                out.extend(compare(value, current[key], f"{path}.{key}"))
        return out
    if isinstance(recorded, list):
        if not isinstance(current, list):
            return [f"{path}: was a list, now {type(current).__name__}"]
        out = [] if len(recorded) == len(current) else [f"{path}: {len(recorded)} items, now {len(current)}"]
        for i, (a, b) in enumerate(zip(recorded, current)):
            out.extend(compare(a, b, f"{path}[{i}]"))
        return out
    if type(recorded) is not type(current) or recorded != current:
        return [f"{path}: {json.dumps(recorded, ensure_ascii=False)[:200]} → {json.dumps(current, ensure_ascii=False)[:200]}"]
    return []


def golden_path(name: str) -> Path:
    return GOLDEN / f"{name}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record or check the golden JSON outputs.")
    parser.add_argument("--update", action="store_true", help="write the current documents as the recording")
    parser.add_argument("--check", action="store_true", help="print differences, write nothing")
    parser.add_argument("names", nargs="*", help="case names (default: all)")
    args = parser.parse_args(argv)
    names = args.names or list(CASES)
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}; known: {', '.join(CASES)}")
    status = 0
    for name in names:
        doc = CASES[name]()
        if args.update:
            golden_path(name).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            print(f"recorded {name}")
        else:
            diffs = compare(json.loads(golden_path(name).read_text(encoding="utf-8")), doc)
            for line in diffs:
                print(f"{name}: {line}")
            status |= bool(diffs)
    return status


if __name__ == "__main__":
    sys.exit(main())
