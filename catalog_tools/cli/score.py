"""``catalog-tools score``: the Data Catalog KPI sub-scores of the datasets in PATH...

Parses options, validates the inputs (the same validator as ``validate``), calls
``score_report`` with the same validation options and renders the result.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..exitcodes import OK
from ..gcpause import gc_paused
from ..gdcatalog import GdExportError, apply_gd_evidence
from ..scoring import score_report
from ..timeliness import apply_timeliness
from . import cli
from .build import (as_of, declarations, fiscal_year, http_url, previous_report, require_readable,
                    rubric_option_values, validated_report, validation_options)
from .common import CliError, emit, guard_paths
from .options import (GdArgs, JobsArgs, OutputArgs, RubricArgs, ValidationArgs, as_of_option, compare_option, gd_options,
                      jobs_option, output_options, rubric_options, standard_options)


@dataclass(frozen=True, kw_only=True)
class ScoreArgs(RubricArgs, ValidationArgs, JobsArgs, GdArgs, OutputArgs):
    paths: tuple[str, ...]
    catalog_url: str | None = None
    check_catalog_url: bool = False
    rubric_option: tuple[str, ...] = ()
    as_of: str | None = None
    compare: Path | None = None


def execute(args: ScoreArgs) -> int:
    """Validate, score and render; the cyclic collector stays paused throughout (as for validate):
    the report and the score are millions of young acyclic objects, and a collection between
    validating and scoring, and another after scoring, would each walk them all for nothing."""
    with gc_paused():
        return _score(args)


def _score(args: ScoreArgs) -> int:
    guard_paths([*args.paths, args.config, args.declarations, args.gd_export, args.compare], output=args.output)
    previous = previous_report(args.compare)
    decl = declarations(args.declarations)
    fy = fiscal_year(args.fy, args.rubric_dir, decl.fy)
    catalog_url = http_url(args.catalog_url, "--catalog-url")
    extra = rubric_option_values(args.rubric_option)
    options = validation_options(args)
    when = as_of(args.as_of)
    report = validated_report(args.paths, options, "score", args.jobs)
    require_readable(report)
    if when is not None:
        apply_timeliness(report, when, ignore=options.ignored_codes())
    url = catalog_url or decl.catalog_url
    try:
        apply_gd_evidence(report, public_category=options.public_category, gd_catalog=args.gd_catalog,
                          gd_harvester=args.gd_harvester, gd_export=args.gd_export, site_url=url)
    except GdExportError as exc:
        raise CliError(str(exc)) from None
    reachable: bool | None = None
    if args.check_catalog_url and url:
        from ..scoring.reach import url_reachable  # the HTTP stack only when a check is asked for

        reachable = url_reachable(url)
    shown: int | None = None
    if args.fmt == "text" and previous is None:  # the text lists the first fixes and counts the rest
        from ..render.score_text import FIXES_SHOWN
        shown = FIXES_SHOWN
    try:
        result = score_report(report, fy=fy, catalog_url=catalog_url, declarations=decl, options=extra,
                              catalog_reachable=reachable, rubric_dir=args.rubric_dir, as_of=when, validation=options,
                              fix_limit=shown)
    except ValueError as exc:  # a bad rubric, declarations or rubric option value (e.g. share_targets)
        raise CliError(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__) from None
    if previous is not None:
        from ..compare import compare
        current = {**result.to_dict(), **({"datasets": [d.to_dict() for d in report.datasets]}
                                          if "datasets" in previous else {})}
        result.compare = compare(previous, current)
    emit(result, args.fmt, args.output, args.lang)
    return OK


@cli.command("score", short_help="Score Template 2/3 files against the Data Catalog KPI of a fiscal year.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@rubric_options(fy_default=None)
@click.option("--catalog-url", default=None, metavar="URL", help="The Agency Data Catalog URL (counts as declared).")
@click.option("--check-catalog-url", is_flag=True, help="Also check that the catalog URL answers (HEAD/GET, 10 s timeout).")
@click.option("--option", "-O", "rubric_option", multiple=True, metavar="NAME=VALUE",
              help="Change a rubric option, e.g. -O advanced_requires_standard=true (repeatable; see docs/scoring.md).")
@as_of_option
@gd_options
@compare_option
@standard_options
@jobs_option
@output_options("score")
def score_cmd(**parsed: Any) -> None:
    """Score the datasets in PATH... against the OPDC Data Catalog KPI of fiscal year --fy.

    Exit 0: scored; 2: an input could not be read, or bad usage / declarations / rubric.
    """
    raise SystemExit(execute(ScoreArgs(**parsed)))
