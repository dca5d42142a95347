"""Typed results of the commands that add to a validation report: ``audit`` and ``quality``.

A validation :class:`~catalog_tools.model.Report` is the base; an audit adds the crawl facts, the
organisations table and the KPI score, a quality run adds the content summary. Each addition is a
named, typed field (not a free-form dict), so a renderer reads ``result.score`` knowing it is a
``ScoreResult``. ``to_dict_head()`` / ``to_dict()`` give the JSON document: the report's keys, then
the added ones in a fixed order — the same bytes the versioned JSON API (``version: 1``) always
had, so scripts reading it keep working.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Report, _jsonable

if TYPE_CHECKING:
    from .scoring.result import ScoreResult


@dataclass(slots=True)
class CrawlFacts:
    """What the crawl of a CKAN catalog really did: how, how far, and whether it saw everything.

    ``complete`` is None when the catalog reported no count (the older listing action), so
    "complete" is never claimed without a number to check it against.
    """

    ckan: str
    organization: str | None
    method: str | None
    pages: int
    private_included: bool
    datasets: int
    count_reported: int | None
    complete: bool | None
    stopped: str | None
    links: dict[str, Any]
    organizations_requested: list[str]
    as_of: str
    gd_catalog: dict[str, int] | None = None
    cache: list[dict[str, Any]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ckan": self.ckan, "organization": self.organization, "method": self.method, "pages": self.pages,
                "private_included": self.private_included, "datasets": self.datasets,
                "count_reported": self.count_reported, "complete": self.complete, "stopped": self.stopped,
                "links": self.links, "organizations_requested": list(self.organizations_requested),
                "as_of": self.as_of, "gd_catalog": self.gd_catalog, "cache": self.cache}


@dataclass(slots=True)
class OrgStats:
    """Open, current and registered counts of one organisation, and its own score (portal.py).

    ``current``/``registered`` are None when nothing was measured (no timeliness, no GD Catalog
    evidence): "0 registered" would claim a fact nobody checked.
    """

    open: int
    open_complete: int
    current: int | None
    current_percent: float | None
    registered: int | None
    registered_percent: float | None
    score: dict[str, Any] | None = None  # {"total", "total_display", "grade"} when scored

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"open": self.open, "open_complete": self.open_complete, "current": self.current,
                               "current_percent": self.current_percent, "registered": self.registered,
                               "registered_percent": self.registered_percent}
        if self.score is not None:
            out["score"] = self.score
        return out


@dataclass(slots=True)
class OrgSummary:
    """One row of the audit's organisations table (counts over the organisation's datasets)."""

    name: str
    title: str
    datasets: int = 0
    complete: int = 0
    private: int = 0
    resources: int = 0
    open_format_resources: int = 0
    datastore_resources: int = 0
    broken_links: int = 0
    errors: int = 0
    warnings: int = 0
    incomplete: list[str | None] = field(default_factory=list)
    complete_percent: float = 0.0
    stats: OrgStats | None = None  # added when the audit scores every organisation (org_scores)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "title": self.title, "datasets": self.datasets, "complete": self.complete,
            "private": self.private, "resources": self.resources, "open_format_resources": self.open_format_resources,
            "datastore_resources": self.datastore_resources, "broken_links": self.broken_links, "errors": self.errors,
            "warnings": self.warnings, "incomplete": list(self.incomplete), "complete_percent": self.complete_percent,
        }
        if self.stats is not None:
            out.update(self.stats.to_dict())
        return out


@dataclass(slots=True)
class AuditResult:
    """``audit``: the validation report of every dataset crawled, plus what only an audit knows."""

    report: Report
    organizations: list[OrgSummary]
    crawl: CrawlFacts
    score: ScoreResult
    quality: dict[str, Any] | None = None  # ``audit --content``: the content summary (quality.run.summary)
    compare: dict[str, Any] | None = None  # ``--compare``: what changed since a previous report

    def to_dict_head(self) -> dict[str, Any]:
        """The report's head, then organizations, audit, score (, quality, compare): ``datasets`` stays a placeholder."""
        out = self.report.to_dict_head()
        out["organizations"] = _jsonable([o.to_dict() for o in self.organizations])
        out["audit"] = _jsonable(self.crawl.to_dict())
        out["score"] = _jsonable(self.score.to_dict())
        if self.quality is not None:
            out["quality"] = _jsonable(self.quality)
        if self.compare is not None:
            out["compare"] = _jsonable(self.compare)
        return out

    def to_dict(self) -> dict[str, Any]:
        out = self.to_dict_head()
        out["datasets"] = [d.to_dict() for d in self.report.datasets]
        return out


@dataclass(slots=True)
class QualityResult:
    """``quality``: the report of the resources measured, the content summary, and the optional KPI score.

    ``ckan`` names the catalog measured (url, organization, datasets) when the input was a
    catalog rather than files; ``score`` is there with ``--fy``.
    """

    report: Report
    quality: dict[str, Any]
    ckan: dict[str, Any] | None = None
    score: ScoreResult | None = None

    def to_dict_head(self) -> dict[str, Any]:
        out = self.report.to_dict_head()
        if self.ckan is not None:
            out["ckan"] = _jsonable(self.ckan)
        out["quality"] = _jsonable(self.quality)
        if self.score is not None:
            out["score"] = _jsonable(self.score.to_dict())
        return out

    def to_dict(self) -> dict[str, Any]:
        out = self.to_dict_head()
        out["datasets"] = [d.to_dict() for d in self.report.datasets]
        return out
