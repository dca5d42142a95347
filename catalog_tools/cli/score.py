"""``catalog-tools score``: the Data Catalog KPI sub-scores of the datasets in PATH...

Parses options, validates the inputs (the same validator as ``validate``), calls
``score_report`` with the same validation options and renders the result.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from ..exitcodes import OK
from ..scoring import score_report
from ..scoring.reach import url_reachable
from . import cli
from .build import (ckan_errors, declarations, fiscal_year, http_url, require_readable, rubric_option_values,
                    validated_report, validation_options)
from .common import emit
from .options import OutputArgs, RubricArgs, ValidationArgs, output_options, rubric_options, standard_options


@dataclass(frozen=True, kw_only=True)
class ScoreArgs(RubricArgs, ValidationArgs, OutputArgs):
    paths: tuple[str, ...]
    catalog_url: str | None = None
    check_catalog_url: bool = False
    rubric_option: tuple[str, ...] = ()


def execute(args: ScoreArgs) -> int:
    decl = declarations(args.declarations)
    fy = fiscal_year(args.fy, args.rubric_dir, decl.fy)
    catalog_url = http_url(args.catalog_url, "--catalog-url")
    extra = rubric_option_values(args.rubric_option)
    options = validation_options(args)
    report = validated_report(args.paths, options, "score")
    require_readable(report)
    url = catalog_url or decl.catalog_url
    reachable = url_reachable(url) if args.check_catalog_url and url else None
    with ckan_errors():
        result = score_report(report, fy=fy, catalog_url=catalog_url, declarations=decl, options=extra,
                              catalog_reachable=reachable, rubric_dir=args.rubric_dir, validation=options)
    emit(result, "score", args.fmt, args.output, args.lang)
    return OK


@cli.command("score", short_help="Score Template 2/3 files against the Data Catalog KPI of a fiscal year.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@rubric_options(fy_default=None)
@click.option("--catalog-url", default=None, metavar="URL", help="The Agency Data Catalog URL (counts as declared).")
@click.option("--check-catalog-url", is_flag=True, help="Also check that the catalog URL answers (HEAD/GET, 10 s timeout).")
@click.option("--option", "-O", "rubric_option", multiple=True, metavar="NAME=VALUE",
              help="Change a rubric option, e.g. -O advanced_requires_standard=true (repeatable; see docs/scoring.md).")
@standard_options
@output_options("score")
def score_cmd(**parsed: Any) -> None:
    """Score the datasets in PATH... against the OPDC Data Catalog KPI of fiscal year --fy.

    Exit 0: scored; 2: an input could not be read, or bad usage / declarations / rubric.
    """
    raise SystemExit(execute(ScoreArgs(**parsed)))
