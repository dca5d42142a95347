"""Typed results: audit and quality results keep the JSON keys (and their order) of the versioned API,
and the renderers are found from the result's type."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from catalog_tools import render
from catalog_tools.ckan.audit import AuditOptions, audit_catalog
from catalog_tools.model import Report
from catalog_tools.results import AuditResult, CrawlFacts, OrgStats, OrgSummary, QualityResult
from tests.golden.outputs import fake_catalog

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


@pytest.fixture(scope="module")
def audit() -> AuditResult:
    return audit_catalog(fake_catalog(), AuditOptions(fy=2566, page_size=2, as_of=dt.date(2026, 11, 30)))


def test_audit_returns_typed_parts(audit: AuditResult) -> None:
    from catalog_tools.scoring.result import ScoreResult

    assert isinstance(audit.report, Report) and isinstance(audit.score, ScoreResult)
    assert isinstance(audit.crawl, CrawlFacts) and audit.crawl.datasets == 4 and audit.crawl.complete is True
    sports, tourism = audit.organizations
    assert (sports.name, tourism.name, tourism.title) == ("sports", "tourism", "กรมการท่องเที่ยว")
    assert sports.incomplete == ["stadium-list"] and sports.private == 1
    assert isinstance(tourism.stats, OrgStats) and tourism.stats.open == 3


def test_audit_json_keys_in_the_recorded_order(audit: AuditResult) -> None:
    """The document's keys, the crawl facts' keys and an organisation row's keys, in the recorded order."""
    recorded = json.loads((GOLDEN / "audit-2566.json").read_text(encoding="utf-8"))
    doc = audit.to_dict()
    assert list(doc) == list(recorded) == ["version", "standard", "inputs", "datasets", "findings", "summary",
                                           "organizations", "audit", "score"]
    assert list(audit.crawl.to_dict()) == list(recorded["audit"]) == [
        "ckan", "organization", "method", "pages", "private_included", "datasets", "count_reported", "complete",
        "stopped", "links", "organizations_requested", "as_of", "gd_catalog", "cache"]
    assert [list(o) for o in doc["organizations"]] == [list(o) for o in recorded["organizations"]]
    from tests.golden.outputs import compare
    assert compare(recorded, json.loads(json.dumps(doc, ensure_ascii=False))) == []


def test_added_parts_come_after_the_score_in_a_fixed_order(audit: AuditResult) -> None:
    import dataclasses

    more = dataclasses.replace(audit, quality={"resources": 5}, compare={"previous": "2566-10"})
    assert list(more.to_dict())[-3:] == ["score", "quality", "compare"]
    assert "quality" not in audit.to_dict() and "compare" not in audit.to_dict()


def test_org_summary_without_stats_has_only_the_table_columns() -> None:
    row = OrgSummary("tourism", "กรมการท่องเที่ยว", datasets=3, complete=2, incomplete=["dataset_11_03"],
                     complete_percent=66.67)
    assert list(row.to_dict()) == ["name", "title", "datasets", "complete", "private", "resources",
                                   "open_format_resources", "datastore_resources", "broken_links", "errors",
                                   "warnings", "incomplete", "complete_percent"]
    row.stats = OrgStats(open=2, open_complete=2, current=None, current_percent=None, registered=None,
                         registered_percent=None)
    assert list(row.to_dict())[13:] == ["open", "open_complete", "current", "current_percent", "registered",
                                        "registered_percent"]  # no score: the organisation was not scored


def test_quality_result_keys() -> None:
    report = Report(inputs=["https://catalog.tourism.go.th"])
    plain = QualityResult(report, {"resources": 0})
    assert list(plain.to_dict()) == ["version", "standard", "inputs", "datasets", "findings", "summary", "quality"]
    source = QualityResult(report, {"resources": 0}, ckan={"url": "https://catalog.tourism.go.th",
                                                          "organization": "tourism", "datasets": 0})
    assert list(source.to_dict())[-2:] == ["ckan", "quality"]


# -- renderers found from the result's type ---------------------------------------------------------

def test_every_result_type_finds_its_renderers(audit: AuditResult) -> None:
    from catalog_tools.ckan.publish import PublishResult
    from catalog_tools.rules import RULES, RuleListing

    results = {
        "validate": audit.report, "score": audit.score, "audit": audit,
        "quality": QualityResult(audit.report, {"resources": 0}),
        "publish": PublishResult(ckan_url="https://catalog.tourism.go.th", dry_run=True),
        "rules": RuleListing(tuple(RULES.values())[:2]),
    }
    assert set(results) == set(render.KIND_OF_TYPE.values())
    for kind, result in results.items():
        assert render.kind_of(result) == kind
        for fmt in render.formats_for(kind):
            renderer = render.for_result(fmt, result)
            assert renderer.name == fmt and kind in renderer.kinds


def test_every_named_result_type_exists() -> None:
    """The table names types (to keep start-up light): each name must still be a real class."""
    import importlib

    for name in render.KIND_OF_TYPE:
        module, _, cls = name.rpartition(".")
        assert isinstance(getattr(importlib.import_module(module), cls), type), name


def test_a_subclass_finds_its_base_renderers() -> None:
    class Annotated(Report):
        pass

    assert render.kind_of(Annotated()) == "validate"


def test_an_unknown_result_type_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match=r"no renderer knows a builtins\.dict result \(known: .*AuditResult"):
        render.kind_of({"total": 70})
    with pytest.raises(LookupError, match="format 'xlsx' cannot render a score result"):
        render.for_result("xlsx", _score())


def _score():  # a real score of a real workbook
    from catalog_tools.scoring import score_report
    from catalog_tools.validate import validate_paths
    from tests.conftest import EXAMPLES

    return score_report(validate_paths([str(EXAMPLES / "opdc-worked-example.xlsx")]), fy=2565)


def test_json_of_each_result_is_its_to_dict(audit: AuditResult) -> None:
    for result in (audit, audit.report, audit.score):
        produced = render.for_result("json", result).fn(result)
        # chunks are bytes as orjson wrote them, or text when a secret is to be redacted
        text = produced if isinstance(produced, str) else "".join(
            c.decode("utf-8") if isinstance(c, bytes) else c for c in produced)
        assert json.loads(text) == json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
