"""Data Catalog KPI scoring: the OPDC rubrics (one YAML file per fiscal year) applied to a validation report.

    from catalog_tools.scoring import score_report, load_declarations, available_fiscal_years
    result = score_report(validate_paths(paths), fy=2565, catalog_url="https://catalog.example.go.th")
    result.to_dict()  # {"version": 1, "fy": 2565, "items": [...], "levels": {...}, "total": 70.0, "fix_first": [...]}

Scoring uses the validator's results as they are (completeness, failed items, findings) and
never re-validates. docs/scoring.md documents the rubrics, every option and the declarations.
"""
from __future__ import annotations

from .declarations import Declarations, DeclarationsError, load_declarations, normalise_scope
from .engine import score_report
from .result import ScoreResult, round2
from .rubric import Rubric, RubricError, available_fiscal_years, load_rubric

__all__ = [
    "Declarations", "DeclarationsError", "Rubric", "RubricError", "ScoreResult", "available_fiscal_years",
    "load_declarations", "load_rubric", "normalise_scope", "round2", "score_report",
]
