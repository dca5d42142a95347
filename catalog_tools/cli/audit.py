"""``catalog-tools audit``: crawl a CKAN catalog, validate every dataset with the same rules, score it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..ckan.audit import AuditOptions, audit_catalog
from ..exitcodes import FINDINGS, OK
from ..gcpause import gc_paused
from . import cli
from .build import (as_of, check_reachable, ckan_errors, client, declarations, fiscal_year, gd_export_checked,
                    previous_report, validation_options)
from .common import CliError, emit, guard_paths
from .options import (CkanArgs, GdArgs, OutputArgs, RubricArgs, ValidationArgs, as_of_option, ckan_options,
                      compare_option, gd_options, output_options, rubric_options, standard_options)
from .progress import progress_reporter


@dataclass(frozen=True, kw_only=True)
class AuditArgs(CkanArgs, RubricArgs, ValidationArgs, GdArgs, OutputArgs):
    org: tuple[str, ...] = ()
    as_of: str | None = None
    cache: Path | None = None
    since: str | None = None
    compare: Path | None = None
    check_links: bool = False
    link_concurrency: int = 8
    link_timeout: float = 10.0
    page_size: int = 100
    max_datasets: int = 200_000
    content: bool = False
    verbose: bool = False


def execute(args: AuditArgs) -> int:
    """Audit and render with the cyclic collector paused throughout, as for validate and score
    (the audit itself pauses it; rendering the result walks the same objects)."""
    with gc_paused():
        return _audit(args)


def _audit(args: AuditArgs) -> int:
    guard_paths([args.config, args.declarations, args.token_file, args.gd_export, args.compare, args.cache],
                output=args.output)
    previous = previous_report(args.compare)
    gd_export_checked(args.gd_export)
    when = as_of(args.as_of)
    since = as_of(args.since, "--since").isoformat() if args.since else None  # type: ignore[union-attr]
    if since and args.cache is None:
        raise CliError("--since needs --cache FILE (datasets not listed are taken from the cache) — "
                       "--since ใช้ได้เมื่อระบุ --cache")
    if args.content:
        from ..quality.fetch import extra_missing

        if extra_missing():
            raise CliError(str(extra_missing()))
    options = validation_options(args)
    decl = declarations(args.declarations)
    fy = fiscal_year(args.fy, args.rubric_dir, decl.fy)
    ckan = client(args)
    check_reachable(ckan)
    aopts = AuditOptions(orgs=args.org, fy=fy, rubric_dir=args.rubric_dir, declarations=args.declarations,
                         check_links=args.check_links, link_concurrency=args.link_concurrency,
                         link_timeout=args.link_timeout, page_size=args.page_size, max_datasets=args.max_datasets,
                         validation=options, as_of=when, gd_catalog=args.gd_catalog, gd_harvester=args.gd_harvester,
                         gd_export=args.gd_export, cache=args.cache, since=since)
    with ckan_errors(org=", ".join(args.org) or None, url=ckan.url):
        with progress_reporter("audit") as progress:
            result = audit_catalog(ckan, aopts, progress=progress)
    if args.content:
        from ..quality.fetch import FetchOptions, default_cache_dir
        from ..quality.run import measure_report

        with progress_reporter("content") as progress:
            result.quality = measure_report(result.report, fetch=FetchOptions(cache_dir=default_cache_dir()),
                                            keep_metadata=True, progress=progress, ignore=options.ignored_codes()).quality
    if previous is not None:
        from ..compare import compare
        result.compare = compare(previous, result.to_dict())
    emit(result, args.fmt, args.output, args.lang, verbose=args.verbose)
    return FINDINGS if result.report.has_errors else OK


@cli.command("audit", short_help="Audit a live CKAN catalog: validate every dataset and score it.")
@ckan_options
@click.option("--org", multiple=True, metavar="NAME",
              help="Audit only this CKAN organization (name); repeat for several. Default: every organization.")
@rubric_options(fy_default=2566)
@click.option("--check-links", is_flag=True, help="Also check that every resource URL answers.")
@click.option("--link-concurrency", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Link checks at the same time.")
@click.option("--link-timeout", type=click.FloatRange(0.5, 120), default=10.0, show_default=True,
              help="Seconds for each resource URL in total (connecting, redirects, the answer).")
@click.option("--page-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Datasets per package_search page.")
@click.option("--max-datasets", type=click.IntRange(1, 10_000_000), default=200_000, show_default=True,
              help="Stop the crawl after this many datasets (the audit then says it is incomplete).")
@click.option("--content", is_flag=True,
              help="Also look inside every resource's file (as `catalog-tools quality`; downloads cached in ~/.cache/catalog-tools/content).")
@as_of_option
@gd_options
@click.option("--cache", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="SQLite file keeping fetched datasets: an interrupted audit resumes, a rerun fetches only what changed.")
@click.option("--since", default=None, metavar="DATE",
              help="With --cache: list only datasets modified on or after DATE; take the others from the cache.")
@compare_option
@standard_options
@output_options("audit")
@click.option("--verbose", "-v", is_flag=True, help="List every dataset, not only those with findings.")
def audit_cmd(**parsed: Any) -> None:
    """Audit every dataset of a CKAN catalog and score it with the Data Catalog KPI of --fy.

    Exit 0: no error findings; 1: error findings; 2: bad usage, a bad rubric or declarations file, or an
    unreachable server. Private datasets are included when the token (CKAN_API_TOKEN or --token-file) allows.
    """
    raise SystemExit(execute(AuditArgs(**parsed)))
