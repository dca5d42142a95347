"""``catalog-tools audit``: crawl a CKAN catalog, validate every dataset with the same rules, score it."""
from __future__ import annotations

from pathlib import Path

import click

from ..ckan.audit import AuditOptions, audit_catalog
from ..ckan.client import CkanError, CkanUnreachable
from ..exitcodes import FINDINGS, OK
from . import cli
from .common import CliError, emit, guard_paths, output_options
from .progress import progress_reporter
from .publish import check_reachable, ckan_options, make_client
from .validate import build_options, standard_options


@cli.command("audit", short_help="Audit a live CKAN catalog: validate every dataset and score it.")
@ckan_options
@click.option("--org", default=None, metavar="NAME", help="Audit only this CKAN organization (name).")
@click.option("--fy", type=click.Choice(["2565", "2566"]), default="2566", show_default=True,
              help="KPI rubric (fiscal year) to score with.")
@click.option("--declarations", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="YAML/JSON file with what a program cannot check (focus area, use evidence…); see docs/scoring.md.")
@click.option("--check-links", is_flag=True, help="Also check that every resource URL answers.")
@click.option("--link-concurrency", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Link checks at the same time.")
@click.option("--link-timeout", type=click.FloatRange(0.5, 120), default=10.0, show_default=True,
              help="Seconds for each resource URL in total (connecting, redirects, the answer).")
@click.option("--page-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Datasets per package_search page.")
@click.option("--max-datasets", type=click.IntRange(1, 10_000_000), default=200_000, show_default=True,
              help="Stop the crawl after this many datasets (the audit then says it is incomplete).")
@standard_options
@output_options("audit")
@click.option("--verbose", "-v", is_flag=True, help="List every dataset, not only those with findings.")
def audit_cmd(ckan_url: str, token_file: Path | None, insecure: bool, timeout: float, retries: int, max_answer_mb: int,
              org: str | None, fy: str, declarations: Path | None, check_links: bool, link_concurrency: int,
              link_timeout: float, page_size: int, max_datasets: int, standard: str | None, config: Path | None, completeness: str | None,
              ignore: tuple[str, ...], fmt: str, output: Path | None, lang: str | None, verbose: bool) -> None:
    """Audit every dataset of a CKAN catalog and score it with the Data Catalog KPI.

    Exit 0: no error findings; 1: error findings; 2: bad usage or unreachable server.
    Private datasets are included when the token (CKAN_API_TOKEN or --token-file) allows.
    """
    guard_paths([config, declarations, token_file], output=output)
    options = build_options(standard, config, completeness, ignore)
    client = make_client(ckan_url, token_file, insecure, timeout, retries, max_answer_mb)
    check_reachable(client)
    aopts = AuditOptions(org=org, fy=int(fy), declarations=declarations, check_links=check_links,
                         link_concurrency=link_concurrency, link_timeout=link_timeout, page_size=page_size,
                         max_datasets=max_datasets,
                         validation=options)
    try:
        with progress_reporter("audit") as progress:
            report = audit_catalog(client, aopts, progress=progress)
    except CkanUnreachable as exc:
        raise CliError(f"CKAN is unreachable: {exc} — ติดต่อระบบ CKAN ไม่ได้") from None
    except CkanError as exc:
        raise CliError(str(exc)) from None
    except ValueError as exc:  # rubric or declarations file errors from scoring
        raise CliError(str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__) from None
    emit(report, "audit", fmt, output, lang, verbose=verbose)
    raise SystemExit(FINDINGS if report.has_errors else OK)
