"""Whole portals: one row per organisation, each scored on its own datasets.

An auditor who audits a whole catalog (``audit --ckan URL`` without ``--org``, or several
``--org``) needs to compare organisations: how many datasets, how many open, what share are
complete, current and registered on GD Catalog, and the KPI score and grade each organisation
would get on its own datasets. The score of an organisation is :func:`score_report` over a
report holding only its datasets (same rubric, same options; every dataset on the catalog counts
as uploaded) — so a row adds up exactly like a one-organisation audit of it.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import TYPE_CHECKING, Callable

from .model import DatasetResult, Report
from .results import OrgStats, OrgSummary

if TYPE_CHECKING:
    from .scoring.result import ScoreResult

ScoreFn = Callable[[Report], "ScoreResult"]


def org_key(d: DatasetResult) -> tuple[str, str]:
    """(name, title) of a dataset's organisation: CKAN's organization object, else owner_org."""
    org = (d.ckan or {}).get("organization") or {}
    name = org.get("name") if isinstance(org, dict) else None
    name = name or d.organization or "(none)"
    title = (org.get("title") if isinstance(org, dict) else None) or name
    return str(name), str(title)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 2) if whole else 0.0


def organisation_stats(report: Report, *, public_category: str, current: Callable[[DatasetResult], bool],
                       score: ScoreFn | None = None) -> dict[str, OrgStats]:
    """Per organisation name: open, current and registered counts and shares, and its own score.

    ``current(d)`` says whether a dataset counts as current (the scoring's own test, so the
    column agrees with FY2567's score); percentages of current and registered are over the
    organisation's *open* datasets, as the KPI counts them.
    """
    groups: dict[str, list[DatasetResult]] = {}
    for d in report.datasets:
        groups.setdefault(org_key(d)[0], []).append(d)
    from .scoring.result import grade, num, show

    out: dict[str, OrgStats] = {}
    for name, datasets in sorted(groups.items()):
        opened = [d for d in datasets if d.values.get("data_category") == public_category]
        cur = sum(1 for d in opened if current(d))
        reg = sum(1 for d in opened if d.gd_catalog is not None and d.gd_catalog.registered)
        measured = sum(1 for d in opened if d.timeliness is not None)
        known = sum(1 for d in opened if d.gd_catalog is not None)
        row = OrgStats(open=len(opened), open_complete=sum(1 for d in opened if d.complete),
                       current=cur if measured else None, current_percent=_pct(cur, len(opened)) if measured else None,
                       registered=reg if known else None,
                       registered_percent=_pct(reg, len(opened)) if known else None)
        if score is not None:
            sub = replace(report, datasets=datasets, findings=[], load_errors=[])
            total = score(sub).total
            row.score = {"total": num(total), "total_display": show(total), "grade": grade(total)}
        out[name] = row
    return out


def add_stats(rows: list[OrgSummary], stats: dict[str, OrgStats]) -> list[OrgSummary]:
    """The organisation rows with their stats attached (a row that already has stats keeps them)."""
    for row in rows:
        found = stats.get(row.name)
        if found is not None and row.stats is None:
            row.stats = found
    return rows


def mean_total(rows: list[OrgSummary]) -> Fraction | None:
    """The plain mean of the organisations' totals (for a portal-wide line; None without scores)."""
    totals = [Fraction(str(r.stats.score["total"])) for r in rows if r.stats is not None and r.stats.score]
    return sum(totals, Fraction(0)) / len(totals) if totals else None
