"""``catalog-tools publish``: send complete datasets to a CKAN catalog (create / update / unchanged)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..ckan.publish import PublishOptions, publish_report
from . import cli
from .build import check_reachable, ckan_errors, client, require_readable, validated_report, validation_options
from .common import emit, guard_paths
from .options import (CkanArgs, JobsArgs, OutputArgs, ValidationArgs, ckan_options, jobs_option, output_options,
                      standard_options)
from .progress import progress_reporter


@dataclass(frozen=True, kw_only=True)
class PublishArgs(CkanArgs, ValidationArgs, JobsArgs, OutputArgs):
    paths: tuple[str, ...]
    org: str | None = None
    dry_run: bool = False
    log_path: Path | None = None
    fields: str = "auto"
    workers: int = 2


def execute(args: PublishArgs) -> int:
    guard_paths([*args.paths, args.config, args.token_file], output=args.output, log=args.log_path)
    options = validation_options(args)
    ckan = client(args)
    report = validated_report(args.paths, options, "validate", args.jobs)
    require_readable(report)
    check_reachable(ckan)
    popts = PublishOptions(org=args.org, dry_run=args.dry_run, fields=args.fields, log_path=args.log_path,
                           workers=args.workers)
    with ckan_errors(org=args.org, url=ckan.url, log_path=args.log_path):
        with progress_reporter("publish", total=len(report.datasets)) as progress:
            result = publish_report(report, ckan, popts, progress=progress, secret=ckan.token)
    emit(result, args.fmt, args.output, args.lang)
    if result.aborted:
        click.echo(f"catalog-tools: error: stopped early: {result.aborted}; run again to finish", err=True)
    return result.exit_code


@cli.command("publish", short_help="Publish the complete datasets of Template 2/3 files to CKAN.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@ckan_options
@click.option("--org", default=None, metavar="NAME", help="CKAN organization (name) for every dataset; "
              "without it the workbook's organization is matched to a CKAN organization title or name.")
@click.option("--dry-run", is_flag=True, help="Print the plan; send nothing.")
@click.option("--log", "log_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append one JSON line per dataset outcome to this file.")
@click.option("--workers", type=click.IntRange(1, 8), default=2, show_default=True,
              help="Datasets sent at the same time (all to the one catalog; a 429 pauses them all).")
@click.option("--fields", type=click.Choice(["auto", "top-level", "extras"]), default="auto", show_default=True,
              help="Custom fields as top-level keys (ckanext-scheming) or extras; auto asks the server.")
@standard_options
@jobs_option
@output_options("publish")
def publish_cmd(**parsed: Any) -> None:
    """Validate PATH... and publish the complete datasets to CKAN, with the lists of --standard.

    Exit 0: all sent or unchanged; 1: some skipped or failed; 2: bad usage, an unreadable input or an
    unreachable server. The API token comes from CKAN_API_TOKEN or --token-file, never from the command line.
    """
    raise SystemExit(execute(PublishArgs(**parsed)))
