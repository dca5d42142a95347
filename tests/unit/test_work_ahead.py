"""Work done ahead while an audit waits for CKAN's next page: timeliness and the open-format assessment.

An audit's datasets are settled page by page, and the audit waits for each next page anyway; it
measures each settled dataset then (``timeliness.Early``, ``FactsMemo.prepare``), so less is left
once the last page has come. The promise: the report and the score are exactly those made without
the work ahead — also when a dataset changed after it was measured, when the date, the ignored
codes, the options or the declarations differ, and whatever the order the pages come in.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from catalog_tools.ckan.audit import AuditOptions, audit_catalog
from catalog_tools.ckan.paging import pages
from catalog_tools.model import Report, ResourceResult
from catalog_tools.options import ValidationOptions
from catalog_tools.scoring import load_rubric, score_report
from catalog_tools.scoring.facts import FactsMemo
from catalog_tools.timeliness import Early, apply_timeliness
from catalog_tools.validate import validate_paths, validate_records
from tests.golden.outputs import fake_catalog

DECL = Path(__file__).resolve().parents[2] / "fixtures" / "declarations"
AS_OF = dt.date(2026, 11, 30)
PUBLIC = ValidationOptions().public_category  # the category the score treats as open


def _datasets(report: Report) -> list[dict[str, Any]]:
    return [d.to_dict() for d in report.datasets]


def _fresh(examples: Path) -> Report:
    return validate_paths([str(examples / "tourism-fy2566.xlsx")])


# -- timeliness measured ahead ---------------------------------------------------------------------

@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2024, 6, 30), dt.date(2020, 1, 1)])  # overdue, on time, future
def test_timeliness_measured_ahead_is_the_timeliness_measured_after(examples: Path, as_of: dt.date) -> None:
    plain, ahead = _fresh(examples), _fresh(examples)
    apply_timeliness(plain, as_of)
    early = Early(as_of)
    early.add(ahead.datasets)
    assert len(early) == len(ahead.datasets)
    apply_timeliness(ahead, as_of, early=early)
    assert len(early) == 0, "every measure made ahead was used"
    assert _datasets(ahead) == _datasets(plain)
    assert any(f.code in ("overdue", "date_in_future") for d in plain.datasets for f in d.findings)


def _change(report: Report) -> None:
    """A resource's values replaced (now updated last week), a resource attached later, and the
    dataset's values replaced (its frequency now: not updated after collection)."""
    first, second, third = report.datasets[:3]
    r = first.resources[0]
    first.resources[0] = replace(r, values={**r.values, "resource_last_updated_date": "2026-11-23"})
    second.resources.append(ResourceResult("ตารางสถิติรายเดือน (CSV)", "https://data.example.go.th/tourism/2569-11.csv",
                                           second.source, values={"resource_last_updated_date": "2026-11-29"}))
    third.values = {**third.values, "update_frequency_unit": "ไม่มีการปรับปรุงหลังจากการจัดเก็บข้อมูล"}


def test_a_dataset_changed_after_it_was_measured_is_measured_again(examples: Path) -> None:
    ahead = _fresh(examples)
    early = Early(AS_OF)
    early.add(ahead.datasets)
    _change(ahead)
    apply_timeliness(ahead, AS_OF, early=early)
    plain = _fresh(examples)
    _change(plain)
    apply_timeliness(plain, AS_OF)
    assert _datasets(ahead) == _datasets(plain)
    # the changes matter: the measures made before them said overdue (band 4) for all three
    assert [d.timeliness.status for d in ahead.datasets[:3]] == ["measured", "measured", "not_applicable"]
    assert [d.timeliness.band for d in ahead.datasets[:2]] == [0, 0]


def test_a_measure_made_for_another_date_or_other_ignored_codes_is_not_used(examples: Path) -> None:
    plain = _fresh(examples)
    apply_timeliness(plain, AS_OF)
    for early in (Early(dt.date(2020, 1, 1)), Early(AS_OF, ignore=frozenset({"overdue"}))):
        ahead = _fresh(examples)
        early.add(ahead.datasets)
        apply_timeliness(ahead, AS_OF, early=early)
        assert _datasets(ahead) == _datasets(plain)
    # and a scoring that measures without findings never takes findings made ahead
    quiet, early = _fresh(examples), Early(AS_OF)
    early.add(quiet.datasets)
    apply_timeliness(quiet, AS_OF, findings=False, early=early)
    assert not any(f.code == "overdue" for d in quiet.datasets for f in d.findings)


# -- the open-format assessment made ahead -------------------------------------------------------------

@pytest.mark.parametrize("fy", [2565, 2566, 2567])
@pytest.mark.parametrize("declarations", [None, DECL / "tourism-2566.yaml"])  # single source of truth, open_format
def test_assessments_made_ahead_give_the_very_score(examples: Path, fy: int, declarations: Path | None) -> None:
    report = _fresh(examples)
    apply_timeliness(report, AS_OF)
    memo = FactsMemo()
    memo.prepare(report.datasets, load_rubric(fy).resolve_options(None), PUBLIC)
    assert memo.ahead() == sum(1 for d in report.datasets if d.resources)
    got = score_report(report, fy=fy, declarations=declarations, memo=memo)
    assert memo.ahead() == 0, "every assessment made ahead was used or refused"
    assert got.to_dict() == score_report(report, fy=fy, declarations=declarations).to_dict()


def test_an_assessment_is_not_used_once_its_resources_changed(examples: Path) -> None:
    report = _fresh(examples)
    memo = FactsMemo()
    memo.prepare(report.datasets, load_rubric(2566).resolve_options(None), PUBLIC)
    before = score_report(report, fy=2566)
    for d in report.datasets:  # every file now a scanned PDF: the open-format level must fall
        d.resources[:] = [replace(r, values={**r.values, "format": "PDF"}) for r in d.resources]
    got = score_report(report, fy=2566, memo=memo)
    assert got.to_dict() == score_report(report, fy=2566).to_dict()
    assert got.open_format != before.open_format


def test_assessments_made_under_other_options_are_not_used(examples: Path) -> None:
    report = _fresh(examples)
    memo = FactsMemo()
    memo.prepare(report.datasets, load_rubric(2566).resolve_options({"open_formats": ["PDF"]}), PUBLIC)
    assert score_report(report, fy=2566, memo=memo).to_dict() == score_report(report, fy=2566).to_dict()


# -- where the work is done: while the next page is on its way ----------------------------------------

def test_idle_is_called_while_the_next_page_is_on_its_way_and_adds_no_request() -> None:
    items = [{"id": f"tourism-{i:03d}", "title": f"สถิตินักท่องเที่ยว ชุดที่ {i}"} for i in range(25)]
    calls: list[int] = []
    idled = threading.Event()
    seen_when_idle: list[int] = []
    got: list[str] = []

    def fetch(offset: int) -> list[dict[str, Any]]:
        calls.append(offset)
        if offset:  # the page ahead comes only once the caller has had its idle turn
            assert idled.wait(10), "idle was not called while the page was awaited"
            idled.clear()
        return items[offset:offset + 10]

    def idle() -> None:
        seen_when_idle.append(len(got))
        idled.set()

    for item in pages(fetch, key=lambda p: p["id"], page_size=10, max_pages=10, prefetch=True, idle=idle):
        got.append(item["id"])
    assert got == [p["id"] for p in items] and sorted(calls) == [0, 10, 20]
    assert seen_when_idle == [10, 20]  # after each whole page was handed out, before the next
    plain: list[int] = []

    def fetch_plain(offset: int) -> list[dict[str, Any]]:
        plain.append(offset)
        return items[offset:offset + 10]

    list(pages(fetch_plain, key=lambda p: p["id"], page_size=10, max_pages=10,
               idle=lambda: pytest.fail("no page is ever awaited without prefetch")))
    assert plain == [0, 10, 20]


def test_into_is_the_report_filled_and_must_be_empty(examples: Path) -> None:
    from catalog_tools.loaders import iter_path

    records = list(iter_path(str(examples / "tourism-fy2566.xlsx")))
    into = Report()
    got = validate_records(records, inputs=["tourism-fy2566.xlsx"], into=into)
    assert got is into and len(into.datasets) == 6 and into.inputs == ["tourism-fy2566.xlsx"]
    assert got.to_dict() == validate_records(records, inputs=["tourism-fy2566.xlsx"]).to_dict()
    with pytest.raises(ValueError, match="not empty"):
        validate_records(records, into=into)


def _no_work_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Early, "add", lambda self, datasets: None)
    monkeypatch.setattr(FactsMemo, "prepare", lambda self, datasets, options, public_category: None)


@pytest.mark.parametrize("fy", [2565, 2566, 2567])
def test_an_audit_with_work_ahead_is_the_audit_without(monkeypatch: pytest.MonkeyPatch, no_network: None, fy: int) -> None:
    """The fake catalogue's pages ahead wait until the audit has done its idle work, so the work
    ahead surely happens; the result must be the one of an audit that does none."""
    catalog = fake_catalog()
    options = AuditOptions(page_size=1, fy=fy, as_of=AS_OF)
    with monkeypatch.context() as m:
        _no_work_ahead(m)
        without = audit_catalog(catalog, options).to_dict()
    worked = threading.Event()
    measured: list[int] = []
    add, real = Early.add, catalog.call_action

    def add_and_say(self: Early, datasets: Any) -> None:
        datasets = list(datasets)
        measured.append(len(datasets))
        add(self, datasets)
        worked.set()

    def after_idle(action: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        if action == "package_search" and int((data or {}).get("start") or 0) > 0:
            assert worked.wait(10), "the audit did no work while a page was awaited"
            worked.clear()
        return real(action, data, **kw)

    monkeypatch.setattr(Early, "add", add_and_say)
    monkeypatch.setattr(catalog, "call_action", after_idle)
    result = audit_catalog(catalog, options)
    assert sum(measured) == len(result.report.datasets) - 1  # all but the last page's, measured after it
    assert result.to_dict() == without
