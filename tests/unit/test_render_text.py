"""The terminal text report: each dataset's lines are ``render_dataset``'s, whichever path wrote them.

``render_text`` writes the commonest dataset of a large report (one finding, no resources) inline;
these tests hold it to the general function for every kind of dataset: one error or one warning,
complete or not, without an id, with resources, verbose or not, in Thai and in English.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from catalog_tools.model import Report
from catalog_tools.render.text import render_dataset, render_text
from catalog_tools.validate import validate_paths

_EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


def _expected(report: Report, lang: str, verbose: bool) -> list[str]:
    """The dataset lines as ``render_dataset`` writes each (a clean dataset without findings: one line)."""
    label = "รายการครบ" if lang == "th" else "items"
    out: list[str] = []
    for d in report.datasets:
        if verbose or d.findings or any(r.findings for r in d.resources) or not d.complete:
            out += render_dataset(d, lang, verbose=verbose)
        else:
            out.append(f"✓ {d.id}  {d.title or ''}  — 14/14 {label}")
    return out


def _varied() -> Report:
    report = validate_paths([str(_EXAMPLES / "tourism-messy.xlsx"), str(_EXAMPLES / "tourism-template2-3.xlsx")])
    extra = []
    for d in report.datasets:
        errors = [f for f in d.all_findings() if f.is_error]
        warnings = [f for f in d.findings if not f.is_error]
        for one in (errors[:1], warnings[:1]):
            if one:
                for complete in (True, False):
                    e = copy.copy(d)
                    e.findings, e.resources, e.complete = list(one), [], complete
                    extra.append(e)
        if warnings:
            e = copy.copy(d)
            e.findings, e.id, e.resources = warnings[:1], None, []
            extra.append(e)
    report.datasets += extra
    return report


@pytest.mark.parametrize("lang", ["th", "en"])
@pytest.mark.parametrize("verbose", [False, True])
def test_every_dataset_is_written_as_render_dataset_writes_it(lang: str, verbose: bool) -> None:
    report = _varied()
    kinds = {(len(d.findings), bool(d.resources), d.complete, d.findings[0].is_error if d.findings else None,
              d.id is None) for d in report.datasets}
    assert {(1, False, True, True, False), (1, False, False, False, False), (1, False, True, False, True)} <= kinds
    assert any(d.resources for d in report.datasets)
    text = render_text(report, lang=lang, verbose=verbose)
    lines = text.split("\n")
    expected = _expected(report, lang, verbose)
    assert lines[:len(expected)] == expected
    assert "(no id)" in text and "✗" in text
