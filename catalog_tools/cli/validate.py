"""``catalog-tools validate``: check Template 2/3 workbooks, CSV files or CKAN JSON."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click

from ..exitcodes import FINDINGS, OK, USAGE
from ..gcpause import gc_paused
from ..options import ValidationOptions
from . import cli
from .build import as_of, report_load_errors, validated_report, validation_options
from .common import emit, guard_paths
from .options import (JobsArgs, OutputArgs, ValidationArgs, as_of_option, jobs_option, output_options,
                      standard_options)


@dataclass(frozen=True, kw_only=True)
class ValidateArgs(ValidationArgs, JobsArgs, OutputArgs):
    paths: tuple[str, ...]
    verbose: bool = False
    as_of: str | None = None


def execute(args: ValidateArgs) -> int:
    """Validate every readable input and render the findings; an unreadable one is reported and exits 2."""
    guard_paths([*args.paths, args.config], output=args.output)
    options = validation_options(args)
    when = as_of(args.as_of)
    # The collector stays paused from reading to writing, and the report is released before it
    # runs again: a report of 100,000 datasets is millions of young acyclic objects, and the
    # first collection after the pause would walk them all (~0.3 s) for nothing (see gcpause).
    with gc_paused():
        return _validate(args, options, when)


def _validate(args: ValidateArgs, options: ValidationOptions, when: Any) -> int:
    report = validated_report(args.paths, options, "validate", args.jobs)
    if report.load_errors and len(report.load_errors) == len(args.paths):
        report_load_errors(report.load_errors)  # nothing was read: nothing to render
        return USAGE
    if when is not None:
        from ..timeliness import apply_timeliness
        apply_timeliness(report, when, ignore=options.ignored_codes())
    emit(report, args.fmt, args.output, args.lang, verbose=args.verbose, inputs=list(args.paths))
    if report.load_errors:
        report_load_errors(report.load_errors)
        return USAGE
    return FINDINGS if report.has_errors else OK


@cli.command("validate", short_help="Check Template 2/3 metadata (xlsx, csv, CKAN json) against the standard.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@standard_options
@jobs_option
@output_options("validate")
@click.option("--verbose", "-v", is_flag=True, help="List every dataset and resource, not only those with findings.")
@as_of_option
def validate_cmd(**parsed: Any) -> None:
    """Validate Template 2/3 metadata in PATH... (xlsx, csv, json).

    Exit 0: no error findings; 1: error findings; 2: bad usage, or an input could not be read. When some
    inputs cannot be read, the findings of the others are still reported (and the run exits 2), with one
    line on stderr per unreadable input.
    """
    raise SystemExit(execute(ValidateArgs(**parsed)))
