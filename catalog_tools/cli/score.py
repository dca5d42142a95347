"""``catalog-tools score``: the Data Catalog KPI sub-scores of the datasets in PATH...

Parses options, validates the inputs (the same validator as ``validate``), calls
``score_report`` and renders the result. Exit 0 when scored; 2 for an unreadable input,
bad usage, a bad declarations file or an unknown rubric option.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import yaml

from ..exitcodes import OK
from ..scoring import DeclarationsError, RubricError, available_fiscal_years, load_declarations, score_report
from . import cli
from ..gdcatalog import GdExportError, apply_gd_evidence
from ..timeliness import apply_timeliness
from .common import CliError, as_of_option, emit, guard_paths, output_options, resolve_as_of
from .validate import build_options, load_and_validate, standard_options


def parse_rubric_options(pairs: tuple[str, ...]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs; values are read as YAML (``true``, ``5``, ``[CSV, XLSX]``)."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--option needs NAME=VALUE, not {pair!r}")
        try:
            out[name.strip()] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            out[name.strip()] = raw
    return out


@cli.command("score", short_help="Score Template 2/3 files against the Data Catalog KPI (FY2565–FY2567).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--fy", type=int, default=None, metavar="YEAR",
              help="Fiscal year of the rubric (Buddhist Era: 2565, 2566). Default: 'fy' in the declarations file.")
@click.option("--catalog-url", default=None, metavar="URL", help="The Agency Data Catalog URL (counts as declared).")
@click.option("--check-catalog-url", is_flag=True, help="Also check that the catalog URL answers (HEAD/GET, 10 s timeout).")
@click.option("--declarations", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML/JSON file with what a program cannot see (focus area, uses, GD Catalog…); see docs/scoring.md.")
@click.option("--option", "-O", "rubric_options", multiple=True, metavar="NAME=VALUE",
              help="Change a rubric option, e.g. -O advanced_requires_standard=true (repeatable; see docs/scoring.md).")
@click.option("--rubric-dir", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="Read rubric files (fyYYYY.yaml) from this folder instead of the built-in ones.")
@as_of_option
@click.option("--gd-catalog", "gd_catalog", default=None, metavar="URL",
              help="GD Catalog's CKAN API: decide GD Catalog registration of open datasets from it (docs/gd-catalog.md).")
@click.option("--gd-harvester", "gd_harvester", default=None, metavar="URL",
              help="The GD Catalog harvester: ask its gdcatalog_published_state action (needs --catalog-url).")
@click.option("--gd-export", "gd_export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="An offline GD Catalog export (package_search JSON, JSON lines, or CSV with name/url).")
@standard_options
@output_options("score")
def score_cmd(paths: tuple[str, ...], fy: int | None, catalog_url: str | None, check_catalog_url: bool,
              declarations: Path | None, rubric_options: tuple[str, ...], rubric_dir: Path | None,
              as_of: str | None, gd_catalog: str | None, gd_harvester: str | None, gd_export: Path | None,
              standard: str | None, config: Path | None, completeness: str | None, ignore: tuple[str, ...],
              fmt: str, output: Path | None, lang: str | None) -> None:
    """Score the datasets in PATH... against the OPDC Data Catalog KPI of fiscal year --fy.

    Exit 0: scored; 2: an input could not be read, or bad usage / declarations.
    """
    guard_paths([*paths, config, declarations, gd_export], output=output)
    try:
        decl = load_declarations(declarations)
    except DeclarationsError as exc:
        raise CliError(str(exc)) from None
    fy = fy or decl.fy
    years = available_fiscal_years(rubric_dir)
    if fy is None:
        raise CliError(f"give --fy ({' or '.join(map(str, years))})")
    if fy not in years:
        raise CliError(f"no rubric for FY{fy}; available: {', '.join(map(str, years)) or 'none'}")
    if catalog_url is not None and not catalog_url.lower().startswith(("http://", "https://")):
        raise CliError(f"--catalog-url must be an http(s) URL, not {catalog_url!r}")
    extra = parse_rubric_options(rubric_options)
    options = build_options(standard, config, completeness, ignore)
    when = resolve_as_of(as_of)
    report = load_and_validate(paths, options, "score")
    if when is not None:
        apply_timeliness(report, when, ignore=options.ignored_codes())
    try:
        apply_gd_evidence(report, public_category=options.public_category, gd_catalog=gd_catalog,
                          gd_harvester=gd_harvester, gd_export=gd_export, site_url=catalog_url or decl.catalog_url)
    except GdExportError as exc:
        raise CliError(str(exc)) from None
    reachable = None
    url = catalog_url or decl.catalog_url
    if check_catalog_url and url:
        from ..scoring.reach import url_reachable
        reachable = url_reachable(url)
    try:
        result = score_report(report, fy=fy, catalog_url=catalog_url, declarations=decl, options=extra,
                              catalog_reachable=reachable, rubric_dir=rubric_dir, as_of=when)
    except (DeclarationsError, RubricError) as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:  # a rubric option with a bad value (e.g. share_targets)
        raise CliError(str(exc)) from None
    emit(result, "score", fmt, output, lang)
    raise SystemExit(OK)
