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
from typing import Any, Callable

from .model import DatasetResult, Report

ScoreFn = Callable[[Report], Any]


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
                       score: ScoreFn | None = None) -> dict[str, dict[str, Any]]:
    """Per organisation name: open, current and registered counts and shares, and its own score.

    ``current(d)`` says whether a dataset counts as current (the scoring's own test, so the
    column agrees with FY2567's score); percentages of current and registered are over the
    organisation's *open* datasets, as the KPI counts them.
    """
    groups: dict[str, list[DatasetResult]] = {}
    for d in report.datasets:
        groups.setdefault(org_key(d)[0], []).append(d)
    out: dict[str, dict[str, Any]] = {}
    for name, datasets in sorted(groups.items()):
        opened = [d for d in datasets if d.values.get("data_category") == public_category]
        cur = sum(1 for d in opened if current(d))
        reg = sum(1 for d in opened if d.gd_catalog is not None and d.gd_catalog.registered)
        measured = sum(1 for d in opened if d.timeliness is not None)
        known = sum(1 for d in opened if d.gd_catalog is not None)
        row: dict[str, Any] = {
            "open": len(opened),
            "open_complete": sum(1 for d in opened if d.complete),
            "current": cur if measured else None,
            "current_percent": _pct(cur, len(opened)) if measured else None,
            "registered": reg if known else None,
            "registered_percent": _pct(reg, len(opened)) if known else None,
        }
        if score is not None:
            sub = replace(report, datasets=datasets, findings=[], load_errors=[], extra={})
            result = score(sub)
            d = result.to_dict() if hasattr(result, "to_dict") else result
            row["score"] = {"total": d["total"], "total_display": d["total_display"], "grade": d.get("grade")}
        out[name] = row
    return out


def add_stats(rows: list[dict[str, Any]], stats: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The organisation rows with the stats merged in (existing keys kept: they are a contract)."""
    for row in rows:
        extra = stats.get(row["name"])
        if extra:
            for key, value in extra.items():
                row.setdefault(key, value)
    return rows


def mean_total(rows: list[dict[str, Any]]) -> Fraction | None:
    """The plain mean of the organisations' totals (for a portal-wide line; None without scores)."""
    totals = [Fraction(str(r["score"]["total"])) for r in rows if r.get("score")]
    return sum(totals, Fraction(0)) / len(totals) if totals else None
