"""``catalog-tools validate``: check Template 2/3 workbooks, CSV files or CKAN JSON."""
from __future__ import annotations

from pathlib import Path

import click

from ..exitcodes import FINDINGS, OK
from ..model import Report
from ..options import OptionsError, ValidationOptions
from ..validate import validate_paths
from . import cli
from .common import CliError, as_of_option, emit, guard_paths, output_options, resolve_as_of
from .progress import progress_reporter


def build_options(standard: str | None, config: Path | None, completeness: str | None,
                  ignore: tuple[str, ...] = ()) -> ValidationOptions:
    """Options from --config (if any) with command-line values on top."""
    overrides = {"standard": standard, "completeness": completeness, "ignore": ignore or None}
    try:
        if config is not None:
            return ValidationOptions.from_file(config, **overrides)
        return ValidationOptions.from_mapping({}, **overrides)
    except OptionsError as exc:
        raise CliError(str(exc)) from None


def load_and_validate(paths: tuple[str, ...] | list[str], options: ValidationOptions, label: str = "validate") -> Report:
    """Validate ``paths`` with a progress bar; any unreadable input ends the command (exit 2)."""
    with progress_reporter(label) as progress:
        report = validate_paths(paths, options=options, progress=progress)
    if report.load_errors:
        for err in report.load_errors[1:]:
            click.echo(f"catalog-tools: error: {err}", err=True)
        raise CliError(str(report.load_errors[0]))
    return report


def standard_options(fn):
    fn = click.option("--ignore", multiple=True, metavar="CODE|GROUP",
                      help="Switch off a rule, by code or by group (see `catalog-tools rules`); repeatable.")(fn)
    fn = click.option("--completeness", type=click.Choice(["conforming", "present"]), default=None,
                      help="'conforming' (default): an item counts when present and valid; 'present': presence only.")(fn)
    fn = click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                      help="YAML/JSON file with validation options (see docs/validation.md).")(fn)
    fn = click.option("--standard", type=click.Choice(["2.2", "2.0"]), default=None,
                      help="Allowed-value lists of thai_gdc 2.2.4 (default) or 2.0.")(fn)
    return fn


@cli.command("validate", short_help="Check Template 2/3 metadata (xlsx, csv, CKAN json) against the standard.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@standard_options
@output_options("validate")
@click.option("--verbose", "-v", is_flag=True, help="List every dataset and resource, not only those with findings.")
@as_of_option
def validate_cmd(paths: tuple[str, ...], standard: str | None, config: Path | None, completeness: str | None,
                 ignore: tuple[str, ...], fmt: str, output: Path | None, lang: str | None, verbose: bool,
                 as_of: str | None) -> None:
    """Validate Template 2/3 metadata in PATH... (xlsx, csv, json).

    Exit 0: no error findings; 1: error findings; 2: an input could not be read or bad usage.
    """
    guard_paths([*paths, config], output=output)
    options = build_options(standard, config, completeness, ignore)
    when = resolve_as_of(as_of)
    report = load_and_validate(paths, options)
    if when is not None:
        from ..timeliness import apply_timeliness
        apply_timeliness(report, when, ignore=options.ignored_codes())
    emit(report, "validate", fmt, output, lang, verbose=verbose, inputs=list(paths))
    raise SystemExit(FINDINGS if report.has_errors else OK)
